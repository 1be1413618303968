/**
 * What every command module exports, and the argument handling they share. The CLI builds
 * parsing and `npm run help` from these tables, so an option is declared once.
 */
import { existsSync } from 'node:fs';
import { displayPath } from '../core/paths.ts';
import { readProgress } from '../core/progress.ts';
import { findStage, stagePaths, stages, type Stage } from '../core/stages.ts';
import { messages } from '../messages.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
}

export interface CommandArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** A command's name is its key in cli.ts's table, which loads the module only when it runs. */
export interface Command {
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

/**
 * The learner's own server for the stage named on the command line, or their current one.
 * Undefined, once the learner has been told how to create it, when that lesson has no folder yet.
 */
export function ownServer(given: string | undefined): { stage: Stage; entry: string } | undefined {
  const stage = stageArgument(given, readProgress().current);
  if (!stage) throw new UsageError(messages.noProgressYet);
  const { workspaceEntry: entry, workspaceDir } = stagePaths(stage);
  if (!existsSync(entry)) {
    console.error(messages.noWorkspace(stage.id, displayPath(workspaceDir)));
    return undefined;
  }
  return { stage, entry };
}
