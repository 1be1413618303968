/**
 * Every stage suite is proven both ways, through the real checker:
 * - reference solution N passes suites N, N-1, …, 1;
 * - reference solution N-1 fails suite N;
 * - starter N fails suite N.
 * A suite that cannot fail is a defect.
 */
import { describe, test } from 'vitest';
import { previousStage, stageKey, stagePaths, stages } from '../core/stages.ts';
import { ENTRY_FILE } from '../../lessons/stages.ts';
import path from 'node:path';
import { checkJson, type JsonReport } from './patched-solution.ts';

function failures(report: JsonReport): string {
  if (report.startProblem) return report.startProblem.message;
  return report.stages.flatMap((s) => s.requirements.filter((r) => r.state === 'failed').map((r) => `stage ${s.id}: ${r.name} — ${r.failure?.problem}`)).join('\n');
}

describe.concurrent.each(stages.map((stage) => [stageKey(stage), stage] as const))('%s', (_key, stage) => {
  test(`the reference solution passes stage ${stage.id} and every earlier stage`, async ({ expect }) => {
    const report = await checkJson(stage.id, stagePaths(stage).solutionEntry);
    expect(report.ok, failures(report)).toBe(true);
    expect(report.stages.map((s) => [s.id, s.state])).toEqual(stages.filter((s) => s.id <= stage.id).reverse().map((s) => [s.id, 'passed']));
    // Every requirement says whose rule it is (checker/http/basis.ts): an RFC's, or the course's.
    const withoutBasis = report.stages[0]!.requirements.filter((r) => r.basis === null).map((r) => r.name);
    expect(withoutBasis, 'requirements whose test options give no must(), should(), may() or courseRule()').toEqual([]);
  });

  test(`the starter fails stage ${stage.id}`, async ({ expect }) => {
    const report = await checkJson(stage.id, path.join(stagePaths(stage).starterDir, ENTRY_FILE));
    expect(report.ok).toBe(false);
    if (!report.startProblem) expect(report.stages[0]).toMatchObject({ id: stage.id, state: 'failed' });
  });

  const previous = previousStage(stage);
  test.runIf(previous)(`the reference solution of stage ${stage.id - 1} fails stage ${stage.id}`, async ({ expect }) => {
    const report = await checkJson(stage.id, stagePaths(previous!).solutionEntry);
    expect(report.ok).toBe(false);
    expect(report.startProblem).toBeNull();
    expect(report.stages[0]).toMatchObject({ id: stage.id, state: 'failed' });
  });
});
