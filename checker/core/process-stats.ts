/**
 * What a suite can learn about the server process from outside it: how much memory it holds
 * and how many files it has open. Undefined where the platform offers no dependable way to ask;
 * a suite then says it could not check, rather than pretending it did.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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
