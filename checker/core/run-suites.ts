/**
 * Run stage suites through vitest's Node API (not a shell), against a server that is already
 * listening. One vitest instance serves a whole check — and, in watch mode, every re-check —
 * because starting vitest is most of a check's cost. Suites run one file at a time, in the
 * order given (the stage itself, then older stages), and the run stops at the first stage
 * that fails.
 */
import path from 'node:path';
import type { TestCase, TestModule, Vitest } from 'vitest/node';
import type { Target } from '../http/server-under-test.ts';
import type { Basis } from '../http/basis.ts';
import { isFailureDetails, type FailureDetails } from '../http/check-failure.ts';
import { REPO_ROOT } from './paths.ts';
import { stagePaths, type Stage } from './stages.ts';
import { transformAhead } from './transform-ahead.ts';
import { warmThreads } from './warm-threads.ts';

export interface RequirementResult {
  /** The test's name: a sentence saying what the server must do. */
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  /** Whose rule it is: an RFC's (section and level) or this course's (see checker/http/basis.ts). */
  basis?: Basis;
  failure?: FailureDetails;
  /** Why a skipped requirement was not checked. */
  note?: string;
  /** How long it took, for --json: where a check's time goes. */
  durationMs?: number;
}

export interface StageResult {
  stage: Stage;
  /** 'not-run' when an earlier-reported stage failed and the run stopped. */
  state: 'passed' | 'failed' | 'not-run';
  requirements: RequirementResult[];
  /** How long the stage's suite took to run, for the --json report and the benchmarks. */
  durationMs?: number;
  /** The port of the server it ran against: which lane's server (run-check.ts). */
  port?: number;
}

/** The most servers a check runs the earlier stages' suites on at once (run-check.ts decides how many). */
export const MAX_LANES = 3;

/**
 * How many worker threads the next run may use. vitest reads it from the resolved config when a
 * run starts; with 1 it hands every file to one thread, as a run without file parallelism would.
 */
function setLanes(vitest: Vitest, lanes: number): void {
  const count = Math.max(1, Math.min(MAX_LANES, lanes));
  vitest.config.maxWorkers = count;
  vitest.getRootProject().config.maxWorkers = count;
}

/** Hard limits: a server that stalls fails a test, never the whole check. */
const TEST_TIMEOUT_MS = 15_000;

/**
 * What a run reports while it goes, so the learner sees each requirement as it finishes and a
 * stage's verdict as soon as its suite is done — long before the earlier stages' suites are.
 */
export interface RunListener {
  /** The stages this run will check, in the order they are reported: the stage itself, then older ones. */
  planned?(stages: readonly Stage[]): void;
  /** A stage's suite is about to run its `total` requirements. */
  stageStarted?(stage: Stage, total: number): void;
  requirementStarted?(stage: Stage, name: string): void;
  requirementFinished?(stage: Stage, result: RequirementResult): void;
  /** The stage's suite is done: its verdict is final. */
  stageFinished?(result: StageResult): void;
}

export interface SuiteRunner {
  /**
   * Check `stagesToRun[0]` alone against `target`, then, if it passed, the earlier stages. Those
   * run one lane per server: `target` and any that `moreLanes` gives (each server still sees
   * one suite at a time), so a long check waits for its slowest lane, not for every suite in turn.
   */
  run(stagesToRun: readonly Stage[], target: Target, listener?: RunListener, moreLanes?: () => Promise<Target[]>): Promise<StageResult[]>;
  /** Get the next run's worker thread ready now (watch mode, between re-checks). */
  prepareNextRun(): void;
  close(): Promise<void>;
}

const SETUP_FILE = path.join(REPO_ROOT, 'checker', 'http', 'suite-setup.ts');

