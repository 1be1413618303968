/**
 * Run the course CLI as a learner would — a child process, no terminal, no colour — with its
 * own workspace folder, so the kit's tests never touch a real learner's work.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../core/paths.ts';
import { ownerTag } from '../core/server-process.mjs';
import { scratchDir } from './scratch.ts';

export interface CliResult {
  /** The CLI's process id: every server it started says so on its command line (server-process.mjs). */
  pid: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempWorkspace(): string {
  return scratchDir('fsts-ws-');
}

/** `command` runs instead of `node launch.mjs args…`, in the same environment: the CLI started through a shell, say. */
export function runCli(args: string[], options: { workspace?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; command?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [program, ...programArgs] = options.command ?? [process.execPath, path.join(REPO_ROOT, 'checker', 'launch.mjs'), ...args];
    const child = spawn(program!, programArgs, {
      cwd: REPO_ROOT,
      // One lane per check (run-check.ts): the kit runs many checks at once on two cores.
      env: { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: undefined, FSTS_LANES: '1', FSTS_WORKSPACE: options.workspace ?? tempWorkspace(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm run ${args.join(' ')} did not finish within ${(options.timeoutMs ?? 120_000) / 1000} s`));
    }, options.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ pid: child.pid, code, stdout, stderr });
    });
  });
}

/** The server processes the CLI with this process id started and left running. */
export function serversStartedBy(cliPid: number | undefined): Promise<string[]> {
  return processesMentioning(ownerTag(cliPid));
}

/** Processes whose command line mentions `text` (POSIX only: on Windows, an empty list). */
async function processesMentioning(text: string): Promise<string[]> {
  if (process.platform === 'win32') return [];
  const { execFileSync } = await import('node:child_process');
  const listing = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return listing.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}
