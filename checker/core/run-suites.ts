/**
 * Run stage suites through vitest's Node API (not a shell), against a server that is already
 * listening. One vitest instance serves a whole check — and, in watch mode, every re-check —
 * because starting vitest is most of a check's cost. Suites run one file at a time, in the
 * order given (the stage itself, then older stages), and the run stops at the first stage
 * that fails.
 */
import path from 'node:path';
import type { TestCase, TestModule } from 'vitest/node';
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
}

export interface StageResult {
  stage: Stage;
  /** 'not-run' when an earlier-reported stage failed and the run stopped. */
  state: 'passed' | 'failed' | 'not-run';
  requirements: RequirementResult[];
  /** How long the stage's suite took to run, for the --json report and the benchmarks. */
  durationMs?: number;
}

/** Hard limits: a server that stalls fails a test, never the whole check. */
const TEST_TIMEOUT_MS = 15_000;

/**
 * What a run reports while it goes, so the learner sees each requirement as it finishes and a
 * stage's verdict as soon as its suite is done — long before the earlier stages' suites are.
 */
export interface RunListener {
  /** A stage's suite is about to run its `total` requirements. */
  stageStarted?(stage: Stage, total: number): void;
  requirementStarted?(stage: Stage, name: string): void;
  requirementFinished?(stage: Stage, result: RequirementResult): void;
  /** The stage's suite is done: its verdict is final. */
  stageFinished?(result: StageResult): void;
}

export interface SuiteRunner {
  run(stagesToRun: readonly Stage[], target: Target, listener?: RunListener): Promise<StageResult[]>;
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
  let stopOnFailure: (() => void) | undefined;
  // The run under way: which stage each suite file is, and who is listening.
  let listener: RunListener | undefined;
  let stageOfFile = new Map<string, Stage>();
  const stageOf = (moduleId: string) => stageOfFile.get(path.normalize(moduleId));

  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: REPO_ROOT,
      watch: false,
      include: ['checker/suites/*.test.ts'],
      setupFiles: [SETUP_FILE],
      // One file at a time, in the order given, in one worker thread per run: a learner's server
      // sees one client's tests at a time, and a check costs one thread start-up, not one per
      // stage. In watch mode that thread is started before the save (warm-threads.ts).
      fileParallelism: false,
      maxWorkers: 1,
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
            durations.set(path.normalize(module.moduleId), module.diagnostic().duration);
            const stage = stageOf(module.moduleId);
            const requirements = results.get(module.moduleId) ?? [];
            if (stage && requirements.length > 0) {
              const failed = module.state() === 'failed' || requirements.some((r) => r.state === 'failed');
              listener?.stageFinished?.({ stage, state: failed ? 'failed' : 'passed', requirements, durationMs: module.diagnostic().duration });
            }
            if (module.state() === 'failed') {
              failedModules.add(module.moduleId);
              stopOnFailure?.();
            }
          },
        },
      ],
    },
    { server: { watch: null }, logLevel: 'silent' },
  );

  return {
    async run(stagesToRun, target, runListener) {
      results.clear();
      failedModules.clear();
      durations.clear();
      listener = runListener;
      stageOfFile = new Map(stagesToRun.map((stage) => [path.normalize(stagePaths(stage).suiteFile), stage]));
      vitest.provide('target', target);
      const files = stagesToRun.map((stage) => stagePaths(stage).suiteFile);
      for (const file of files) vitest.invalidateFile(file);
      const specifications = files.map((file) => vitest.getRootProject().createSpecification(file));
      stopOnFailure = () => {
        // What vitest reports of the suites it then skips is not news: they are 'not run'.
        listener = undefined;
        void vitest.cancelCurrentRun('test-failure');
      };
      const ssr = vitest.getRootProject().vite.environments.ssr;
      if (ssr) void transformAhead(ssr, [SETUP_FILE, ...files]);
      try {
        await vitest.runTestSpecifications(specifications);
      } finally {
        stopOnFailure = undefined;
        listener = undefined;
      }
      let stopped = false;
      return stagesToRun.map((stage): StageResult => {
        const file = path.normalize(stagePaths(stage).suiteFile);
        const requirements = [...results.entries()].find(([id]) => path.normalize(id) === file)?.[1] ?? [];
        if (stopped || requirements.length === 0) return { stage, state: 'not-run', requirements: [] };
        const failed = failedModules.has(file) || failedModules.has(file.replaceAll('\\', '/')) || requirements.some((r) => r.state === 'failed');
        if (failed) stopped = true;
        return { stage, state: failed ? 'failed' : 'passed', requirements, durationMs: durations.get(file) };
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