export async function createSuiteRunner(): Promise<SuiteRunner> {
  const { createVitest } = await import('vitest/node');
  const pool = warmThreads();
  const results = new Map<string, RequirementResult[]>();
  const failedModules = new Set<string>();
  const durations = new Map<string, number>();
  const finishedModules = new Set<string>();
  const ports = new Map<string, number>();
  // The run under way: which stage each suite file is, who is listening, and what to do as
  // suites are collected and end.
  let listener: RunListener | undefined;
  let stageOfFile = new Map<string, Stage>();
  const stageOf = (moduleId: string) => stageOfFile.get(path.normalize(moduleId));
  let onCollected: (() => void) | undefined;
  let onModuleEnd: (() => void) | undefined;

  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: REPO_ROOT,
      watch: false,
      include: ['checker/suites/*.test.ts'],
      setupFiles: [SETUP_FILE],
      // One worker thread per lane, each running its files one at a time, in the order given: a
      // server sees one client's tests at a time. A run's number of lanes is set just before it
      // (lanes() below); with one, all its files go to one thread, which in watch mode is started
      // before the save (warm-threads.ts).
      fileParallelism: true,
      maxWorkers: MAX_LANES,
      isolate: false,
      pool,
      testTimeout: TEST_TIMEOUT_MS,
      hookTimeout: TEST_TIMEOUT_MS,
      sequence: { sequencer: KeepOrder },
      reporters: [
        {
          onTestModuleCollected(module: TestModule) {
            const stage = stageOf(module.moduleId);
            if (stage) listener?.stageStarted?.(stage, [...module.children.allTests()].length);
            onCollected?.();
          },
          onTestCaseReady(testCase: TestCase) {
            const stage = stageOf(testCase.module.moduleId);
            if (stage) listener?.requirementStarted?.(stage, testCase.name);
          },
          onTestCaseResult(testCase: TestCase) {
            const list = results.get(testCase.module.moduleId) ?? [];
            const requirement = requirementOf(testCase);
            list.push(requirement);
            results.set(testCase.module.moduleId, list);
            const stage = stageOf(testCase.module.moduleId);
            if (stage) listener?.requirementFinished?.(stage, requirement);
          },
          onTestModuleEnd(module: TestModule) {
            const file = path.normalize(module.moduleId);
            durations.set(file, module.diagnostic().duration);
            const port = module.meta().port;
            if (port !== undefined) ports.set(file, port);
            const stage = stageOf(module.moduleId);
            const requirements = results.get(module.moduleId) ?? [];
            // An error outside any test (a suite that could not load, a hook that threw) is a
            // failure of the kit's, and says so rather than leaving every requirement unchecked.
            const [error] = module.errors();
            if (error) {
              requirements.push({ name: 'the stage\'s suite runs', state: 'failed', failure: { problem: `The checker could not run this stage's suite: ${error.message}. This is a bug in the checker; please report it.` } });
              results.set(module.moduleId, requirements);
            }
            const failed = module.state() === 'failed' || requirements.some((r) => r.state === 'failed');
            if (stage && requirements.length > 0) {
              listener?.stageFinished?.({ stage, state: failed ? 'failed' : 'passed', requirements, durationMs: module.diagnostic().duration, port });
            }
            if (failed) failedModules.add(file);
            finishedModules.add(file);
            onModuleEnd?.();
          },
        },
      ],
    },
    { server: { watch: null }, logLevel: 'silent' },
  );

  return {
    async run(stagesToRun, target, runListener, moreLanes) {
      results.clear();
      failedModules.clear();
      finishedModules.clear();
      durations.clear();
      ports.clear();
      listener = runListener;
      stageOfFile = new Map(stagesToRun.map((stage) => [path.normalize(stagePaths(stage).suiteFile), stage]));
      const fileOf = (stage: Stage) => path.normalize(stagePaths(stage).suiteFile);
      const files = stagesToRun.map(fileOf);
      for (const file of files) vitest.invalidateFile(file);
      const ssr = vitest.getRootProject().vite.environments.ssr;
      if (ssr) void transformAhead(ssr, [SETUP_FILE, ...files]);
      runListener?.planned?.(stagesToRun);
      const [own, ...earlier] = stagesToRun;

      const runFiles = async (targets: Target[], stagesNow: readonly Stage[]) => {
        vitest.provide('targets', targets);
        setLanes(vitest, targets.length);
        await vitest.runTestSpecifications(stagesNow.map((stage) => vitest.getRootProject().createSpecification(fileOf(stage))));
      };
      const cancel = () => {
        // What vitest reports of the suites it then skips is not news: they are 'not run'.
        listener = undefined;
        void vitest.cancelCurrentRun('test-failure');
      };
      try {
        // The stage itself, alone, for its verdict as soon as can be; the next run's thread
        // starts while it runs.
        onCollected = earlier.length > 0 ? () => pool.prepare() : undefined;
        await runFiles([target], [own!]);
        onCollected = undefined;
        if (earlier.length > 0 && !failedModules.has(fileOf(own!))) {
          const lanes = [target, ...((await moreLanes?.()) ?? [])];
          // Stop once a stage has failed and every newer one has finished: the newest failure is known.
          onModuleEnd = () => {
            const failedAt = earlier.findIndex((stage) => failedModules.has(fileOf(stage)));
            if (failedAt !== -1 && earlier.slice(0, failedAt).every((stage) => finishedModules.has(fileOf(stage)))) cancel();
          };
          await runFiles(lanes, earlier);
        }
      } finally {
        onCollected = undefined;
        onModuleEnd = undefined;
        listener = undefined;
      }
      let stopped = false;
      return stagesToRun.map((stage): StageResult => {
        const file = fileOf(stage);
        const requirements = [...results.entries()].find(([id]) => path.normalize(id) === file)?.[1] ?? [];
        if (stopped || requirements.length === 0 || !finishedModules.has(file)) return { stage, state: 'not-run', requirements: [] };
        const failed = failedModules.has(file) || requirements.some((r) => r.state === 'failed');
        if (failed) stopped = true;
        return { stage, state: failed ? 'failed' : 'passed', requirements, durationMs: durations.get(file), port: ports.get(file) };
      });
    },
    prepareNextRun: () => pool.prepare(),
    async close() {
      await vitest.close();
      await pool.discard();
    },
  };
}

