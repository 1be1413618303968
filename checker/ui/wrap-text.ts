/**
 * Text laid out for the terminal: words wrapped to a width counted in visible columns, so
 * kleur's colour codes do not count, and lines no wider than is comfortable to read.
 */
import { stripVTControlCharacters } from 'node:util';

/**
 * Short quoted strings and regular expressions, whose spaces are part of what they say: split
 * there, `" "` or `/^([^ ]+) /` would read as something else.
 */
const UNBREAKABLE = /"[^"\n]{0,30}"|\/\^[^\n]{0,60}?\$\//g;
const KEPT_SPACE = '\u0000';

export const visibleLength = (text: string) => [...stripVTControlCharacters(text)].length;

/** The terminal's width, up to 88 columns; 80 where output is not a terminal. */
export function readingWidth(): number {
  return Math.min(process.stdout.columns || 80, 88);
}

/** The terminal's width, or Infinity when output goes to a file or a pipe (nothing to wrap for). */
export function terminalWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : Infinity;
}

/** `text` kept on one line by wrapText: a command to copy, say. */
export function keepTogether(text: string): string {
  return text.replaceAll(' ', KEPT_SPACE);
}

/** Wrap styled text to `width` visible columns, keeping explicit line breaks. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  const kept = text.replace(UNBREAKABLE, (span) => span.replaceAll(' ', KEPT_SPACE));
  for (const paragraphLine of kept.split('\n')) {
    let line = '';
    for (const word of paragraphLine.split(' ').map((part) => part.replaceAll(KEPT_SPACE, ' '))) {
      if (line && visibleLength(line) + 1 + visibleLength(word) > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * An item of a list or report wrapped to `width` columns: its first line starts with `lead` (a
 * number, a ✓, an indent), the others with `hang`, by default blanks as wide as `lead`, so the
 * text lines up under itself; each line is painted on its own.
 */
export function wrapItem(text: string, width: number, lead = '', hang = ' '.repeat(visibleLength(lead)), paint: (line: string) => string = (line) => line): string[] {
  return wrapText(text, width - visibleLength(hang)).map((line, index) => `${index === 0 ? lead : hang}${paint(line)}`);
}
