/**
 * Stage 3 — Request line and 404. The server parses the request head as RFC 9112 §2–§5 say:
 * the request line, header fields with case-insensitive names, Host. `/` answers the page, any
 * other path 404; malformed requests 400, other HTTP versions 505, unknown methods 501, and
 * methods it knows but does not do 405 with Allow.
 */
import { describe, test } from 'vitest';
import { expectHeader, expectStatus, fail } from '../http/expect.ts';
import { connect, get, request, send } from '../http/server-under-test.ts';

const HINT_HEADER_CASE = 'Header names are case-insensitive (RFC 9110 §5.1): "host", "Host" and "HOST" are the same field. Lower-case names as you store them, and look them up lower-cased.';

describe('the page and 404', () => {
  test('answers GET / with 200 and an HTML page', async () => {
    const response = await get('/');
    expectStatus(response, 200);
    expectHeader(response, 'Content-Type', { test: (v) => /^text\/html\b/i.test(v), describe: 'text/html' });
  });

  test('answers 404, with an HTML body and its exact Content-Length, for a path that does not exist', async () => {
    const response = await get('/no-such-page', { Connection: 'close' });
    expectStatus(response, 404, { hint: 'Any target other than the ones you serve gets "404 Not Found" — and still a complete response: headers, Content-Length, a small page.' });
    expectHeader(response, 'Content-Type', { test: (v) => /^text\/html\b/i.test(v), describe: 'text/html, for the error page' });
    if (response.body.length === 0) fail(response, { problem: 'Expected a small HTML page explaining the 404, got an empty body.', hint: 'A browser shows the body of an error response to the person: say what went wrong.' });
  });

  test('puts a Date header on every response, errors included', async () => {
    for (const response of [await get('/'), await get('/missing'), await send('GET /\r\n\r\n')]) {
      expectHeader(response, 'Date', { test: (v) => !Number.isNaN(Date.parse(v)), describe: 'the current date', symptom: 'bad-date' });
    }
  });
});

describe('header fields', () => {
  test('reads header names case-insensitively', async () => {
    for (const name of ['host', 'HOST', 'hOsT']) {
      expectStatus(await send(`GET / HTTP/1.1\r\n${name}: 127.0.0.1\r\n\r\n`), 200, { because: `the request's Host header was written "${name}".`, hint: HINT_HEADER_CASE });
    }
  });

  test('allows spaces and tabs around a header value', async () => {
    expectStatus(await send('GET / HTTP/1.1\r\nHost:\t 127.0.0.1 \t\r\nAccept:*/*\r\n\r\n'), 200, {
      because: 'spaces and tabs around a field value are optional whitespace (RFC 9112 §5.1).',
      hint: 'Trim the value after the colon: "Host:127.0.0.1" and "Host:   127.0.0.1  " mean the same.',
    });
  });

  test('answers 400 to an HTTP/1.1 request without Host, and serves one from HTTP/1.0', async () => {
    expectStatus(await send('GET / HTTP/1.1\r\nAccept: */*\r\n\r\n'), 400, {
      because: 'HTTP/1.1 requires a Host header (RFC 9112 §3.2).',
      hint: 'After parsing the headers: if the version is HTTP/1.1 and there is no "host", answer 400.',
    });
    expectStatus(await send('GET / HTTP/1.0\r\n\r\n'), 200, { because: 'HTTP/1.0 requests need no Host header.', hint: 'Only HTTP/1.1 requires Host; an HTTP/1.0 request without one is fine.' });
  });

  test('keeps each connection\'s request to itself when two arrive at once', async () => {
    const hint = 'Each connection needs its own buffer, declared inside the connection callback. One buffer shared by every connection glues one client\'s bytes onto another\'s.';
    const slow = await connect();
    const slowRequest = request('GET', '/no-such-page');
    await slow.send(slowRequest.slice(0, 30));
    await slow.peek(30);
    expectStatus(await get('/'), 200, { because: 'a second client asked for "/" while a first was half-way through asking for "/no-such-page".', hint });
    await slow.send(slowRequest.slice(30));
    expectStatus(await slow.readResponse(), 404, { because: 'the first client, once its request was complete, had asked for "/no-such-page".', hint });
  });

  test('answers 400 to two Host headers', async () => {
    expectStatus(await send('GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n'), 400, {
      because: 'a request with more than one Host is invalid (RFC 9112 §3.2).',
      hint: 'When you store a header, notice if "host" is already there.',
    });
  });
});

const MALFORMED: Array<[what: string, bytes: string]> = [
  ['a request line without a version', 'GET /\r\nHost: x\r\n\r\n'],
  ['a request line with two spaces in a row', 'GET  / HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['a request line that is not HTTP at all', 'hello there\r\n\r\n'],
  ['a version with no digits', 'GET / HTTP/one\r\nHost: x\r\n\r\n'],
  ['a target that does not start with "/"', 'GET index.html HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nAccept text/html\r\n\r\n'],
  ['whitespace between a header name and its colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'],
  ['a header name with a space in it', 'GET / HTTP/1.1\r\nHost: x\r\nUser Agent: me\r\n\r\n'],
];

describe('malformed requests get 400, never a crash', () => {
  for (const [what, bytes] of MALFORMED) {
    test(`answers 400 to ${what}`, async () => {
      expectStatus(await send(bytes), 400, {
        because: `the request had ${what}.`,
        hint: 'A request line is exactly METHOD SP target SP HTTP/x.y (RFC 9112 §3), and a header line is name ":" value with no space before the colon (§5.1). Anything else gets 400 Bad Request — and the server carries on.',
      });
    });
  }
});

describe('versions and methods', () => {
  test('answers 505 to a request for a version other than HTTP/1.x', async () => {
    for (const version of ['HTTP/2.0', 'HTTP/3.0']) {
      expectStatus(await send(`GET / ${version}\r\nHost: x\r\n\r\n`), 505, {
        because: `the request line says ${version}.`,
        hint: 'A well-formed version this server does not speak gets "505 HTTP Version Not Supported" (RFC 9110 §15.6.6), not 400.',
      });
    }
  });

  test('answers 501 to a method it has never heard of', async () => {
    expectStatus(await send(request('BREW', '/')), 501, {
      because: 'BREW is not a method this server knows.',
      hint: 'An unknown method gets "501 Not Implemented" (RFC 9110 §15.6.2).',
    });
  });

  for (const method of ['POST', 'PUT', 'DELETE']) {
    test(`answers 405 with "Allow: GET, HEAD" to ${method}`, async () => {
      const response = await send(request(method, '/'));
      expectStatus(response, 405, {
        because: `${method} is a method the server knows but does not do.`,
        hint: 'A known method the resource does not support gets "405 Method Not Allowed" (RFC 9110 §15.5.6), not 404 or 501.',
      });
      expectHeader(response, 'Allow', {
        test: (v) => v.split(',').map((m) => m.trim()).sort().join(',') === 'GET,HEAD',
        describe: '"GET, HEAD"',
        hint: 'A 405 response must list the methods that would work in an Allow header (RFC 9110 §10.2.1).',
      });
    });
  }
});
