/**
 * `npm run next`: open the lesson after the last one passed — the lesson command, with the
 * number worked out.
 */
import { readProgress } from '../core/progress.ts';
import { findStage, stages } from '../core/stages.ts';
import { messages } from '../messages.ts';
import type { Command } from './command.ts';
import { lesson } from './lesson.ts';

export const next: Command = {
  summary: 'Open the lesson after the last one you passed',
  usage: 'npm run next',
  options: lesson.options,
  async run({ values }) {
    const { passed } = readProgress();
    const last = Math.max(0, ...passed);
    const following = findStage(last + 1);
    if (!following) {
      console.log(messages.allPassed(stages.length));
      return 0;
    }
    return lesson.run({ positionals: [String(following.id)], values });
  },
};
