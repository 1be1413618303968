/**
 * Every sentence the CLI says to a learner outside a test report, in one place. Each error
 * names the next thing to run.
 */
import { displayPath as displayPathOf } from './core/paths.ts';
import { style } from './ui/style.ts';

const cmd = style.command;

export const messages = {
  usage: (commands: string) => `Usage: npm run <command> [-- options]\n\n${commands}\n\nStart with ${cmd('npm run lesson 1')}.`,
  unknownCommand: (name: string, meant: string | undefined) =>
    `There is no command "${name}".${meant ? ` Did you mean ${cmd(`npm run ${meant}`)}?` : ''} Run ${cmd('npm run help')} to see the commands.`,
  unknownOption: (typed: string, meant: string | undefined) =>
    `Unknown option ${typed}.${meant ? ` Did you mean ${cmd(meant)}?` : ''} Run ${cmd('npm run help')} to see the options.`,
  unknownStage: (given: string, last: number) =>
    `There is no stage "${given}". The stages are numbered 1 to ${last}: run ${cmd('npm run lesson')} to see them.`,
  badOption: (detail: string) => `${detail}. Run ${cmd('npm run help')} to see the options.`,
  noWorkspace: (stage: number, folder: string) =>
    `There is no code for stage ${stage} yet (${folder} does not exist). Run ${cmd(`npm run lesson ${stage}`)} to create it.`,
  noEntry: (file: string) => `The file ${style.path(file)} does not exist. Check the path you gave to --entry.`,
  noProgressYet: `You have not started a lesson yet. Run ${cmd('npm run lesson 1')} to begin.`,
  lessonFooter: (file: string) =>
    `Your code for this lesson is in ${style.path(file)}. Edit it, then run ${cmd('npm run check')} (or ${cmd('npm run check -- --watch')} to re-check on every save).`,
  lessonFromOwnCode: (previous: number, passed: boolean) =>
    `Lesson folder created from your own stage ${previous} code${passed ? ', which passed' : ''}. New files from the lesson's starter were added next to it.`,
  lessonFromStarter: 'Lesson folder created from the lesson\'s starter files.',
  lessonFromCatchUp: (previous: number) =>
    `Lesson folder created from the reference solution of stage ${previous}, with TODOs for this lesson.`,
  lessonExists: 'Your lesson folder already exists; it was left exactly as it was.',
  resetDone: (stage: number, folder: string, fromOwn: number | undefined) =>
    `${style.path(folder)} is back to how ${cmd(`npm run lesson ${stage}`)} made it: ${fromOwn ? `your own stage ${fromOwn} code` : 'the lesson\'s starter files'}.`,
  allPassed: (count: number) => `You have passed all ${count} stages, the bonus lessons too. ${cmd('npm run lesson')} opens any of them again.`,
  jumpAheadQuestion: (stage: number, previous: number) =>
    `Stage ${previous} is not passed yet, and lesson ${stage} starts from the reference solution of stage ${previous}: the answer to lesson ${previous}. Start from it anyway?`,
  jumpAheadDeclined: (stage: number, previous: number) =>
    `Lesson ${stage} was not set up: it starts from the reference solution of stage ${previous}, which you have not passed yet. Finish stage ${previous} first (${cmd(`npm run lesson ${previous}`)}), or start from that solution with ${cmd(`npm run lesson ${stage} -- --catch-up`)}.`,
  backedUp: (folder: string) => `Your previous code was moved to ${style.path(folder)} — nothing was deleted.`,
  catchUpQuestion: (previous: number) => `Stage ${previous} is not passed yet. Where should this lesson start?`,
  catchUpReplaceQuestion: (previous: number) =>
    `Stage ${previous} is not passed yet. Replace this lesson's code with the reference solution of stage ${previous} (your code is backed up first)?`,
  nextLesson: (next: number, title: string) => `Next: ${cmd(`npm run lesson ${next}`)} — ${title}.`,
  courseComplete: (bonus: ReadonlyArray<{ id: number; title: string }>) =>
    `That was the last stage of the course: your server is complete. Serve the course with it: see the capstone lesson.` +
    (bonus.length === 0 ? '' : `\nIf you want more, there are bonus lessons: ${bonus.map((s) => `${cmd(`npm run lesson ${s.id}`)} — ${s.title}`).join(', ')}.`),
  bonusComplete: 'That was the last bonus lesson too. Your server does more than most static file servers: well done.',
  offerSolution: 'See how the reference solution does it, as a diff against your code?',
  solutionCommand: (stage: number) => `To compare your code with the reference solution: ${cmd(`npm run solution ${stage}`)}.`,
  solutionLocked: (stage: number) =>
    `The reference solution of stage ${stage} unlocks when your code passes it. Run ${cmd(`npm run check ${stage}`)} first, or ${cmd('npm run hint')} for a nudge.`,
  solutionSame: 'Your code and the reference solution are identical.',
  hintsNone: (stage: number) => `Stage ${stage} has no hints.`,
  hintsAllShown: (count: number) => `That was the last of ${count} hints. ${cmd('npm run hint -- --reset')} starts from the first again.`,
  hintsMore: (left: number) => `${left} more ${left === 1 ? 'hint' : 'hints'}: run ${cmd('npm run hint')} again.`,
  watchKeys: (next: number | undefined) =>
    `Watching for changes. Keys: ${next ? `${cmd('n')} open lesson ${next} · ` : ''}${cmd('r')} re-check · ${cmd('h')} hint · ${cmd('l')} list · ${cmd('q')} quit`,
  watchNoTty: 'Watching for changes. Press Ctrl-C to stop.',
  watchPolling: 'File events do not reach this folder, so it is looked at every half second instead (--poll).',
  watchNextLesson: (stage: number, title: string, entry: string) =>
    `Lesson ${stage} · ${title}: read it with ${cmd(`npm run lesson ${stage}`)} (or in site/). Now watching ${style.path(displayPathOf(entry))}.`,
  serving: (stage: number, entry: string, root: string, url: string) =>
    `Serving ${style.path(root)} with your stage ${stage} server (${entry}).\nOpen ${style.command(url)} in your browser.`,
  progressNotSaved: (file: string, code: string) =>
    `Your progress could not be saved in ${style.path(file)} (${code}). What was checked stands; ${cmd('npm run list')} will not show it until the file can be written.`,
  progressDamaged: (file: string, kept: string) =>
    `${style.path(file)} could not be read, so it was set aside as ${style.path(kept)} and a new one started. Your code is untouched: each stage counts as passed again once you check it.`,
  interrupted: 'Stopped.',
  unexpected: (message: string) => `Something went wrong inside the checker: ${message}\nRun the same command with ${cmd('--debug')} to see where, and please report it.`,
} as const;
