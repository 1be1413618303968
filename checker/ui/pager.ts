/**
 * Long text (a lesson) through the learner's pager, so it can be read from the top: $PAGER, or
 * `less` where there is one. Without a terminal, or without a pager, the text is just printed.
 */
import { spawn } from 'node:child_process';
import { canPrompt } from './prompt.ts';
import { readingWidth, terminalWidth, wrapText } from './wrap-text.ts';

/**
 * Short messages after a page (where the lesson folder is, what to run next), each wrapped to
 * the reading width in a terminal; into a pipe or a file, one line each, as grep would want.
 */
export function printWrapped(...messages: readonly string[]): void {
  const width = terminalWidth() === Infinity ? Infinity : readingWidth();
  for (const message of messages) process.stdout.write(`${width === Infinity ? message : wrapText(message, width).join('\n')}\n`);
}

export async function page(text: string): Promise<void> {
  const rows = process.stdout.rows ?? 0;
  if (!canPrompt() || rows === 0 || text.split('\n').length < rows - 2) {
    process.stdout.write(text);
    return;
  }
  // -R keeps the colours, -F quits at once if the text fits, -X leaves it on screen afterwards.
  const [command = 'less', ...args] = (process.env.PAGER || 'less -RFX').split(/\s+/);
  // While the pager runs, Ctrl-C is its business: it must not end us and leave it orphaned.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  try {
    const shown = await new Promise<boolean>((resolve) => {
      const pager = spawn(command, args, { stdio: ['pipe', 'inherit', 'inherit'] });
      pager.on('error', () => resolve(false));
      pager.on('close', () => resolve(true));
      pager.stdin.on('error', () => {}); // the reader quit before the end: fine
      pager.stdin.end(text);
    });
    if (!shown) process.stdout.write(text);
  } finally {
    process.off('SIGINT', ignore);
  }
}
