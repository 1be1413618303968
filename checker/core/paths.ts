/**
 * Where the course lives on disk. Every other module asks here rather than building paths
 * from `process.cwd()`, so the kit works whatever folder npm was started from.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LESSONS_DIR = path.join(REPO_ROOT, 'lessons');
export const SOLUTIONS_DIR = path.join(REPO_ROOT, 'solutions');
export const SUITES_DIR = path.join(REPO_ROOT, 'checker', 'suites');
export const SITE_DIR = path.join(REPO_ROOT, 'site');

/** The learner's git-ignored folder (see .gitignore). An environment variable moves it, for the kit's own tests. */
export const WORKSPACE_DIR = process.env.FSTS_WORKSPACE
  ? path.resolve(process.env.FSTS_WORKSPACE)
  : path.join(REPO_ROOT, 'workspace');

/** A path as the learner should read it: relative to the course folder when inside it. */
export function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}
