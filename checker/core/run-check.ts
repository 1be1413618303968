/**
 * One check: make a fresh ROOT, start the server, run the stage's suite and then the earlier
 * ones, and stop everything again — whatever happened. The result is a CheckReport that the
 * reporter prints, `--json` serialises, and watch mode and the classroom board reuse.
 *
 * A long check (many earlier stages, some of them slow: timeouts, big files, a browser) runs
 * those stages' suites side by side, each lane against a server of its own, started from the
 * same file while the stage's own suite runs. Most of a suite's time is spent waiting on the
 * server's clocks, so two cores carry three lanes well; a short check keeps to one server.
 */
import { createFixtureRoot, type FixtureRoot } from './fixture-root.ts';
import { displayPath } from './paths.ts';
import { startServer, type ServerRun, type StartResult } from './run-server.ts';
import { MAX_LANES, type RunListener, type SuiteRunner } from './run-suites.ts';
import { regressionOrder, type Stage } from './stages.ts';
import type { Target } from '../http/server-under-test.ts';
import type { CheckReport } from '../ui/report.ts';

/** From this many earlier stages on, they are checked in lanes (bench/results.md has the timings). */
const LANES_FROM = 6;

/**
 * How many lanes a long check uses: MAX_LANES, or fewer where FSTS_LANES says so. The kit's own
 * tests run dozens of checks at once and set it to 1, so as not to triple their processes;
 * lanes.test.ts checks the lanes themselves.
 */
function laneCount(): number {
  const wanted = Number(process.env.FSTS_LANES);
  return Number.isInteger(wanted) && wanted >= 1 ? Math.min(wanted, MAX_LANES) : MAX_LANES;
}

export interface CheckOptions {
  stage: Stage;
  entry: string;
  /** A promise is fine: the server starts while vitest is still getting ready. */
  runner: SuiteRunner | Promise<SuiteRunner>;
  listenTimeoutMs?: number;
  onSlowStart?: (port: number) => void;
  /** Told of each requirement and stage as the suites run (the live report). */
  listener?: RunListener;
}

interface Lane {
  fixture: FixtureRoot;
  start: StartResult;
}

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const stagesToRun = regressionOrder(options.stage);
  const first = await startLane(options);
  const { start } = first;
  const report: CheckReport = {
    stage: options.stage,
    entry: displayPath(options.entry),
    ok: false,
    stages: [],
    output: start.server.output,
    port: start.server.port,
    durationMs: 0,
  };
  let extra: Promise<Lane>[] = [];
  try {
    if (!start.ok) {
      report.startProblem = start.problem;
      return report;
    }
    // The other lanes' servers start now, while the stage's own suite runs on the first.
    if (stagesToRun.length - 1 >= LANES_FROM) {
      extra = Array.from({ length: laneCount() - 1 }, () => startLane({ ...options, onSlowStart: undefined }));
    }
    const moreLanes = async (): Promise<Target[]> => (await Promise.all(extra)).filter((lane) => lane.start.ok).map(laneTarget);
    const runner = await options.runner;
    report.stages = await runner.run(stagesToRun, laneTarget(first), options.listener, moreLanes);
    // What the learner reads beside a failure is the output of the server that failed it.
    const failed = report.stages.find((s) => s.state === 'failed');
    const server = serverOf([first, ...(await Promise.all(extra))], failed?.port) ?? start.server;
    report.output = server.output;
    // A refused connection means the server stopped or is stopping: let its exit land in the report.
    if (report.stages.some((s) => s.requirements.some((r) => r.failure?.symptom === 'nothing-listening'))) {
      await server.exited(1000);
    }
    report.exitDuringCheck = server.exit;
    if (!first.fixture.intact()) report.rootDamaged = true;
    report.ok = report.stages.every((s) => s.state === 'passed');
    return report;
  } finally {
    // Every lane started is stopped, the ones still starting too.
    const all = [first, ...(await Promise.all(extra))];
    await Promise.all(all.map((lane) => lane.start.server.stop()));
    const leftBehind = all.flatMap((lane) => lane.start.server.leftBehind);
    if (leftBehind.length > 0) report.leftBehind = leftBehind;
    await Promise.all(all.map((lane) => lane.fixture.cleanup()));
    report.durationMs = performance.now() - started;
  }
}

async function startLane(options: CheckOptions): Promise<Lane> {
  const fixture = await createFixtureRoot();
  const start = await startServer({ entry: options.entry, root: fixture.root, outputFile: fixture.outputFile, listenTimeoutMs: options.listenTimeoutMs, onSlowStart: options.onSlowStart });
  return { fixture, start };
}

function laneTarget({ fixture, start }: Lane): Target {
  return { port: start.server.port, root: fixture.root, pid: start.server.pid, outputFile: fixture.outputFile };
}

function serverOf(lanes: readonly Lane[], port: number | undefined): ServerRun | undefined {
  return lanes.find((lane) => lane.start.server.port === port)?.start.server;
}
