/**
 * The learner's progress: one small JSON file in the workspace. It is only a convenience —
 * the code in the workspace is the real record — so a missing or damaged file is rebuilt
 * from the lesson folders that exist, and a folder it cannot be written to is said so: never a
 * crash, and never a silent loss (a damaged file is kept beside the new one).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { messages } from '../messages.ts';
import { displayPath, WORKSPACE_DIR } from './paths.ts';
import { stagePaths, stages } from './stages.ts';

export interface Progress {
  /** The stage `npm run check` and `npm run hint` work on when no number is given. */
  current: number | undefined;
  /** Stages whose check passed on the learner's own workspace code. */
  passed: number[];
  /** How many hints of each stage have been shown. */
  hintsShown: Record<string, number>;
}

const FILE = () => path.join(WORKSPACE_DIR, 'progress.json');

export function readProgress(): Progress {
  let text: string;
  try {
    text = readFileSync(FILE(), 'utf8');
  } catch {
    return rebuild();
  }
  try {
    return normalise(JSON.parse(text));
  } catch {
    setAside();
    return rebuild();
  }
}

/** Keep a damaged file for the learner to look at, rather than overwrite it on the next save. */
function setAside(): void {
  const kept = `${FILE()}.damaged`;
  try {
    renameSync(FILE(), kept);
    console.error(messages.progressDamaged(displayPath(FILE()), displayPath(kept)));
  } catch {
    // Not writable either: the next save says so.
  }
}

export function writeProgress(progress: Progress): void {
  mkdirSync(WORKSPACE_DIR, { recursive: true });
  const temporary = `${FILE()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temporary, FILE());
}

/** Change and save the progress; a workspace that cannot be written to gets a warning, not a crash. */
export function updateProgress(change: (progress: Progress) => void): Progress {
  const progress = readProgress();
  change(progress);
  try {
    writeProgress(progress);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    console.error(messages.progressNotSaved(displayPath(FILE()), code));
  }
  return progress;
}

export function markPassed(stageId: number): void {
  updateProgress((p) => {
    if (!p.passed.includes(stageId)) p.passed = [...p.passed, stageId].sort((a, b) => a - b);
  });
}

/** Accept whatever parsed, keep only what makes sense. */
function normalise(raw: unknown): Progress {
  if (typeof raw !== 'object' || raw === null) return rebuild();
  const data = raw as Partial<Record<keyof Progress, unknown>>;
  const known = new Set<number>(stages.map((s) => s.id));
  const current = typeof data.current === 'number' && known.has(data.current) ? data.current : rebuild().current;
  const passed = Array.isArray(data.passed) ? [...new Set(data.passed.filter((id): id is number => known.has(id as number)))] : [];
  const hintsShown: Record<string, number> = {};
  if (typeof data.hintsShown === 'object' && data.hintsShown !== null) {
    for (const [id, count] of Object.entries(data.hintsShown)) {
      if (known.has(Number(id)) && Number.isInteger(count) && (count as number) >= 0) hintsShown[id] = count as number;
    }
  }
  return { current, passed: passed.sort((a, b) => a - b), hintsShown };
}

/** Without a readable file: the newest lesson folder is the current stage; passes are re-earned by checking. */
function rebuild(): Progress {
  const started = stages.filter((stage) => existsSync(stagePaths(stage).workspaceDir));
  return { current: started.at(-1)?.id, passed: [], hintsShown: {} };
}
