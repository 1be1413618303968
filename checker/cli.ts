/**
 * The course's command line: `npm run lesson|check|hint|list|solution|help` all arrive here
 * (through launch.mjs). This file only parses arguments and dispatches to checker/commands/;
 * it also owns the exit codes: 0 success, 1 a check or step that failed, 2 a mistake in how
 * the command was called, 130 Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './commands/command.ts';
import { runCleanups } from './core/shutdown.ts';
import { messages } from './messages.ts';
import { closest } from './ui/did-you-mean.ts';
import { PromptCancelled } from './ui/prompt.ts';
import { style } from './ui/style.ts';

const help: Command = {
  summary: 'Show this list of commands',
  usage: 'npm run help',
  options: {},
  async run() {
    console.log(await helpText());
    return 0;
  },
};

/**
 * Each command's module is loaded only when that command runs: a check should not wait for the
 * lesson renderer, the classroom board or the benchmark to load.
 */
const commands: Record<string, () => Promise<Command>> = {
  lesson: async () => (await import('./commands/lesson.ts')).lesson,
  check: async () => (await import('./commands/check.ts')).check,
  next: async () => (await import('./commands/next.ts')).next,
  reset: async () => (await import('./commands/reset.ts')).reset,
  hint: async () => (await import('./commands/hint.ts')).hint,
  list: async () => (await import('./commands/list.ts')).list,
  solution: async () => (await import('./commands/solution.ts')).solution,
  serve: async () => (await import('./commands/serve.ts')).serve,
  bench: async () => (await import('./commands/bench.ts')).bench,
  classroom: async () => (await import('./commands/classroom.ts')).classroom,
  doctor: async () => (await import('./commands/doctor.ts')).doctor,
  help: async () => help,
};

const GLOBAL_OPTIONS = {
  debug: { type: 'boolean', description: 'show the stack trace of an unexpected error' },
  help: { type: 'boolean', description: 'show the commands and their options' },
} as const;

async function helpText(): Promise<string> {
  const all = await Promise.all(Object.values(commands).map((load) => load()));
  const blocks = all.map((command) => {
    const options = Object.entries(command.options).map(([name, spec]) => `      --${name}${spec.type === 'string' ? ' <value>' : ''}  ${style.dim(spec.description)}`);
    return [`  ${style.command(command.usage)}`, `      ${command.summary}`, ...options].join('\n');
  });
  return messages.usage(blocks.join('\n\n'));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    if (name === undefined || name === '--help') return help.run({ positionals: [], values: {} });
    throw new UsageError(messages.unknownCommand(name, closest(name, Object.keys(commands))));
  }
  const command = await load();
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(optionMistake(error as Error & { code?: string }, Object.keys(options)));
  }
  if (parsed.values.help) return help.run({ positionals: [], values: {} });
  return command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined> });
}

/** parseArgs's own words tell a learner to put `--wtach` after `--`: say what they meant instead. */
function optionMistake(error: Error & { code?: string }, known: string[]): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /'(-[^']*)'/.exec(error.message)?.[1] ?? '';
    const meant = closest(typed.replace(/^-+/, ''), known);
    return messages.unknownOption(typed, meant === undefined ? undefined : `--${meant}`);
  }
  return messages.badOption(error.message.replace(/\.$/, ''));
}

const debug = process.argv.includes('--debug');
// Output piped into a program that stops reading (`npm run check | head`): the rest is not
// wanted, but the check must still end as it would, stopping the server it started.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (error instanceof PromptCancelled) {
    console.error(messages.interrupted);
    process.exitCode = 130;
  } else {
    console.error(messages.unexpected(error instanceof Error ? error.message : String(error)));
    if (debug && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  }
} finally {
  runCleanups();
}
