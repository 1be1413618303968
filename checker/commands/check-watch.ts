/**
 * `npm run check -- --watch`: check again on every save. In a terminal, keys do the rest of the
 * loop without leaving it: r re-checks, h shows one more hint, l lists the stages, n (once the
 * stage passes) opens the next lesson and watches its folder, q quits. Without a terminal it
 * re-checks on every save until Ctrl-C.
 */
import path from 'node:path';
import { readProgress, updateProgress } from '../core/progress.ts';
import { watchFolder, type FolderWatcher } from '../core/folder-watcher.ts';
import { nextStage, stagePaths, type Stage } from '../core/stages.ts';
import { messages } from '../messages.ts';
import { canPrompt } from '../ui/prompt.ts';
import type { CheckReport } from '../ui/report.ts';
import { nextHints } from './hint.ts';
import { prepareFolder } from './lesson.ts';
import { stageList } from './list.ts';

export interface Watched {
  stage: Stage;
  entry: string;
  /** The learner's own workspace code, not a file given with --entry: only then can n open the next lesson. */
  ownCode: boolean;
}

export interface WatchOptions {
  once: (watched: Watched, notice?: string) => Promise<CheckReport>;
  /** Between re-checks: get the next run's server process and thread ready. */
  prepareNext: () => Promise<void>;
  poll: boolean;
}

export async function watchAndCheck(first: Watched, { once, prepareNext, poll }: WatchOptions): Promise<number> {
  let watched = first;
  let running: Promise<unknown> | undefined;
  let again = false;
  let last: CheckReport | undefined;
  // Said at the top of the next run's screen, which starts clean.
  let notice: string | undefined;
  const keys = canPrompt();
  const next = () => (last?.ok && watched.ownCode ? nextStage(watched.stage) : undefined);

  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        last = await once(watched, notice);
        notice = undefined;
        console.log(`\n${keys ? messages.watchKeys(next()?.id) : messages.watchNoTty}${watcher.polling ? `\n${messages.watchPolling}` : ''}`);
        // After the report, not before: the learner reads it while the next run gets ready.
        await prepareNext();
      } while (again);
      running = undefined;
    })();
  };

  let watcher: FolderWatcher = watchFolder(path.dirname(watched.entry), trigger, { poll });
  trigger();

  await new Promise<void>((resolve) => {
    if (!keys) return; // Ctrl-C (handled by core/shutdown.ts) ends a watch without a terminal.
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (key: string) => {
      if (key === 'q') resolve();
      // Raw mode turns Ctrl-C into a key press: treat it as the interrupt it is.
      if (key === '\u0003') process.kill(process.pid, 'SIGINT');
      if (key === 'r') trigger();
      // The other keys print: not in the middle of a report.
      if (running) return;
      if (key === 'h') console.log(`\n${nextHints(watched.stage)}\n\n${messages.watchKeys(next()?.id)}`);
      if (key === 'l') console.log(`\n${stageList(readProgress())}\n\n${messages.watchKeys(next()?.id)}`);
      const following = next();
      if (key === 'n' && following) {
        void (async () => {
          // The stage just passed, so the folder comes from the learner's own code: never 'declined'.
          const setup = await prepareFolder(following, readProgress().passed, false);
          if (setup === 'declined') return;
          updateProgress((p) => void (p.current = following.id));
          watched = { stage: following, entry: stagePaths(following).workspaceEntry, ownCode: true };
          watcher.close();
          watcher = watchFolder(path.dirname(watched.entry), trigger, { poll });
          notice = [...setup, messages.watchNextLesson(following.id, following.title, watched.entry)].join('\n');
          trigger();
        })();
      }
    });
  });
  watcher.close();
  process.stdin.setRawMode?.(false);
  process.stdin.pause();
  await running;
  return last?.ok ? 0 : 1;
}
