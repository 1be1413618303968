/**
 * Once per `npm test`: one folder for every temporary folder the tests make (scratch.ts), removed
 * when the run ends. Set in the environment before vitest starts its workers, which inherit it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCRATCH_ENV } from './scratch.ts';

export default function setup(): () => void {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'fsts-test-run-'));
  process.env[SCRATCH_ENV] = folder;
  return () => rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
}
