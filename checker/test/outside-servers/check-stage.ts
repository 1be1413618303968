/**
 * Run the real CLI — `node checker/launch.mjs check N --entry <wrapper> --json` — on an outside
 * server, bounded in time, and say which requirements failed. Shared by survey.ts and the kit
 * test (checker/test/outside-servers.test.ts).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../core/paths.ts';
import { scratchDir } from '../scratch.ts';

export interface Failure {
  /** The stage whose suite the requirement is in. */
  stage: number;
  requirement: string;
  problem: string;
  /** The bytes of the exchange that failed, when the report has them (cut short). */
  sent?: string;
  received?: string;
}

export interface StageRun {
  stage: number;
  /** Failures in stage N's own suite (the JSON's stages[0]). */
  own: Failure[];
  /** Failures in the earlier stages' suites, which run only when stage N's own passes. */
  earlier: Failure[];
  /** Requirements of stage N's own suite that passed. */
  ownPassed: string[];
  /** Stage N's own requirements that were skipped, with nothing to say why. */
  ownSkipped: string[];
  /** Why the server could not be checked at all, or why the run gave no report. */
  trouble?: string;
  durationMs: number;
}

interface ReportJson {
  startProblem: unknown;
  exitDuringCheck: unknown;
  stages: Array<{ id: number; state: string; requirements: Array<{ name: string; state: string; failure?: { problem?: string; sent?: string; received?: string } }> }>;
}

export interface CheckOptions {
  /** The kit to run: this repository unless told otherwise. */
  repo?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export async function checkStage(entry: string, stage: number, options: CheckOptions = {}): Promise<StageRun> {
  const started = Date.now();
  const workspace = scratchDir('outside-ws-');
  try {
    const { code, stdout, stderr, timedOut } = await runCheck(entry, stage, workspace, options);
    const durationMs = Date.now() - started;
    const empty = { stage, own: [], earlier: [], ownPassed: [], ownSkipped: [], durationMs };
    if (timedOut) return { ...empty, trouble: `the check did not finish within ${(options.timeoutMs ?? 120_000) / 1000} s` };
    let report: ReportJson;
    try {
      report = JSON.parse(stdout) as ReportJson;
    } catch {
      return { ...empty, trouble: `no JSON report (exit code ${code}): ${stderr.trim().slice(0, 2000) || stdout.slice(0, 2000)}` };
    }
    const [own, ...earlier] = report.stages;
    const failures = (suite: ReportJson['stages'][number]) =>
      suite.requirements
        .filter((r) => r.state === 'failed')
        .map((r) => ({
          stage: suite.id,
          requirement: r.name,
          problem: r.failure?.problem ?? '(no problem text)',
          ...(r.failure?.sent === undefined ? {} : { sent: r.failure.sent.slice(0, 1500) }),
          ...(r.failure?.received === undefined ? {} : { received: r.failure.received.slice(0, 1500) }),
        }));
    const trouble = report.startProblem ? `could not start: ${JSON.stringify(report.startProblem)}` : report.exitDuringCheck ? `exited during the check: ${JSON.stringify(report.exitDuringCheck)}` : undefined;
    return {
      stage,
      own: own ? failures(own) : [],
      earlier: earlier.flatMap(failures),
      ownPassed: own ? own.requirements.filter((r) => r.state === 'passed').map((r) => r.name) : [],
      ownSkipped: own ? own.requirements.filter((r) => r.state === 'skipped').map((r) => r.name) : [],
      ...(trouble ? { trouble } : {}),
      durationMs,
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

function runCheck(entry: string, stage: number, workspace: string, options: CheckOptions) {
  const repo = options.repo ?? REPO_ROOT;
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }>((resolve) => {
    const child = spawn(process.execPath, [path.join(repo, 'checker', 'launch.mjs'), 'check', String(stage), '--entry', entry, '--json'], {
      cwd: repo,
      // One lane: one outside server per check, as for the kit's other checks (run-check.ts).
      env: { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: undefined, FSTS_LANES: '1', FSTS_WORKSPACE: workspace, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // SIGTERM first: the CLI then stops the server it started (shutdown.ts); SIGKILL if it hangs.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
