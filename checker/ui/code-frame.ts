/**
 * A syntax error in the learner's file, shown as a good compiler shows it: where (file:line:
 * column), what, and the lines around it with a caret — instead of the stack of esbuild and
 * Node internals that Node prints when tsx cannot transform the file.
 */
import { readFileSync } from 'node:fs';
import { displayPath } from '../core/paths.ts';
import { style } from './style.ts';

export interface SyntaxProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** esbuild's one-line form, which tsx passes on: `/path/server.ts:2:44: ERROR: Expected ")" but found ";"`. */
const ESBUILD_ERROR = /^(.+?\.[cm]?[jt]sx?):(\d+):(\d+): ERROR: (.+)$/m;

export function syntaxProblemIn(output: string): SyntaxProblem | undefined {
  const match = ESBUILD_ERROR.exec(output);
  if (!match) return undefined;
  return { file: match[1]!, line: Number(match[2]), column: Number(match[3]), message: match[4]! };
}

/** "file:line:column: message", then up to two lines either side of the line, the caret under the column. */
export function codeFrame(problem: SyntaxProblem, indent = '  '): string[] {
  const out = [`${indent}${style.path(`${displayPath(problem.file)}:${problem.line}:${problem.column}`)}: ${problem.message}`];
  let lines: string[];
  try {
    lines = readFileSync(problem.file, 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
  } catch {
    return out;
  }
  const first = Math.max(1, problem.line - 2);
  const last = Math.min(lines.length, problem.line + 2);
  const width = String(last).length;
  out.push('');
  for (let n = first; n <= last; n++) {
    const mark = n === problem.line ? style.fail('>') : ' ';
    out.push(`${indent}${mark} ${style.dim(`${String(n).padStart(width)} |`)} ${lines[n - 1]}`);
    // esbuild counts columns from 0.
    if (n === problem.line) out.push(`${indent}  ${style.dim(`${' '.repeat(width)} |`)} ${' '.repeat(problem.column)}${style.caret('^')}`);
  }
  return out;
}
