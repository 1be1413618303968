/** What a Range header asks of a file of `size` bytes (RFC 9110 §14). */
export type RangeAnswer =
  /** No Range, or one this server ignores: the whole file, 200. */
  | { kind: 'whole' }
  /** One range that overlaps the file: bytes `start` to `end`, both included, 206. */
  | { kind: 'part'; start: number; end: number }
  /** A valid range that lies wholly outside the file: 416. */
  | { kind: 'unsatisfiable' };

/** Read a Range header such as "bytes=0-99" against a file of `size` bytes. */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  // TODO: read "bytes=" followed by one range-spec (RFC 9110 §14.1.1):
  //   "first-last"  bytes first to last, both included; cut last at size - 1
  //   "first-"      from first to the end of the file
  //   "-n"          the last n bytes (all of them, if the file is shorter)
  //   A first at or past the end of the file is { kind: 'unsatisfiable' } (a 416).
  //   Anything else — no "=", a unit other than "bytes" (in any case), "5-2", "abc", or more
  //   than one range — is { kind: 'whole' }: the header is ignored and the whole file goes out.
  void header;
  void size;
  return { kind: 'whole' };
}
