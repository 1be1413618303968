export interface Request {
  method: string;
  target: string;
  version: string;
  /** Field names are case-insensitive (RFC 9110 §5.1), so store them lower-cased. */
  headers: Map<string, string>;
}

/** A request we will not serve, with the status that says why. */
export class RequestError extends Error {
  readonly status: 400 | 501 | 505;

  constructor(status: 400 | 501 | 505, message: string) {
    super(message);
    this.status = status;
  }
}

/** Parse the request head: everything before the empty line, as latin1 text. */
export function parseRequest(head: string): Request {
  // TODO: split the head into lines at "\r\n". The first is the request line:
  //   method SP target SP version — exactly one space between each (RFC 9112 §3).
  //   Anything else: throw new RequestError(400, '…').
  // TODO: a version that is well-formed but not HTTP/1.x (HTTP/2.0…): RequestError(505, '…').
  // TODO: the target must start with "/": otherwise 400. One exception: an absolute-form target,
  //   "http://host:port/path" (RFC 9112 §3.2.2), is accepted: its path is the target.
  // TODO: every other line is "name: value". No colon, or a space before the colon: 400.
  //   Store the name lower-cased and the value trimmed; a second Host header is a 400.
  // TODO: an HTTP/1.1 request without a Host header: 400.
  throw new Error('parseRequest is not written yet: see the TODOs in http/parse-request.ts');
}
