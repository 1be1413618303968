export interface Request {
  method: string;
  target: string;
  version: string;
  /** Field names are case-insensitive (RFC 9110 §5.1), so they are stored lower-cased. */
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

// A token is the alphabet of methods and field names (RFC 9110 §5.6.2).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// request-line = method SP request-target SP HTTP-version (RFC 9112 §3): exactly one space each.
const REQUEST_LINE = /^([^ ]+) ([^ ]+) (HTTP\/\d\.\d)$/;
// A field value may hold visible characters, spaces and tabs — never other control characters.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

// What a method can be, as far as it has arrived: token characters, perhaps a CR at the end.
const METHOD_SO_FAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*\r?$/;

/**
 * Whether the start of a head, before it is whole, already shows it can never be a request.
 * A method is made of token characters, so a first byte such as 0x16, which opens a TLS
 * handshake, cannot begin one. And this server ends lines with CRLF only: RFC 9112 §2.2 lets a
 * server accept a bare LF as a line end, and this one refuses it. Either way no blank line
 * "\r\n\r\n" is coming, and waiting for one would only hold the connection: answer 400 now.
 */
export function cannotBeRequest(start: string): boolean {
  // Empty lines before the request line are allowed (RFC 9112 §2.2).
  const text = start.replace(/^(\r\n)+/, '');
  const space = text.indexOf(' ');
  if (!METHOD_SO_FAR.test(space === -1 ? text : text.slice(0, space))) return true;
  const lf = text.indexOf('\n');
  return lf !== -1 && text[lf - 1] !== '\r';
}

/** Parse the request head: everything before the empty line, as latin1 text. */
export function parseRequest(head: string): Request {
  if (cannotBeRequest(head)) throw new RequestError(400, 'These bytes do not begin an HTTP request: a method, a space, and lines that end in CRLF.');
  // RFC 9112 §2.2: ignore empty lines before the request line, left over from a previous message.
  const [requestLine = '', ...fieldLines] = head.replace(/^(\r\n)+/, '').split('\r\n');

  const match = REQUEST_LINE.exec(requestLine);
  if (!match) throw new RequestError(400, 'The request line is not "METHOD target HTTP/x.y".');
  const [, method = '', target = '', version = ''] = match;
  if (!TOKEN.test(method)) throw new RequestError(400, 'The method is not a token.');
  if (!version.startsWith('HTTP/1.')) throw new RequestError(505, 'This server speaks HTTP/1.0 and HTTP/1.1.');
  // RFC 9112 §3.2.2: a server must also accept the absolute form, "http://host:port/path?query",
  // which clients send to proxies. The path and query that follow the authority are the target.
  const absolute = /^https?:\/\/([^/?#]+)/i.exec(target);
  const authority = absolute?.[1];
  const rest = absolute ? target.slice(absolute[0].length) : target;
  const originForm = absolute && !rest.startsWith('/') ? `/${rest}` : rest;
  if (!originForm.startsWith('/')) throw new RequestError(400, 'The request target must start with "/" or "http://".');

  const headers = new Map<string, string>();
  for (const line of fieldLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    // No colon, a space before it (RFC 9112 §5.1), or a folded line (§5.2): all rejected.
    if (colon <= 0 || !TOKEN.test(name)) throw new RequestError(400, 'A header line is not "name: value".');
    const value = line.slice(colon + 1).trim();
    if (!FIELD_VALUE.test(value)) throw new RequestError(400, 'A header value holds a control character.');
    const key = name.toLowerCase();
    // RFC 9112 §3.2: more than one Host is an error, not a choice.
    if (key === 'host' && headers.has('host')) throw new RequestError(400, 'More than one Host header.');
    // RFC 9110 §5.3: repeated fields combine into one comma-separated list.
    headers.set(key, headers.has(key) ? `${headers.get(key)}, ${value}` : value);
  }

  if (version === 'HTTP/1.1' && !headers.has('host')) {
    throw new RequestError(400, 'An HTTP/1.1 request must have a Host header (RFC 9112 §3.2).');
  }
  // The authority of an absolute-form target replaces any Host header (RFC 9112 §3.2.2).
  if (authority !== undefined) headers.set('host', authority);
  return { method, target: originForm, version, headers };
}
