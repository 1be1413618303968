/**
 * `npm run check`: start the learner's server for the current stage and run that stage's
 * suite, then the earlier stages' suites newest to oldest, stopping at the first stage that
 * fails. Exit code 0 only when everything checked passed. `--watch` re-checks on every save.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../core/paths.ts';
import { markPassed, readProgress } from '../core/progress.ts';
import { runCheck } from '../core/run-check.ts';
import { prepareServerProcess } from '../core/server-process.mjs';
import { createSuiteRunner, type SuiteRunner } from '../core/run-suites.ts';
import { bonusStages, coreStages, nextStage, stagePaths, type Stage } from '../core/stages.ts';
import { messages } from '../messages.ts';
import { canPrompt, confirm } from '../ui/prompt.ts';
import { LiveReport } from '../ui/live-report.ts';
import { formatHeader, reportJson, type CheckReport } from '../ui/report.ts';
import { statusLineWanted } from '../ui/status-line.ts';
import { style } from '../ui/style.ts';
import { watchAndCheck, type Watched } from './check-watch.ts';
import { stageArgument, UsageError, type Command } from './command.ts';
import { passedCount } from './list.ts';

export const check: Command = {
  summary: 'Check your server for the current stage (and every earlier one)',
  usage: 'npm run check [N] [-- --watch [--poll] | --entry file.ts | --json]',
  options: {
    watch: { type: 'boolean', description: 're-check every time you save a file in the lesson folder' },
    poll: { type: 'boolean', description: 'with --watch: look for changes every half second, where file events do not arrive (WSL on a Windows drive, network folders)' },
    entry: { type: 'string', description: 'check this file instead of your workspace code (for instructors and tests)' },
    json: { type: 'boolean', description: 'print the result as JSON, for scripts' },
    'listen-timeout': { type: 'string', description: 'seconds to wait for the server to listen (default 8)' },
  },
  async run({ positionals, values }) {
    const stage = stageArgument(positionals[0], readProgress().current ?? (values.entry ? undefined : 1));
    if (!stage) throw new UsageError(messages.badOption('With --entry, say which stage to check: npm run check -- 2 --entry file.ts'));
    const ownCode = values.entry === undefined;
    const entry = ownCode ? stagePaths(stage).workspaceEntry : path.resolve(String(values.entry));
    if (!existsSync(entry)) {
      console.error(ownCode ? messages.noWorkspace(stage.id, displayPath(stagePaths(stage).workspaceDir)) : messages.noEntry(displayPath(entry)));
      return 1;
    }
    const listenTimeoutMs = values['listen-timeout'] === undefined ? undefined : seconds(String(values['listen-timeout']));
    const json = Boolean(values.json);
    if (values.watch && json) throw new UsageError(messages.badOption('--watch and --json do not go together'));

    const runner = createSuiteRunner();
    try {
      if (!values.watch) {
        const report = await checkOnce({ stage, entry, ownCode, json, runner, listenTimeoutMs, watching: false });
        if (report.ok && ownCode && !json) await afterPass(stage);
        return report.ok ? 0 : 1;
      }
      // Between re-checks, the next server's process and the next run's thread get ready.
      const prepareNext = async () => {
        prepareServerProcess();
        (await runner).prepareNextRun();
      };
      const again = (watched: Watched, notice?: string) => checkOnce({ ...watched, json, runner, listenTimeoutMs, watching: true, notice });
      return await watchAndCheck({ stage, entry, ownCode }, { once: again, prepareNext, poll: Boolean(values.poll) });
    } finally {
      await (await runner).close();
    }
  },
};

interface OnceOptions {
  stage: Stage;
  entry: string;
  ownCode: boolean;
  json: boolean;
  runner: Promise<SuiteRunner>;
  listenTimeoutMs: number | undefined;
  /** Watch mode: a clean screen for each run, passed requirements folded into a count. */
  watching: boolean;
  /** Printed at the top, under the header: what watch mode just did (opened the next lesson). */
  notice?: string;
}

async function checkOnce({ stage, entry, ownCode, json, runner, listenTimeoutMs, watching, notice }: OnceOptions): Promise<CheckReport> {
  // A re-check starts on a clean screen, so its first failure is at the top, not scrolled away.
  if (watching && !json && statusLineWanted()) process.stdout.write('\x1b[2J\x1b[3J\x1b[H');
  if (notice) console.log(`${notice}\n`);
  if (!json) console.log(formatHeader(stage, displayPath(entry)));
  const live = json ? undefined : new LiveReport(displayPath(entry), { foldPassed: watching });
  const report = await runCheck({
    stage,
    entry,
    runner,
    listenTimeoutMs,
    listener: live,
    onSlowStart: live ? (port) => live.note(style.dim(`Waiting for your server to listen on port ${port}…`)) : undefined,
  });
  if (live) live.finish(report);
  else console.log(JSON.stringify(reportJson(report), null, 2));
  if (report.ok && ownCode) markPassed(stage.id);
  if (ownCode && !json) console.log(style.dim(passedCount(readProgress())));
  if (ownCode) {
    // Loaded here, not at the top: most checks are outside a classroom, and every module counts.
    const { sendResult } = await import('../classroom/send-result.ts');
    await sendResult(report, { json });
  }
  return report;
}

async function afterPass(stage: Stage): Promise<void> {
  const next = nextStage(stage);
  // Passing the last core stage finishes the course; the bonus stages are offered, not assumed.
  if (stage.id === coreStages.at(-1)?.id) console.log(messages.courseComplete(bonusStages));
  else console.log(next ? messages.nextLesson(next.id, next.title) : messages.bonusComplete);
  if (canPrompt()) {
    if (await confirm(messages.offerSolution, false)) {
      const { solutionDiff } = await import('./solution.ts');
      console.log(`\n${solutionDiff(stage)}`);
    }
  } else {
    console.log(messages.solutionCommand(stage.id));
  }
}

function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(messages.badOption(`--listen-timeout takes a number of seconds, not "${text}"`));
  return value * 1000;
}
