import { parseHttpDate } from '../http/http-date.ts';

export interface Validators {
  etag: string;
  /** Modification time in milliseconds; HTTP dates carry whole seconds. */
  lastModified: number;
}

/**
 * RFC 9110 §13.2.2: evaluate the preconditions of a request for an existing file.
 * 200 means "serve it", 304 "the client's copy is current", 412 "a precondition failed".
 */
export function evaluatePreconditions(method: string, headers: Map<string, string>, file: Validators): 200 | 304 | 412 {
  // TODO: If-Match: when present and no listed tag matches file.etag strongly (both strong and
  //   identical; "*" matches anything), return 412. Otherwise, If-Unmodified-Since: a valid
  //   date (parseHttpDate) earlier than the file's time, in whole seconds, is a 412.
  // TODO: If-None-Match: when present, it alone decides. A listed tag that matches weakly
  //   (ignoring "W/") or "*": 304 for GET and HEAD. No match: 200, whatever else was sent.
  // TODO: otherwise If-Modified-Since, for GET and HEAD: when parseHttpDate gives a date and the
  //   file's time in whole seconds (Math.floor(ms / 1000)) is not later, 304.
  return 200;
}
