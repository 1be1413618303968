/**
 * A check's fixture folder lives in the system's temporary folder, named for the checker's
 * process. A checker that was killed outright (kill -9, a closed laptop lid mid-check) never
 * removes its own; the next check removes every one whose checker is no longer running.
 */
import { readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'fsts-check-';

/** The prefix of this checker's fixture folders, for mkdtemp. */
export function fixturePrefix(): string {
  return path.join(os.tmpdir(), `${PREFIX}${process.pid}-`);
}

export function removeStaleFixtures(): void {
  let entries: string[];
  try {
    entries = readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(entry)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
