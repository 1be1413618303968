/**
 * Temporary folders for the kit's tests. They all go inside one folder per `npm test` run, which
 * global-setup.ts makes and removes, so a test run leaves nothing behind in the system's
 * temporary directory (a single test file run on its own falls back to that directory).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SCRATCH_ENV = 'FSTS_TEST_SCRATCH';

export function scratchDir(prefix: string): string {
  return mkdtempSync(path.join(process.env[SCRATCH_ENV] ?? os.tmpdir(), prefix));
}
