/**
 * One line at the bottom of a terminal that says what is happening now — the stage, how many
 * requirements are done, the one running and for how long — redrawn in place, so a long test is
 * never mistaken for a hang. Lines printed through it go above it. Only in a terminal and outside
 * CI: anywhere else nothing is redrawn, and print() just prints.
 */
import { stripVTControlCharacters } from 'node:util';
import { style } from './style.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 200;
const CLEAR = '\r\x1b[2K';

export function statusLineWanted(stream: NodeJS.WriteStream = process.stdout): boolean {
  const ci = process.env.CI;
  return Boolean(stream.isTTY) && process.env.TERM !== 'dumb' && (ci === undefined || ci === '' || ci === '0' || ci === 'false');
}

export class StatusLine {
  private readonly stream: NodeJS.WriteStream;
  private readonly live: boolean;
  private text = '';
  private since = Date.now();
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(stream: NodeJS.WriteStream = process.stdout) {
    this.stream = stream;
    this.live = statusLineWanted(stream);
  }

  /** Say what is happening now; the clock beside it starts again. */
  set(text: string): void {
    this.text = text;
    this.since = Date.now();
    if (!this.live) return;
    this.timer ??= setInterval(() => this.draw(), REDRAW_MS).unref();
    this.draw();
  }

  /** Print lines above the status line. */
  print(lines: readonly string[]): void {
    if (lines.length === 0) return;
    if (this.live && this.timer) this.stream.write(CLEAR);
    // console.log, not write: a pipe closed early (`| head`) must not crash the checker.
    console.log(lines.join('\n'));
    if (this.live && this.timer) this.draw();
  }

  /** Remove the line for good. */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write(CLEAR);
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    const seconds = Math.floor((Date.now() - this.since) / 1000);
    const clock = seconds >= 1 ? style.dim(` ${seconds} s`) : '';
    const width = (this.stream.columns || 80) - 1;
    const room = width - 2 - stripVTControlCharacters(clock).length;
    const text = [...this.text].length > room ? `${[...this.text].slice(0, Math.max(0, room - 1)).join('')}…` : this.text;
    this.stream.write(`${CLEAR}${style.dim(FRAMES[this.frame]!)} ${text}${clock}`);
  }
}