class KeepOrder {
  sort<T>(files: T[]): T[] {
    return files;
  }
  shard<T>(files: T[]): T[] {
    return files;
  }
}

function requirementOf(testCase: TestCase): RequirementResult {
  return { ...outcomeOf(testCase), durationMs: testCase.diagnostic()?.duration };
}

function outcomeOf(testCase: TestCase): RequirementResult {
  const result = testCase.result();
  const { basis } = testCase.meta();
  if (result.state === 'passed') return { name: testCase.name, state: 'passed', basis };
  if (result.state !== 'failed') return { name: testCase.name, state: 'skipped', basis, note: result.state === 'skipped' ? result.note : undefined };
  const error = result.errors?.[0] as ({ details?: unknown; message?: string } | undefined);
  const failure: FailureDetails = isFailureDetails(error?.details)
    ? error.details
    : { problem: timeoutOrMessage(error?.message) };
  return { name: testCase.name, state: 'failed', basis: failure.basis ?? basis, failure };
}

/** A test that hit vitest's own timeout, or threw something other than a CheckFailure. */
function timeoutOrMessage(message: string | undefined): string {
  if (message?.includes('timed out')) {
    // A test that moves a lot of data has a longer budget of its own; vitest's message names it.
    const limitMs = Number(/timed out in (\d+)\s*ms/i.exec(message)?.[1] ?? TEST_TIMEOUT_MS);
    return `The test did not finish within ${limitMs / 1000} s: your server stopped responding part-way.`;
  }
  return message ?? 'The test failed without a message.';
}
