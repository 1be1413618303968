/**
 * A long check runs the earlier stages' suites side by side, one lane per server
 * (checker/core/run-check.ts). What the learner reads must not change: the stage itself first,
 * then every earlier stage newest first, up to the newest one that fails, and nothing after it;
 * and no server of any lane is left running.
 */
import { test } from 'vitest';
import { patchedSolution, type JsonReport } from './patched-solution.ts';
import { runCli, serversStartedBy } from './run-cli.ts';

test('a failure in an earlier stage, checked in a lane of its own, is reported as the newest failure, and the older stages as not checked', async ({ expect }) => {
  // Stage 7's reference solution, with a mistake that only stage 3's suite catches.
  const entry = patchedSolution(7, [['http/parse-request.ts', "if (key === 'host' && headers.has('host'))", "if (key === 'no-such-header' && headers.has('host'))"]], 'two Host headers accepted');
  // Three lanes, as a learner's check has them (the kit's other checks use one).
  const lanes = { FSTS_LANES: '3' };
  const result = await runCli(['check', '7', '--entry', entry, '--json'], { timeoutMs: 120_000, env: lanes });
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.ok).toBe(false);
  expect(report.stages.map((s) => [s.id, s.state])).toEqual([
    [7, 'passed'],
    [6, 'passed'],
    [5, 'passed'],
    [4, 'passed'],
    [3, 'failed'],
    [2, 'not-run'],
    [1, 'not-run'],
  ]);
  const stage3 = report.stages.find((s) => s.id === 3)!;
  expect(stage3.requirements.filter((r) => r.state === 'failed').map((r) => r.name)).toEqual(['answers 400 to two Host headers']);
  expect(await serversStartedBy(result.pid)).toEqual([]);

  const text = await runCli(['check', '7', '--entry', entry], { timeoutMs: 120_000, env: lanes });
  // Read in order: the stages' blocks are never interleaved, whatever order their suites end in.
  const order = [...text.stdout.matchAll(/^(?:Stage (\d+) ·|· Stage (\d+) ·)/gm)].map((m) => Number(m[1] ?? m[2]));
  expect(order).toEqual([7, 6, 5, 4, 3, 2, 1]);
  expect(text.stdout).toMatch(/✗ Stage 3 \(an earlier stage that used to pass\) fails: answers 400 to two Host headers\./);
  expect(await serversStartedBy(text.pid)).toEqual([]);
});
