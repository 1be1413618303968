/**
 * What a suite can learn about the server process from outside it: how much memory it holds
 * and how many files it has open. Undefined where the platform offers no dependable way to ask;
 * a suite then says it could not check, rather than pretending it did.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The server process and every process in its group: the checker starts each server as the
 * leader of a group of its own, so whatever it starts (a worker, or the real server behind a
 * wrapper such as checker/test/outside-servers/) is counted with it. Linux only; elsewhere the
 * process alone.
 */
function groupOf(pid: number): number[] {
  if (process.platform !== 'linux') return [pid];
  // Looked up at most once a second: a suite may sample memory every few milliseconds, and a
  // walk through /proc each time would slow the very client it measures for.
  const known = groups.get(pid);
  if (known && Date.now() - known.at < 1000) return known.members;
  const members = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    if (processGroup(Number(entry)) === pid) members.push(Number(entry));
  }
  groups.set(pid, { at: Date.now(), members });
  return members;
}

const groups = new Map<number, { at: number; members: number[] }>();

/** The process group a process is in (Linux: /proc/PID/stat); undefined once it is gone. */
export function processGroup(pid: number): number | undefined {
  try {
    // The command name, in brackets, may hold spaces: the fields after it are plain.
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined; // Gone, or not ours to read.
  }
}

/** Resident memory in bytes, of the server and the processes it started. */
export function residentMemory(pid: number): number | undefined {
  try {
    if (process.platform === 'linux') {
      let total: number | undefined;
      for (const member of groupOf(pid)) {
        const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, 'utf8'))?.[1];
        if (kib !== undefined) total = (total ?? 0) + Number(kib) * 1024;
      }
      return total;
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

/**
 * How many descriptors the process (and, on Linux, its group) holds open on this one file: its sockets, pipes and own
 * modules do not count, so a server that keeps a connection open (a lingering close, keep-alive)
 * is not mistaken for one that leaks files. Linux reads /proc; macOS and the BSDs ask lsof;
 * undefined where neither answers.
 */
export function descriptorsOpenOn(pid: number, file: string): number | undefined {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  if (process.platform === 'linux') {
    let total: number | undefined;
    for (const member of groupOf(pid)) {
      try {
        total = (total ?? 0) + readdirSync(`/proc/${member}/fd`).filter((fd) => {
          try {
            return readlinkSync(`/proc/${member}/fd/${fd}`) === real;
          } catch {
            return false; // closed while we looked
          }
        }).length;
      } catch {
        // Gone, or not ours to read.
      }
    }
    return total;
  }
  if (process.platform === 'win32') return undefined;
  try {
    // -F n: one line per descriptor's name, "n" then the path.
    const listing = execFileSync('lsof', ['-n', '-P', '-p', String(pid), '-F', 'n'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    return listing.split('\n').filter((line) => line === `n${real}`).length;
  } catch {
    return undefined; // no lsof, or the process is gone
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

/**
 * How many files a process started from here may have open: the soft limit it inherits (1024 on
 * most Linux machines, 256 on macOS by default). Undefined where it cannot be read.
 */
export function openFileLimit(): number | undefined {
  try {
    if (process.platform === 'linux') {
      const soft = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
      return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
    }
    if (process.platform === 'darwin') {
      const soft = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
      return soft === 'unlimited' ? undefined : Number(soft) || undefined;
    }
  } catch {
    // No answer.
  }
  return undefined;
}
