/**
 * The only place the CLI asks a question. It asks only when someone can answer — stdin and
 * stdout are a terminal and CI is not set — and turns Ctrl-C at a prompt (enquirer rejects
 * with an empty string) into PromptCancelled, which the CLI ends with exit code 130.
 */
import type Enquirer from 'enquirer';

export class PromptCancelled extends Error {
  constructor() {
    super('cancelled at a prompt');
  }
}

export function canPrompt(): boolean {
  const ci = process.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !inCi;
}

export interface Choice {
  name: string;
  message: string;
  hint?: string;
}

async function ask<T>(question: Record<string, unknown>): Promise<T> {
  // Loaded when a question is asked, not by every command that might ask one.
  const { default: enquirer } = await import('enquirer');
  try {
    const answer = await enquirer.prompt({ ...question, name: 'answer' } as Parameters<typeof Enquirer.prompt>[0]);
    return (answer as { answer: T }).answer;
  } catch (error) {
    if (error === '' || error === undefined) throw new PromptCancelled();
    throw error;
  }
}

export function select(message: string, choices: readonly Choice[], initial = 0): Promise<string> {
  return ask<string>({ type: 'select', message, choices: [...choices], initial });
}

export function confirm(message: string, initial = false): Promise<boolean> {
  return ask<boolean>({ type: 'confirm', message, initial });
}
