/**
 * One check: make a fresh ROOT, start the server, run the stage's suite and then the earlier
 * ones, and stop everything again — whatever happened. The result is a CheckReport that the
 * reporter prints, `--json` serialises, and watch mode and the classroom board reuse.
 */
import { createFixtureRoot } from './fixture-root.ts';
import { displayPath } from './paths.ts';
import { startServer } from './run-server.ts';
import type { RunListener, SuiteRunner } from './run-suites.ts';
import { regressionOrder, type Stage } from './stages.ts';
import type { CheckReport } from '../ui/report.ts';

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

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const fixture = await createFixtureRoot();
  const start = await startServer({ entry: options.entry, root: fixture.root, outputFile: fixture.outputFile, listenTimeoutMs: options.listenTimeoutMs, onSlowStart: options.onSlowStart });
  const report: CheckReport = {
    stage: options.stage,
    entry: displayPath(options.entry),
    ok: false,
    stages: [],
    output: start.server.output,
    port: start.server.port,
    durationMs: 0,
  };
  try {
    if (!start.ok) {
      report.startProblem = start.problem;
      return report;
    }
    const runner = await options.runner;
    report.stages = await runner.run(regressionOrder(options.stage), { port: start.server.port, root: fixture.root, pid: start.server.pid, outputFile: fixture.outputFile }, options.listener);
    // A refused connection means the server stopped or is stopping: let its exit land in the report.
    if (report.stages.some((s) => s.requirements.some((r) => r.failure?.symptom === 'nothing-listening'))) {
      await start.server.exited(1000);
    }
    report.exitDuringCheck = start.server.exit;
    if (!fixture.intact()) report.rootDamaged = true;
    report.ok = report.stages.every((s) => s.state === 'passed');
    return report;
  } finally {
    await start.server.stop();
    if (start.server.leftBehind.length > 0) report.leftBehind = start.server.leftBehind;
    await fixture.cleanup();
    report.durationMs = performance.now() - started;
  }
}
