/**
 * Who still listens on a check's port once its server has been stopped. The checker stops a
 * server by its process group, and a process the server started outside that group (spawn with
 * `detached: true`) outlives it: it keeps the port, and serves whoever comes next. Every server
 * process carries the checker's mark in its environment (server-process.mjs), and so does
 * whatever it starts unless it goes out of its way: a holder with the mark is stopped and named
 * in the report; any other process is only named.
 *
 * Linux only (the kernel's socket table and /proc); elsewhere nothing is looked for.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { canConnect } from './port-probe.ts';
import { processGroup } from './process-stats.ts';
import { listeningInodes } from './tcp-table.ts';

/** The environment variable every server process is started with: the checker's own pid. */
export const CHECKER_MARK = 'FSTS_STARTED_BY_CHECKER';

export interface PortHolder {
  pid: number;
  /** Its command line, as `ps` would show it, shortened. */
  command: string;
  /** Started, directly or not, by this checker's server: the checker stopped it. */
  stopped: boolean;
}

/**
 * Find and stop what a stopped server left listening on `port`. `serverGroup` is the stopped
 * server's process group: its members may still be on their way out, and are not strays.
 */
export async function stopLeftBehind(port: number, serverGroup: number | undefined): Promise<PortHolder[]> {
  if (process.platform !== 'linux' || !(await canConnect(port))) return [];
  const holders = holdersOf(port).filter((pid) => processGroup(pid) !== serverGroup);
  const found = holders.map((pid): PortHolder => ({ pid, command: commandLine(pid), stopped: carriesMark(pid) }));
  for (const holder of found) {
    if (!holder.stopped) continue;
    try {
      process.kill(holder.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  if (found.some((holder) => holder.stopped)) await sleep(50);
  return found;
}

function holdersOf(port: number): number[] {
  const sockets = new Set((listeningInodes(port) ?? []).map((inode) => `socket:[${inode}]`));
  if (sockets.size === 0) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // Gone, or not ours to look at.
    }
    if (fds.some((fd) => sockets.has(readLink(`/proc/${entry}/fd/${fd}`)))) pids.push(Number(entry));
  }
  return pids;
}

function readLink(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}

function carriesMark(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${CHECKER_MARK}=${process.pid}`);
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean).join(' ');
    return command.length > 120 ? `${command.slice(0, 117)}…` : command;
  } catch {
    return `process ${pid}`;
  }
}
