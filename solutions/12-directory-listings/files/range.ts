// ANCHOR: answer
/** What a Range header asks of a file of `size` bytes (RFC 9110 §14). */
export type RangeAnswer =
  /** No Range, or one this server ignores: the whole file, 200. */
  | { kind: 'whole' }
  /** One range that overlaps the file: bytes `start` to `end`, both included, 206. */
  | { kind: 'part'; start: number; end: number }
  /** A valid range that lies wholly outside the file: 416. */
  | { kind: 'unsatisfiable' };
// ANCHOR_END: answer

const WHOLE: RangeAnswer = { kind: 'whole' };
const UNSATISFIABLE: RangeAnswer = { kind: 'unsatisfiable' };

// ANCHOR: parse
// One range-spec (RFC 9110 §14.1.1): "first-last", "first-" (to the end), or "-n" (the last n bytes).
const RANGE_SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

/** Read a Range header such as "bytes=0-99" against a file of `size` bytes. */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return WHOLE;
  // ranges-specifier = range-unit "=" range-set. Units compare case-insensitively (§14.1), and
  // a unit we do not know is ignored: "pages=1-2" gets the whole file, not an error.
  const equals = header.indexOf('=');
  if (equals === -1 || header.slice(0, equals).toLowerCase() !== 'bytes') return WHOLE;
  const specs = header.slice(equals + 1).split(',').map((spec) => spec.trim()).filter((spec) => spec !== '');
  // Several ranges would need a multipart/byteranges body. A server may always answer a Range
  // with the whole file (§14.2), and for more than one range this one does.
  if (specs.length !== 1) return WHOLE;
  const match = RANGE_SPEC.exec(specs[0]!);
  // Not a range at all ("bytes=abc", "bytes=1-2-3"): ignore the header, as §14.2 allows.
  if (!match) return WHOLE;
  const [, first, last, suffix] = match;

  if (suffix !== undefined) {
    // "-500": the last 500 bytes, or the whole file if it is shorter. "-0" asks for nothing.
    const length = Number(suffix);
    if (length === 0) return UNSATISFIABLE;
    if (size === 0) return WHOLE;
    return { kind: 'part', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  // "5-2" ends before it starts: an invalid range, so the header is ignored (§14.1.1).
  if (last !== '' && Number(last) < start) return WHOLE;
  // A range must start inside the file; it may end past it, and is then cut at the last byte.
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'part', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
// ANCHOR_END: parse
