/**
 * Text laid out for the terminal: words wrapped to a width counted in the columns a terminal
 * draws (kleur's colour codes take none, a CJK character or an emoji takes two), and lines no
 * wider than is comfortable to read. wrap-ansi does the wrapping and string-width the counting:
 * both know ANSI codes and East Asian widths, which a hand-written wrapper got wrong.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * Short quoted strings and regular expressions, whose spaces are part of what they say: split
 * there, `" "` or `/^([^ ]+) /` would read as something else. And the course's commands, such as
 * `npm run check -- --watch`, which read as one thing to type.
 */
const UNBREAKABLE = /"[^"\n]{0,30}"|\/\^[^\n]{0,60}?\$\/|npm run [\w-]+(?: \d+)?(?: -- (?:-[-\w]*|\d+)(?: (?:-[-\w]*|\d+))*)?/g;
/**
 * Stands for a space that must not break. A private-use character: one column wide, as the space
 * it stands for (a control character would count as none), and never in the course's own text.
 */
const KEPT_SPACE = '\uE000';

/** The columns `text` takes in a terminal: colour codes none, wide characters two. */
export const visibleLength = (text: string) => stringWidth(text);

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

/**
 * Wrap styled text to `width` visible columns at its spaces, keeping explicit line breaks and a
 * line's leading indent. A word wider than the width stays whole on a line of its own (a path or
 * a URL broken in two could not be copied).
 */
export function wrapText(text: string, width: number): string[] {
  const kept = text.replace(UNBREAKABLE, (span) => span.replaceAll(' ', KEPT_SPACE));
  return kept.split('\n').flatMap((paragraphLine) => {
    const indent = /^ */.exec(paragraphLine)![0];
    const rest = paragraphLine.slice(indent.length);
    if (!rest) return [indent];
    const lines = wrapAnsi(rest, Math.max(1, width - indent.length), { hard: false, trim: true, wordWrap: true }).split('\n');
    return lines.map((line, i) => `${i === 0 ? indent : ''}${line}`.replaceAll(KEPT_SPACE, ' '));
  });
}

/**
 * A line of code cut into pieces at most `width` columns wide, at a space where there is one
 * near the end, else anywhere: code is shown whole, never with a word left out.
 */
export function breakCode(line: string, width: number): string[] {
  if (stringWidth(line) <= width) return [line];
  return wrapAnsi(line, Math.max(1, width), { hard: true, trim: false, wordWrap: true }).split('\n');
}

/**
 * An item of a list or report wrapped to `width` columns: its first line starts with `lead` (a
 * number, a ✓, an indent), the others with `hang`, by default blanks as wide as `lead`, so the
 * text lines up under itself; each line is painted on its own.
 */
export function wrapItem(text: string, width: number, lead = '', hang = ' '.repeat(visibleLength(lead)), paint: (line: string) => string = (line) => line): string[] {
  return wrapText(text, width - visibleLength(hang)).map((line, index) => `${index === 0 ? lead : hang}${paint(line)}`);
}
