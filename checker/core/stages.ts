/**
 * The registry (lessons/stages.ts) plus everything derived from it. Folder and file names come
 * from `NN-slug` by one fixed convention, so the registry never holds a path that can drift.
 */
import path from 'node:path';
import { ENTRY_FILE, stages, type Stage } from '../../lessons/stages.ts';
import { LESSONS_DIR, SOLUTIONS_DIR, SUITES_DIR, WORKSPACE_DIR } from './paths.ts';

export { ENTRY_FILE, stages, type Stage };

/** `3` → `03-request-line`: the name every folder and file of the stage shares. */
export function stageKey(stage: Stage): string {
  return `${String(stage.id).padStart(2, '0')}-${stage.slug}`;
}

export function stagePaths(stage: Stage) {
  const key = stageKey(stage);
  const lessonDir = path.join(LESSONS_DIR, key);
  return {
    lessonDir,
    lessonFile: path.join(lessonDir, 'lesson.md'),
    starterDir: path.join(lessonDir, 'starter'),
    solutionDir: path.join(SOLUTIONS_DIR, key),
    solutionEntry: path.join(SOLUTIONS_DIR, key, ENTRY_FILE),
    suiteFile: path.join(SUITES_DIR, `${key}.test.ts`),
    workspaceDir: path.join(WORKSPACE_DIR, key),
    workspaceEntry: path.join(WORKSPACE_DIR, key, ENTRY_FILE),
  };
}

export function findStage(id: number): Stage | undefined {
  return stages.find((stage) => stage.id === id);
}

export function previousStage(stage: Stage): Stage | undefined {
  return findStage(stage.id - 1);
}

export function nextStage(stage: Stage): Stage | undefined {
  return findStage(stage.id + 1);
}

/** A bonus stage comes after the core course and is not needed to finish it (see `Stage.optional`). */
export function isBonus(stage: Stage): boolean {
  return stage.optional === true;
}

/** The stages of the course proper, in order: passing the last of them finishes the course. */
export const coreStages: readonly Stage[] = stages.filter((stage) => !isBonus(stage));

/** The bonus stages, in order, after the core. */
export const bonusStages: readonly Stage[] = stages.filter(isBonus);

/** The stages a check of `stage` runs: the stage itself first, then the earlier ones, newest to oldest. */
export function regressionOrder(stage: Stage): Stage[] {
  return stages.filter((s) => s.id <= stage.id).reverse();
}
