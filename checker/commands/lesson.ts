/**
 * `npm run lesson N`: print lesson N in the terminal and make sure the learner has a folder
 * to write it in. Without N, a menu of the stages (or, with no terminal, the list).
 */
import { existsSync } from 'node:fs';
import { lessonMarkdown } from '../core/lesson-text.ts';
import { displayPath } from '../core/paths.ts';
import { readProgress, updateProgress } from '../core/progress.ts';
import { isBonus, previousStage, stagePaths, stages, type Stage } from '../core/stages.ts';
import { catchUp, createLessonFolder, plannedOrigin } from '../core/workspace.ts';
import { messages } from '../messages.ts';
import { canPrompt, confirm, select } from '../ui/prompt.ts';
import { page, printWrapped } from '../ui/pager.ts';
import { renderMarkdown } from '../ui/render-markdown.ts';
import { style, symbols } from '../ui/style.ts';
import { stageArgument, type Command } from './command.ts';
import { stageList } from './list.ts';

export const lesson: Command = {
  summary: 'Read lesson N and set up its folder in workspace/',
  usage: 'npm run lesson [N] [-- --catch-up]',
  options: {
    'catch-up': { type: 'boolean', description: 'start lesson N from the reference solution of N-1 (your code is backed up first)' },
    quiet: { type: 'boolean', description: 'set up the folder without printing the lesson' },
  },
  async run({ positionals, values }) {
    const progress = readProgress();
    let stage = stageArgument(positionals[0], undefined);
    if (!stage) {
      if (!canPrompt()) {
        console.log(stageList(progress));
        return 0;
      }
      stage = await chooseStage(progress.passed);
    }

    const setup = await prepareFolder(stage, progress.passed, Boolean(values['catch-up']));
    if (setup === 'declined') {
      // Not set up: the lesson can still be read, and the learner told how to start it.
      if (!values.quiet) await page(renderMarkdown(lessonMarkdown(stage)));
      console.log(style.dim('─'.repeat(40)));
      printWrapped(messages.jumpAheadDeclined(stage.id, previousStage(stage)!.id));
      return canPrompt() ? 0 : 1;
    }
    updateProgress((p) => void (p.current = stage.id));

    if (!values.quiet) await page(renderMarkdown(lessonMarkdown(stage)));
    console.log(style.dim('─'.repeat(40)));
    printWrapped(...setup, messages.lessonFooter(displayPath(stagePaths(stage).workspaceEntry)));
    return 0;
  },
};

/** The menu opens on the next lesson to do: the first not passed yet. */
async function chooseStage(passed: readonly number[]): Promise<Stage> {
  const choices = stages.map((stage) => {
    const message = `${passed.includes(stage.id) ? symbols.pass : ' '} ${String(stage.id).padStart(2)}  ${stage.title}${isBonus(stage) ? ' (bonus)' : ''}`;
    return { name: String(stage.id), message, hint: fitLine(stage.summary, message.length + 4) };
  });
  const initial = Math.max(0, stages.findIndex((s) => !passed.includes(s.id)));
  const answer = await select('Which lesson?', choices, initial);
  return stages.find((s) => String(s.id) === answer)!;
}

/** `text` cut to what is left of the terminal's width after `used` columns: a menu line that wraps redraws badly. */
function fitLine(text: string, used: number): string {
  const room = (process.stdout.columns || 80) - used - 1;
  return text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1)).trimEnd()}…`;
}

/**
 * Create or catch up the lesson folder; returns what to tell the learner about it, or 'declined'
 * when the folder would have held the answer to a stage the learner has not passed and they did
 * not ask for it.
 */
export async function prepareFolder(stage: Stage, passed: readonly number[], catchUpAsked: boolean): Promise<string[] | 'declined'> {
  const previous = previousStage(stage);
  const previousPassed = !previous || passed.includes(previous.id);
  const exists = existsSync(stagePaths(stage).workspaceDir);

  let doCatchUp = catchUpAsked && previous !== undefined;
  if (!doCatchUp && previous && !previousPassed && canPrompt()) {
    if (exists) {
      doCatchUp = await confirm(messages.catchUpReplaceQuestion(previous.id), false);
    } else if (existsSync(stagePaths(previous).workspaceEntry)) {
      const answer = await select(messages.catchUpQuestion(previous.id), [
        { name: 'reference', message: `From the reference solution of stage ${previous.id} (catch up)` },
        { name: 'own', message: `From my own stage ${previous.id} code, as it is now` },
      ]);
      if (answer === 'own') {
        createLessonFolder(stage, 'own-previous');
        return [messages.lessonFromOwnCode(previous.id, false)];
      }
      doCatchUp = true;
    }
  }

  if (doCatchUp && previous) {
    const backup = catchUp(stage);
    return [messages.lessonFromCatchUp(previous.id), ...(backup ? [messages.backedUp(displayPath(backup))] : [])];
  }
  if (exists) return [messages.lessonExists];
  const origin = plannedOrigin(stage, passed);
  // Jumping ahead: the starter is the previous stage's reference solution. Only on request.
  if (origin === 'starter' && previous && !previousPassed && !doCatchUp) {
    if (!canPrompt() || !(await confirm(messages.jumpAheadQuestion(stage.id, previous.id), false))) return 'declined';
  }
  createLessonFolder(stage, origin);
  if (origin === 'own-previous') return [messages.lessonFromOwnCode(previous!.id, true)];
  return [previous && !previousPassed ? messages.lessonFromCatchUp(previous.id) : messages.lessonFromStarter];
}
