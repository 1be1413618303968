/**
 * Parse a response head from raw bytes, strictly enough to teach (RFC 9112 §2.1, §4, §5):
 * lines end in CR LF, the status line is `HTTP/x.y NNN reason`, each field is `name: value`.
 * On a mistake it reports the offset of the first wrong byte, so the report can put a caret there.
 */
import type { Symptom } from './hints.ts';

export interface ResponseHead {
  version: string;
  status: number;
  reason: string;
  /** Every field line in order, names as the server wrote them. */
  fields: Array<[name: string, value: string]>;
  /** Bytes up to and including the empty line that ends the head. */
  length: number;
}

export type HeadParse =
  | { kind: 'incomplete' }
  | { kind: 'head'; head: ResponseHead }
  | { kind: 'error'; offset: number; problem: string; symptom: Symptom };

const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: ([^\r\n]*))?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_PREFIX = Buffer.from('HTTP/');

export function parseResponseHead(bytes: Buffer): HeadParse {
  const prefixLength = Math.min(bytes.length, HTTP_PREFIX.length);
  for (let i = 0; i < prefixLength; i++) {
    if (bytes[i] !== HTTP_PREFIX[i]) {
      return { kind: 'error', offset: i, problem: 'The response does not start with "HTTP/".', symptom: 'not-http' };
    }
  }

  const lines: Array<{ text: string; offset: number }> = [];
  let position = 0;
  for (;;) {
    const lf = bytes.indexOf(0x0a, position);
    if (lf === -1) return { kind: 'incomplete' };
    if (lf === 0 || bytes[lf - 1] !== 0x0d) {
      return { kind: 'error', offset: lf, problem: 'A line of the response head ends with a bare LF ("\\n") instead of CR LF ("\\r\\n").', symptom: 'lf-not-crlf' };
    }
    const text = bytes.subarray(position, lf - 1).toString('latin1');
    if (text === '') {
      if (lines.length === 0) break; // unreachable: the prefix check rules out an empty first line
      return finish(lines, lf + 1);
    }
    lines.push({ text, offset: position });
    position = lf + 1;
  }
  return { kind: 'incomplete' };
}

function finish(lines: Array<{ text: string; offset: number }>, length: number): HeadParse {
  const [statusLine, ...fieldLines] = lines;
  const match = STATUS_LINE.exec(statusLine!.text);
  if (!match) {
    return {
      kind: 'error',
      offset: statusLine!.offset + firstMismatch(statusLine!.text),
      problem: `The status line "${statusLine!.text}" is not "HTTP/1.1", a space, a three-digit status code, a space and a reason phrase.`,
      symptom: 'not-http',
    };
  }
  const fields: ResponseHead['fields'] = [];
  for (const line of fieldLines) {
    const colon = line.text.indexOf(':');
    const name = colon === -1 ? line.text : line.text.slice(0, colon);
    if (colon === -1 || !TOKEN.test(name)) {
      const bad = colon === -1 ? line.text.length : [...name].findIndex((c) => !TOKEN.test(c));
      return {
        kind: 'error',
        offset: line.offset + Math.max(0, bad),
        problem: colon === -1
          ? `The header line "${line.text}" has no colon.`
          : `The header name "${name}" contains a character a field name cannot have (RFC 9110 §5.1): no spaces, nothing before the colon but the name.`,
        symptom: 'bad-header-line',
      };
    }
    fields.push([name, line.text.slice(colon + 1).trim()]);
  }
  return {
    kind: 'head',
    head: { version: `${match[1]}.${match[2]}`, status: Number(match[3]), reason: match[4] ?? '', fields, length },
  };
}

/** Where a status line first departs from the shape `HTTP/1.1 200 OK` ('#' stands for a digit). */
function firstMismatch(line: string): number {
  const template = 'HTTP/#.# ### ';
  for (let i = 0; i < template.length; i++) {
    const want = template[i];
    const got = line[i];
    if (got === undefined || (want === '#' ? !/\d/.test(got) : got !== want)) return i;
  }
  return template.length;
}

/** The first value of a header, by case-insensitive name (RFC 9110 §5.1). */
export function headerValue(head: ResponseHead, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return head.fields.find(([n]) => n.toLowerCase() === wanted)?.[1];
}

/** How many times a header appears. */
export function headerCount(head: ResponseHead, name: string): number {
  const wanted = name.toLowerCase();
  return head.fields.filter(([n]) => n.toLowerCase() === wanted).length;
}
