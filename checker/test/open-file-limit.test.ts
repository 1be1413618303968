/**
 * macOS gives a process 256 open files by default. The checker and the final reference server
 * must both work within that: the checker's connections, its lanes' servers, and a server that
 * hundreds of idle clients try to exhaust.
 */
import path from 'node:path';
import { test } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { findStage, stagePaths } from '../core/stages.ts';
import { runCli } from './run-cli.ts';

test.runIf(process.platform !== 'win32')('under ulimit -n 256, the final reference solution passes the hardening stage and every one before it', async ({ expect }) => {
  const entry = stagePaths(findStage(12)!).solutionEntry;
  const launch = path.join(REPO_ROOT, 'checker', 'launch.mjs');
  // The limit is set by a shell, as a learner's terminal has it, for the checker and all it starts.
  const result = await runCli([], {
    timeoutMs: 120_000,
    // Every lane's server counts against the limit too.
    env: { FSTS_LANES: '3' },
    command: ['sh', '-c', `ulimit -n 256 && exec "${process.execPath}" "${launch}" check 8 --entry "${entry}" --json`],
  });
  const report = JSON.parse(result.stdout) as { ok: boolean; stages: Array<{ id: number; requirements: Array<{ name: string; state: string; failure?: { problem: string } }> }> };
  const failed = report.stages.flatMap((s) => s.requirements.filter((r) => r.state === 'failed').map((r) => `stage ${s.id}: ${r.name} — ${r.failure?.problem}`));
  expect(failed).toEqual([]);
  expect(report.ok).toBe(true);
});
