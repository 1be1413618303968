/**
 * The last line of `npm run doctor`: what to run next, from the learner's progress, so a learner
 * who runs the preflight again on the second day of a workshop is sent to their lesson, not to
 * lesson 1. The same rules as `npm run next`: the lesson after the last one passed; but a lesson
 * that was opened and not passed yet comes first, since the learner's code for it is waiting.
 */
import type { Progress } from '../core/progress.ts';
import { findStage, stages, type Stage } from '../core/stages.ts';

export type NextStep =
  | { kind: 'start' }
  | { kind: 'carry-on'; stage: Stage }
  | { kind: 'next'; stage: Stage }
  | { kind: 'all-passed'; count: number };

export function nextStep(progress: Pick<Progress, 'current' | 'passed'>): NextStep {
  const current = progress.current === undefined ? undefined : findStage(progress.current);
  if (current && !progress.passed.includes(current.id)) return { kind: 'carry-on', stage: current };
  if (progress.passed.length === 0) return { kind: 'start' };
  const following = findStage(Math.max(...progress.passed) + 1);
  return following ? { kind: 'next', stage: following } : { kind: 'all-passed', count: stages.length };
}
