/**
 * The learner's workspace: a git-ignored folder with one subfolder per lesson, so every stage
 * the learner passed stays checkable and `git pull` never touches their code. Nothing here
 * deletes a learner's file: replacing a lesson folder moves it to a backup first.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_DIR } from './paths.ts';
import { previousStage, stagePaths, type Stage } from './stages.ts';

export const BACKUP_DIR = path.join(WORKSPACE_DIR, 'backups');

export type LessonOrigin = 'existing' | 'own-previous' | 'starter' | 'catch-up';

/** Where a new lesson folder should come from, before anything is written. */
export function plannedOrigin(stage: Stage, passed: readonly number[]): Exclude<LessonOrigin, 'existing' | 'catch-up'> {
  const previous = previousStage(stage);
  if (previous && passed.includes(previous.id) && existsSync(stagePaths(previous).workspaceEntry)) return 'own-previous';
  return 'starter';
}

/**
 * Create the lesson folder if it is missing. From the learner's own previous stage when it
 * passed (plus any file the starter adds that they do not have yet, such as public/), otherwise
 * from the starter — which is the previous stage's reference solution with this lesson's TODOs.
 */
export function createLessonFolder(stage: Stage, origin: 'own-previous' | 'starter'): void {
  const { workspaceDir, starterDir } = stagePaths(stage);
  mkdirSync(workspaceDir, { recursive: true });
  if (origin === 'own-previous') {
    cpSync(stagePaths(previousStage(stage)!).workspaceDir, workspaceDir, { recursive: true });
    cpSync(starterDir, workspaceDir, { recursive: true, force: false, errorOnExist: false });
  } else {
    cpSync(starterDir, workspaceDir, { recursive: true });
  }
}

/** Move the lesson folder into backups/ and start it again from the starter. Returns the backup's path. */
export function catchUp(stage: Stage): string | undefined {
  const backup = moveToBackup(stage);
  createLessonFolder(stage, 'starter');
  return backup;
}

/**
 * Put the lesson folder back as `npm run lesson N` made it — from the learner's own passed
 * previous stage, or from the starter — after moving what is there now into backups/.
 */
export function resetLesson(stage: Stage, passed: readonly number[]): { backup: string | undefined; origin: 'own-previous' | 'starter' } {
  const backup = moveToBackup(stage);
  const origin = plannedOrigin(stage, passed);
  createLessonFolder(stage, origin);
  return { backup, origin };
}

/** Returns where the folder went, or undefined when there was nothing in it to keep. */
function moveToBackup(stage: Stage): string | undefined {
  const { workspaceDir } = stagePaths(stage);
  if (!existsSync(workspaceDir)) return undefined;
  if (readdirSync(workspaceDir).length === 0) {
    rmdirSync(workspaceDir);
    return undefined;
  }
  const base = path.join(BACKUP_DIR, `${path.basename(workspaceDir)}-${timestamp()}`);
  let backup = base;
  for (let n = 2; existsSync(backup); n++) backup = `${base}-${n}`;
  mkdirSync(BACKUP_DIR, { recursive: true });
  renameSync(workspaceDir, backup);
  return backup;
}

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, '').replaceAll(':', '-');
}
