/**
 * What a suite can learn about the server process from outside it: how much memory it holds
 * and how many files it has open. Undefined where the platform offers no dependable way to ask;
 * a suite then says it could not check, rather than pretending it did.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resident memory in bytes. */
export function residentMemory(pid: number): number | undefined {
  try {
    if (process.platform === 'linux') {
      const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kib === undefined ? undefined : Number(kib) * 1024;
    }
    if (process.platform === 'darwin') {
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
    }
    if (process.platform === 'win32') {
      const row = execFileSync('tasklist', ['/fi', `PID eq ${pid}`, '/fo', 'csv', '/nh'], { encoding: 'utf8' });
      const kib = /"([\d.,\s]+) K"/.exec(row)?.[1]?.replace(/[^\d]/g, '');
      return kib ? Number(kib) * 1024 : undefined;
    }
  } catch {
    // The process is gone, or the tool is missing: no answer.
  }
  return undefined;
}

/** Open file descriptors (Linux only: elsewhere, counting them needs tools that may be absent). */
export function openFileCount(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process still holds the socket with this inode open (Linux only; see tcp-table.ts
 * for where the inode comes from).
 */
export function holdsSocket(pid: number, inode: string): boolean | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false; // closed while we looked
      }
    });
  } catch (error) {
    // A process that is gone holds nothing; one we may not look into, we cannot tell.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? false : undefined;
  }
}

/** Whether the process has ended, waiting up to `timeoutMs` for it to. */
export async function hasExited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(pid)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  // A process that has ended but not yet been collected by its parent still answers signal 0.
  if (process.platform === 'linux') {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }
  return true;
}
