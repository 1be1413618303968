/**
 * A copy of a stage's reference solution with small patches applied, checked through the real
 * CLI: how the kit's tests make a server with one planted mistake (mistakes.test.ts), one
 * choice the RFCs allow (allowed-choices.test.ts) or a failure in one lane (lanes.test.ts),
 * without keeping a whole server per case.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findStage, stagePaths } from '../core/stages.ts';
import { runCli } from './run-cli.ts';
import { scratchDir } from './scratch.ts';

/** [file in the solution folder, text to find, text to put instead]. */
export type Patch = [file: string, from: string, to: string];

/** What the kit's tests read of `--json` (checker/ui/report.ts writes it). */
export interface JsonReport {
  ok: boolean;
  startProblem: { message: string } | null;
  stages: Array<{ id: number; state: string; requirements: Array<{ name: string; state: string; basis: object | null; failure?: { problem: string; hint?: string } }> }>;
}

/** The entry file of a patched copy of stage `stage`'s solution. A patch that no longer applies is an error naming it. */
export function patchedSolution(stage: number, patches: readonly Patch[], what: string): string {
  const folder = scratchDir('fsts-patched-');
  cpSync(stagePaths(findStage(stage)!).solutionDir, folder, { recursive: true });
  for (const [file, from, to] of patches) {
    const full = path.join(folder, file);
    const source = readFileSync(full, 'utf8');
    if (!source.includes(from)) throw new Error(`The patch for "${what}" no longer applies to ${file}: update it to the solution's current code.\nIt looks for: ${from}`);
    writeFileSync(full, source.replace(from, to));
  }
  return path.join(folder, 'server.ts');
}

/** `npm run check <stage> --entry <entry> --json`, parsed. */
export async function checkJson(stage: number, entry: string, timeoutMs?: number): Promise<JsonReport & { stderr: string }> {
  const result = await runCli(['check', String(stage), '--entry', entry, '--json'], { timeoutMs });
  try {
    return { ...(JSON.parse(result.stdout) as JsonReport), stderr: result.stderr };
  } catch {
    throw new Error(`check ${stage} --entry ${entry} printed no JSON.\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(-2000)}`);
  }
}
