/**
 * `npm run list`: every stage with its state. The lesson command prints the same list when
 * there is no terminal to show a menu in.
 */
import { readProgress, type Progress } from '../core/progress.ts';
import { isBonus, stages } from '../core/stages.ts';
import { style, symbols } from '../ui/style.ts';
import type { Command } from './command.ts';

export function stageList(progress: Progress): string {
  const lines = stages.flatMap((stage, i) => {
    const mark = progress.passed.includes(stage.id) ? symbols.pass : stage.id === progress.current ? symbols.arrow : ' ';
    const title = stage.id === progress.current ? style.strong(stage.title) : stage.title;
    const line = `${mark} ${String(stage.id).padStart(2)}  ${title}${isBonus(stage) ? ` ${style.warn('(bonus)')}` : ''} ${style.dim(`— ${stage.summary}`)}`;
    // The bonus stages come after the course proper: say so once, above the first of them.
    const first = isBonus(stage) && !(i > 0 && isBonus(stages[i - 1]!));
    return first ? ['', style.dim('Bonus lessons, for after the course (not needed to finish it):'), line] : [line];
  });
  return [...lines, '', style.dim(`${symbols.pass} passed   → current.   Open a lesson with `) + style.command('npm run lesson N') + style.dim('.')].join('\n');
}

export const list: Command = {
  summary: 'List the stages and which ones you have passed',
  usage: 'npm run list',
  options: {},
  async run() {
    console.log(stageList(readProgress()));
    return 0;
  },
};
