/**
 * A lesson's Markdown with its code included from the reference solutions. A lesson writes
 * `{{#include ../../solutions/02-first-response/server.ts:response}}` and gets the lines between
 * `// ANCHOR: response` and `// ANCHOR_END: response` in that file, so a lesson can only show
 * code that the tests have run. Both the terminal view and the site read lessons through here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stagePaths, type Stage } from './stages.ts';

const INCLUDE = /\{\{#include ([^}:]+?)(?::([\w-]+))?\}\}/g;
const ANCHOR_LINE = /^\s*\/\/ ANCHOR(?:_END)?: [\w-]+\s*$/;

export class IncludeError extends Error {}

export interface Include {
  file: string;
  anchor: string | undefined;
}

export function findIncludes(markdown: string, fromFile: string): Include[] {
  return [...markdown.matchAll(INCLUDE)].map((m) => ({ file: path.resolve(path.dirname(fromFile), m[1]!), anchor: m[2] }));
}

/** The lines an include names, dedented, with every anchor marker line removed. */
export function includedText(include: Include): string {
  let source: string;
  try {
    source = readFileSync(include.file, 'utf8');
  } catch {
    throw new IncludeError(`{{#include}} names ${include.file}, which does not exist.`);
  }
  let lines = source.replace(/\r\n/g, '\n').split('\n');
  if (include.anchor) {
    const start = lines.findIndex((line) => line.trim() === `// ANCHOR: ${include.anchor}`);
    const end = lines.findIndex((line, i) => i > start && line.trim() === `// ANCHOR_END: ${include.anchor}`);
    if (start === -1 || end === -1) {
      throw new IncludeError(`{{#include}} names the anchor "${include.anchor}" in ${include.file}, which has no "// ANCHOR: ${include.anchor}" … "// ANCHOR_END: ${include.anchor}" pair.`);
    }
    lines = lines.slice(start + 1, end);
  }
  lines = lines.filter((line) => !ANCHOR_LINE.test(line));
  while (lines.length && lines.at(-1)!.trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

export function resolveIncludes(markdown: string, fromFile: string): string {
  return markdown.replace(INCLUDE, (_, file: string, anchor: string | undefined) =>
    includedText({ file: path.resolve(path.dirname(fromFile), file), anchor }),
  );
}

/** The lesson's Markdown, includes resolved. */
export function lessonMarkdown(stage: Stage): string {
  const file = stagePaths(stage).lessonFile;
  return resolveIncludes(readFileSync(file, 'utf8'), file);
}
