/**
 * `npm run solution N`: the reference solution of a stage the learner has passed, as a diff
 * against their own code. Never before they pass: reading it first would skip the lesson.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { readProgress } from '../core/progress.ts';
import { stagePaths, type Stage } from '../core/stages.ts';
import { messages } from '../messages.ts';
import { style } from '../ui/style.ts';
import { stageArgument, UsageError, type Command } from './command.ts';

export const solution: Command = {
  summary: 'Compare your code with the reference solution of a stage you passed',
  usage: 'npm run solution [N]',
  options: {},
  async run({ positionals }) {
    const progress = readProgress();
    const stage = stageArgument(positionals[0], progress.current);
    if (!stage) throw new UsageError(messages.noProgressYet);
    if (!progress.passed.includes(stage.id)) {
      console.log(messages.solutionLocked(stage.id));
      return 1;
    }
    console.log(solutionDiff(stage));
    return 0;
  },
};

/** A coloured unified diff, file by file: your code (−) against the reference (+). */
export function solutionDiff(stage: Stage): string {
  const { workspaceDir, solutionDir } = stagePaths(stage);
  const files = [...new Set([...sourceFiles(solutionDir), ...sourceFiles(workspaceDir)])].sort();
  const out: string[] = [];
  for (const file of files) {
    const mine = readIfExists(path.join(workspaceDir, file));
    const theirs = readIfExists(path.join(solutionDir, file));
    if (mine === theirs) continue;
    const patch = createTwoFilesPatch(`yours/${file}`, `reference/${file}`, mine ?? '', theirs ?? '', '', '', { context: 3 });
    out.push(...patch.split('\n').slice(1).map(colourDiffLine));
  }
  return out.length ? out.join('\n') : messages.solutionSame;
}

function colourDiffLine(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return style.strong(line);
  if (line.startsWith('+')) return style.added(line);
  if (line.startsWith('-')) return style.removed(line);
  if (line.startsWith('@@')) return style.dim(line);
  return line;
}

/** TypeScript files under a folder, relative to it: the code, not the pages it serves. */
function sourceFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'public' || name === 'node_modules' ? [] : sourceFiles(full, `${prefix}${name}/`);
    return name.endsWith('.ts') ? [`${prefix}${name}`] : [];
  });
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').replace(/\r\n/g, '\n') : undefined;
}
