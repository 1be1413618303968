/**
 * Bytes shown so a learner can see every one of them: CR and LF written as \r and \n (with a real
 * line break after each \n so the shape stays readable), tabs and other control bytes escaped,
 * and a caret under the first wrong byte. A long run of one unprintable byte (a body of zeros,
 * say) is shown as its first few and a count, not as a screenful of \0.
 */

const ESCAPES: Record<number, string> = { 0x0d: '\\r', 0x0a: '\\n', 0x09: '\\t', 0x00: '\\0' };

function escapeByte(byte: number): string {
  const named = ESCAPES[byte];
  if (named) return named;
  if (byte < 0x20 || byte >= 0x7f) return `\\x${byte.toString(16).padStart(2, '0')}`;
  if (byte === 0x5c) return '\\\\';
  return String.fromCharCode(byte);
}

/** Runs of one unprintable byte at least this long are collapsed, keeping this many visible. */
const COLLAPSED_RUN = 16;
const RUN_SHOWN = 4;

function isUnprintable(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x0a) || byte >= 0x7f;
}

function runLength(bytes: Buffer, at: number): number {
  let length = 1;
  while (at + length < bytes.length && bytes[at + length] === bytes[at]) length += 1;
  return length;
}

export interface ShownBytes {
  lines: string[];
  /** Where the caret goes, if asked for: the line index and the column within it. */
  caret?: { line: number; column: number };
  truncated: boolean;
}

/**
 * Escape `bytes` line by line. Bytes 0x80–0xff are decoded as UTF-8 where they form valid
 * characters, so "café" reads as "café", and escaped as \xNN where they do not.
 */
export function showBytes(bytes: Buffer, options: { caretAt?: number; maxBytes?: number } = {}): ShownBytes {
  const maxBytes = options.maxBytes ?? 2048;
  // Keep the caret's neighbourhood visible even when the bytes are long.
  let start = 0;
  if (options.caretAt !== undefined && options.caretAt > maxBytes - 200) {
    start = Math.max(0, options.caretAt - 200);
    const lineStart = bytes.lastIndexOf(0x0a, start);
    start = lineStart === -1 ? start : lineStart + 1;
  }
  const end = Math.min(bytes.length, start + maxBytes);
  const lines: string[] = [];
  let current = start > 0 ? '…' : '';
  let caret: ShownBytes['caret'];
  let i = start;
  while (i < end) {
    if (i === options.caretAt) caret = { line: lines.length, column: [...current].length };
    const byte = bytes[i]!;
    const run = isUnprintable(byte) ? runLength(bytes, i) : 1;
    const caretInRun = options.caretAt !== undefined && options.caretAt > i && options.caretAt < i + run;
    if (run >= COLLAPSED_RUN && !caretInRun) {
      current += `${escapeByte(byte).repeat(RUN_SHOWN)}[… ${run - RUN_SHOWN} more ${escapeByte(byte)}]`;
      i += run;
      continue;
    }
    if (byte >= 0x80) {
      const char = decodeUtf8Char(bytes, i);
      if (char) {
        current += char.text;
        i += char.length;
        continue;
      }
    }
    current += escapeByte(byte);
    i += 1;
    if (byte === 0x0a) {
      lines.push(current);
      current = '';
    }
  }
  if (options.caretAt !== undefined && options.caretAt >= i && !caret) {
    caret = { line: lines.length, column: [...current].length };
  }
  if (current || lines.length === 0) lines.push(current);
  return { lines, caret, truncated: i < bytes.length };
}

function decodeUtf8Char(bytes: Buffer, at: number): { text: string; length: number } | undefined {
  const first = bytes[at]!;
  const length = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc2 ? 2 : 0;
  if (length === 0 || at + length > bytes.length) return undefined;
  for (let k = 1; k < length; k++) {
    if ((bytes[at + k]! & 0xc0) !== 0x80) return undefined;
  }
  const text = bytes.subarray(at, at + length).toString('utf8');
  return text.includes('\uFFFD') ? undefined : { text, length };
}

/** One-line escaped form, for short values inside a sentence. */
export function escapeInline(bytes: Buffer | string, maxLength = 80): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const shown = showBytes(buffer, { maxBytes: maxLength });
  const text = shown.lines.join('');
  return shown.truncated ? `${text}…` : text;
}
