// @ts-check
/**
 * The Node process a learner's server runs in, started before it is needed.
 *
 * Starting Node with tsx takes about 0.4 s, most of the wait before a check can begin. So the
 * process is started early — by launch.mjs before the checker itself loads, and by watch mode
 * after each re-check — and waits (server-host.ts) until run-server.ts tells it which server
 * to run. The learner's code starts in a process that is already warm.
 *
 * Why JavaScript: launch.mjs uses it before tsx is registered.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GUARD = fileURLToPath(new URL('./server-guard.ts', import.meta.url));
const HOST = fileURLToPath(new URL('./server-host.ts', import.meta.url));

/** @type {import('node:child_process').ChildProcess | undefined} */
let spare;
process.on('exit', stopSpare);

/** Start a waiting process now, so the next server starts fast. */
export function prepareServerProcess() {
  if (isWaiting(spare)) return;
  spare = spawnHost();
  // A process that failed to start is simply not taken: takeServerProcess starts another, whose
  // failure the check then reports.
  spare.on('error', () => {});
  // A process nobody takes must not keep the checker running, and goes when the checker does
  // (stopSpare below; and in any case server-guard.ts ends it when its IPC channel closes).
  holdsCheckerOpen(spare, false);
}

/** The waiting process if there is one, else a new one; either way it is the caller's now. */
export function takeServerProcess() {
  const child = isWaiting(spare) ? spare : spawnHost();
  spare = undefined;
  holdsCheckerOpen(child, true);
  return child;
}

/**
 * Whether the process, its IPC channel and its output pipes keep the checker's event loop alive.
 * @param {import('node:child_process').ChildProcess} child
 * @param {boolean} hold
 */
function holdsCheckerOpen(child, hold) {
  // The output pipes are sockets, which Node's types do not say of a child's stdout and stderr.
  const pipes = /** @type {Array<import('node:net').Socket | null>} */ ([child.stdout, child.stderr]);
  const handles = [child, child.channel, ...pipes];
  for (const handle of handles) {
    if (hold) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** Synchronous, since it runs as the checker exits (on Ctrl-C too: shutdown.ts exits on SIGINT). */
function stopSpare() {
  if (!isWaiting(spare) || spare.pid === undefined) return;
  try {
    // The process and its group, as run-server.ts stops a server; on Windows it has no group.
    if (process.platform === 'win32') spare.kill();
    else process.kill(-spare.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * @param {import('node:child_process').ChildProcess | undefined} child
 * @returns {child is import('node:child_process').ChildProcess}
 */
function isWaiting(child) {
  return child !== undefined && child.exitCode === null && child.signalCode === null && child.connected;
}

/**
 * On the command line of every server process, so `ps` (and the kit's tests) can tell which
 * checker started it.
 * @param {number | undefined} checkerPid
 */
export const ownerTag = (checkerPid) => `--started-by-checker=${checkerPid}`;

function spawnHost() {
  return spawn(process.execPath, ['--import', 'tsx', '--import', GUARD, HOST, ownerTag(process.pid)], {
    cwd: REPO_ROOT,
    // The mark is inherited by whatever the server starts, so port-holders.ts can tell a process
    // the server left behind from a stranger's.
    env: { ...process.env, FSTS_STARTED_BY_CHECKER: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group, so stopping the server also stops anything it started.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
}
