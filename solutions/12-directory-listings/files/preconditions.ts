import { parseHttpDate } from '../http/http-date.ts';

export interface Validators {
  etag: string;
  /** Modification time in milliseconds; HTTP dates carry whole seconds. */
  lastModified: number;
}

// ANCHOR: compare
/** The entity-tags in a header value like `"a", W/"b"`, or "*". */
function entityTags(value: string): string[] | '*' {
  return value.trim() === '*' ? '*' : (value.match(/(?:W\/)?"[^"]*"/g) ?? []);
}

const opaque = (tag: string) => tag.replace(/^W\//, '');

/** Weak comparison (RFC 9110 §8.8.3.2): the same tag, weak or not. For If-None-Match. */
function matchesWeakly(header: string, etag: string): boolean {
  const tags = entityTags(header);
  return tags === '*' || tags.some((tag) => opaque(tag) === opaque(etag));
}

/** Strong comparison: both strong and identical. For If-Match: a weak tag never matches. */
function matchesStrongly(header: string, etag: string): boolean {
  const tags = entityTags(header);
  return tags === '*' || (!etag.startsWith('W/') && tags.includes(etag));
}
// ANCHOR_END: compare

const seconds = (ms: number) => Math.floor(ms / 1000);

// ANCHOR: evaluate
/**
 * RFC 9110 §13.2.2: evaluate the preconditions of a request for an existing file, in this
 * order. 200 means "serve it", 304 "the client's copy is current", 412 "a precondition failed".
 */
export function evaluatePreconditions(method: string, headers: Map<string, string>, file: Validators): 200 | 304 | 412 {
  const ifMatch = headers.get('if-match');
  const ifUnmodifiedSince = parseHttpDate(headers.get('if-unmodified-since') ?? '');
  if (ifMatch !== undefined) {
    if (!matchesStrongly(ifMatch, file.etag)) return 412;
  } else if (ifUnmodifiedSince !== undefined && seconds(file.lastModified) > seconds(ifUnmodifiedSince)) {
    return 412;
  }

  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== undefined) {
    // When both are sent, If-None-Match decides and If-Modified-Since is ignored (§13.1.3).
    if (matchesWeakly(ifNoneMatch, file.etag)) return method === 'GET' || method === 'HEAD' ? 304 : 412;
    return 200;
  }

  // An invalid date, or a list of them, parses as nothing and is ignored, as §13.1.3 requires.
  const ifModifiedSince = parseHttpDate(headers.get('if-modified-since') ?? '');
  if ((method === 'GET' || method === 'HEAD') && ifModifiedSince !== undefined) {
    // Compare whole seconds: the file's time has milliseconds, the header never does.
    if (seconds(file.lastModified) <= seconds(ifModifiedSince)) return 304;
  }
  return 200;
}
// ANCHOR_END: evaluate

// ANCHOR: if-range
/**
 * RFC 9110 §13.1.5: may a Range be served, or has the file changed since the client got its
 * first part? Gluing a part of the new version onto the old would corrupt it, so only a strong
 * validator will do. An entity-tag must match strongly: this server's tags are weak, so none
 * ever does. A date must equal Last-Modified exactly, and be strong (§8.8.2.2): the second it
 * names must be over, or the file could still change again within that same second.
 */
export function ifRangeHolds(value: string | undefined, file: Validators, now = Date.now()): boolean {
  if (value === undefined) return true;
  const validator = value.trim();
  // An entity-tag starts with a double quote, or W/ and one (§13.1.5); anything else is a date.
  if (/^(W\/)?"/.test(validator)) return matchesStrongly(validator, file.etag);
  const date = parseHttpDate(validator);
  return date !== undefined && seconds(date) === seconds(file.lastModified) && seconds(now) > seconds(file.lastModified);
}
// ANCHOR_END: if-range
