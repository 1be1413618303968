/**
 * `npm run list`: every stage with its state. The lesson command prints the same list when
 * there is no terminal to show a menu in.
 */
import { readProgress, type Progress } from '../core/progress.ts';
import { bonusStages, coreStages, isBonus, stages, type Stage } from '../core/stages.ts';
import { style, symbols } from '../ui/style.ts';
import { keepTogether, terminalWidth, wrapItem, wrapText } from '../ui/wrap-text.ts';
import type { Command } from './command.ts';

/** The list, each entry wrapped to `width` columns: the terminal's, or none for a file or a pipe. */
export function stageList(progress: Progress, width = terminalWidth()): string {
  const lines = stages.flatMap((stage, i) => {
    // Two marks, so the current stage is marked whether or not it has passed.
    const passed = progress.passed.includes(stage.id) ? symbols.pass : ' ';
    const current = stage.id === progress.current ? symbols.arrow : ' ';
    const title = stage.id === progress.current ? style.strong(stage.title) : stage.title;
    const lead = `${passed}${current} ${String(stage.id).padStart(2)}  `;
    const text = `${title}${isBonus(stage) ? ` ${style.warn('(bonus)')}` : ''} ${style.dim(`— ${stage.summary}`)}`;
    // In a narrow terminal the summary goes on under the title, not under the number.
    const entry = wrapItem(text, width, lead);
    // The bonus stages come after the course proper: say so once, above the first of them.
    const first = isBonus(stage) && !(i > 0 && isBonus(stages[i - 1]!));
    return first ? ['', ...wrapText('Bonus lessons, for after the course (not needed to finish it):', width).map(style.dim), ...entry] : entry;
  });
  const legend = style.dim(`${symbols.pass} passed   → current.   Open a lesson with `) + style.command(keepTogether('npm run lesson N')) + style.dim('.');
  return [...lines, '', passedCount(progress), ...wrapText(legend, width)].join('\n');
}

/** "3 of 9 core stages passed (bonus: 0 of 3)": where the learner is, in one line; the end of every check says it too. */
export function passedCount(progress: Progress): string {
  const count = (list: readonly Stage[]) => list.filter((stage) => progress.passed.includes(stage.id)).length;
  const bonus = bonusStages.length === 0 ? '' : ` (bonus: ${count(bonusStages)} of ${bonusStages.length})`;
  return `${count(coreStages)} of ${coreStages.length} core stages passed${bonus}`;
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
