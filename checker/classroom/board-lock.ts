/**
 * One board per state file. A second `npm run classroom` in another terminal would find port
 * 4000 taken, fall back to 4001 and write the same room file as the first; instead it is told
 * where the running board is. A lock whose process is gone (a crash, a closed laptop lid) is
 * simply taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface BoardLock {
  pid: number;
  port: number;
}

const lockFile = (stateFile: string) => stateFile.replace(/\.json$/, '.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still a running board.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The board already running for this state file, if any. */
export function runningBoard(stateFile: string): BoardLock | undefined {
  try {
    const lock = JSON.parse(readFileSync(lockFile(stateFile), 'utf8')) as Partial<BoardLock>;
    if (typeof lock.pid === 'number' && typeof lock.port === 'number' && lock.pid !== process.pid && alive(lock.pid)) return lock as BoardLock;
  } catch {
    // No lock, or an unreadable one: nothing is running.
  }
  return undefined;
}

export function takeLock(stateFile: string, port: number): () => void {
  const file = lockFile(stateFile);
  writeFileSync(file, JSON.stringify({ pid: process.pid, port } satisfies BoardLock));
  return () => rmSync(file, { force: true });
}
