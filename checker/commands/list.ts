/**
 * `npm run list`: every stage with its state. The lesson command prints the same list when
 * there is no terminal to show a menu in.
 */
import { readProgress, type Progress } from '../core/progress.ts';
import { stages } from '../core/stages.ts';
import { style, symbols } from '../ui/style.ts';
import type { Command } from './command.ts';

export function stageList(progress: Progress): string {
  const lines = stages.map((stage) => {
    const mark = progress.passed.includes(stage.id) ? symbols.pass : stage.id === progress.current ? symbols.arrow : ' ';
    const title = stage.id === progress.current ? style.strong(stage.title) : stage.title;
    return `${mark} ${String(stage.id).padStart(2)}  ${title} ${style.dim(`— ${stage.summary}`)}`;
  });
  return [...lines, '', style.dim(`${symbols.pass} passed   → current.   Open a lesson with `) + style.command('npm run lesson N') + style.dim('.')].join('\n');
}

export const list: Command = {
  name: 'list',
  summary: 'List the stages and which ones you have passed',
  usage: 'npm run list',
  options: {},
  async run() {
    console.log(stageList(readProgress()));
    return 0;
  },
};
