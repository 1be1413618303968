/**
 * What every command module exports, and the argument handling they share. The CLI builds
 * parsing and `npm run help` from these tables, so an option is declared once.
 */
import { messages } from '../messages.ts';
import { findStage, stages, type Stage } from '../core/stages.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
}

export interface CommandArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

export interface Command {
  name: string;
  summary: string;
  /** How to call it, as a learner types it. */
  usage: string;
  options: Record<string, OptionSpec>;
  /** Resolves to the process exit code. */
  run(args: CommandArgs): Promise<number>;
}

/** A mistake in how the command was called: printed as is, exit code 2. */
export class UsageError extends Error {}

/** The stage named on the command line, or the fallback; a clear UsageError for anything else. */
export function stageArgument(given: string | undefined, fallback: number | undefined): Stage | undefined {
  if (given === undefined) return fallback === undefined ? undefined : findStage(fallback);
  const stage = /^\d+$/.test(given) ? findStage(Number(given)) : undefined;
  if (!stage) throw new UsageError(messages.unknownStage(given, stages.at(-1)!.id));
  return stage;
}
