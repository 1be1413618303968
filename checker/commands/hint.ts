/**
 * `npm run hint`: the current stage's hints, one more each time, least revealing first.
 */
import { readProgress, updateProgress } from '../core/progress.ts';
import type { Stage } from '../core/stages.ts';
import { messages } from '../messages.ts';
import { style } from '../ui/style.ts';
import { readingWidth, wrapItem } from '../ui/wrap-text.ts';
import { stageArgument, UsageError, type Command } from './command.ts';

export const hint: Command = {
  summary: 'Show the next hint for the current stage',
  usage: 'npm run hint [N] [-- --all | --reset]',
  options: {
    all: { type: 'boolean', description: 'show every hint of the stage at once' },
    reset: { type: 'boolean', description: 'start again from the first hint' },
  },
  async run({ positionals, values }) {
    const stage = stageArgument(positionals[0], readProgress().current ?? 1);
    if (!stage) throw new UsageError(messages.noProgressYet);
    console.log(nextHints(stage, { all: Boolean(values.all), reset: Boolean(values.reset) }));
    return 0;
  },
};

/** Show one more of the stage's hints (or all of them), with the earlier ones dimmed; watch mode's h key too. */
export function nextHints(stage: Stage, options: { all?: boolean; reset?: boolean } = {}): string {
  const key = String(stage.id);
  if (options.reset) updateProgress((p) => void (p.hintsShown[key] = 0));
  const total = stage.hints.length;
  if (total === 0) return messages.hintsNone(stage.id);
  const progress = updateProgress((p) => {
    const shown = p.hintsShown[key] ?? 0;
    p.hintsShown[key] = options.all ? total : Math.min(total, shown + 1);
  });
  const shown = progress.hintsShown[key]!;
  const out = [style.strong(`Stage ${stage.id} · ${stage.title} — hints ${shown === 1 ? '1' : `1–${shown}`} of ${total}`)];
  stage.hints.slice(0, shown).forEach((text, index) => {
    // Wrapped under the hint's first word, not under its number.
    const lines = wrapItem(text, readingWidth(), `${style.warn(`${index + 1}.`)} `, undefined, index === shown - 1 ? undefined : style.dim);
    out.push('', ...lines);
  });
  out.push('', shown < total ? messages.hintsMore(total - shown) : messages.hintsAllShown(total));
  return out.join('\n');
}
