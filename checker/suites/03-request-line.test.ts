/**
 * Stage 3 — Request line and 404. The server parses the request head as RFC 9112 §2–§5 say:
 * the request line, header fields with case-insensitive names, Host. `/` answers the page, any
 * other path 404; malformed requests 400, other HTTP versions 505, and a method it does not do
 * 405 with Allow or 501 (RFC 9110 §9.1 lets the server say which it is).
 */
import { describe, test } from 'vitest';
import { courseRule, must, may, should, type Basis } from '../http/basis.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { expectHeader, expectStatus, expectStatusIn, fail } from '../http/expect.ts';
import type { HttpResponse } from '../http/raw-client.ts';
import { connect, get, request, send, target } from '../http/server-under-test.ts';

const HINT_HEADER_CASE = 'Header names are case-insensitive (RFC 9110 §5.1): "host", "Host" and "HOST" are the same field. Lower-case names as you store them, and look them up lower-cased.';

describe('the page and 404', () => {
  test('answers GET / with 200 and an HTML page', courseRule('routes'), async () => {
    const response = await get('/');
    expectStatus(response, 200);
    expectHeader(response, 'Content-Type', { test: (v) => /^text\/html\b/i.test(v), describe: 'text/html', basis: should('RFC 9110 §8.3').meta.basis });
  });

  test('answers 404, with an HTML body and its exact Content-Length, for a path that does not exist', courseRule('routes'), async () => {
    const response = await get('/no-such-page', { Connection: 'close' });
    expectStatus(response, 404, { hint: 'Any target other than the ones you serve gets "404 Not Found" — and still a complete response: headers, Content-Length, a small page.' });
    const page = courseRule('error-pages').meta.basis;
    expectHeader(response, 'Content-Type', { test: (v) => /^text\/html\b/i.test(v), describe: 'text/html, for the error page', basis: page });
    if (response.body.length === 0) fail(response, { problem: 'Expected a small HTML page explaining the 404, got an empty body.', hint: 'A browser shows the body of an error response to the person: say what went wrong.', basis: page });
  });

  test('puts a Date header on every response, errors included', must('RFC 9110 §6.6.1'), async () => {
    // RFC 9110 §6.6.1: an origin server with a clock MUST send Date on 2xx, 3xx and 4xx responses.
    for (const response of [await get('/'), await get('/missing'), await send('GET / HTTP/1.1\r\nAccept: */*\r\n\r\n')]) {
      expectHeader(response, 'Date', { test: (v) => !Number.isNaN(Date.parse(v)), describe: 'the current date', symptom: 'bad-date' });
    }
  });
});

describe('header fields', () => {
  test('reads header names case-insensitively', must('RFC 9110 §5.1'), async () => {
    for (const name of ['host', 'HOST', 'hOsT']) {
      expectStatus(await send(`GET / HTTP/1.1\r\n${name}: 127.0.0.1\r\n\r\n`), 200, { because: `the request's Host header was written "${name}".`, hint: HINT_HEADER_CASE });
    }
  });

  test('allows spaces and tabs around a header value', must('RFC 9112 §5.1'), async () => {
    // The tabs are around Accept's value, not Host's: nginx refuses a tab around Host (a value it
    // checks strictly), though RFC 9112 §5.1 counts it as optional whitespace.
    expectStatus(await send('GET / HTTP/1.1\r\nHost:127.0.0.1\r\nAccept:\t */* \t\r\nUser-Agent:   checker  \r\n\r\n'), 200, {
      because: 'spaces and tabs around a field value are optional whitespace (RFC 9112 §5.1).',
      hint: 'Trim the value after the colon: "Host:127.0.0.1" and "Host:   127.0.0.1  " mean the same.',
    });
  });

  test('answers 400 to an HTTP/1.1 request without Host, and serves one from HTTP/1.0', must('RFC 9112 §3.2'), async () => {
    expectStatus(await send('GET / HTTP/1.1\r\nAccept: */*\r\n\r\n'), 400, {
      because: 'HTTP/1.1 requires a Host header (RFC 9112 §3.2).',
      hint: 'After parsing the headers: if the version is HTTP/1.1 and there is no "host", answer 400.',
    });
    // The MUST is for HTTP/1.1 only: an HTTP/1.0 request without Host is a request for the page.
    expectStatus(await send('GET / HTTP/1.0\r\n\r\n'), 200, { because: 'HTTP/1.0 requests need no Host header.', hint: 'Only HTTP/1.1 requires Host; an HTTP/1.0 request without one is fine.', basis: courseRule('routes').meta.basis });
  });

  test('keeps each connection\'s request to itself when two arrive at once', courseRule('whole-head'), async () => {
    const hint = 'Each connection needs its own buffer, declared inside the connection callback. One buffer shared by every connection glues one client\'s bytes onto another\'s.';
    const slow = await connect();
    const slowRequest = request('GET', '/no-such-page');
    await slow.send(slowRequest.slice(0, 30));
    await slow.peek(30);
    expectStatus(await get('/'), 200, { because: 'a second client asked for "/" while a first was half-way through asking for "/no-such-page".', hint });
    await slow.send(slowRequest.slice(30));
    expectStatus(await slow.readResponse(), 404, { because: 'the first client, once its request was complete, had asked for "/no-such-page".', hint });
  });

  // RFC 9112 §3.2.2: the absolute form is what a client sends to a proxy, and a server MUST
  // accept it in any request; its authority replaces Host. The Host line here names another
  // host, so a server that routes on Host would show which of the two it believed.
  test('accepts an absolute-form target: GET http://127.0.0.1:PORT/ HTTP/1.1', must('RFC 9112 §3.2.2'), async () => {
    const authority = `127.0.0.1:${target().port}`;
    const hint = 'RFC 9112 §3.2.2: a server MUST accept a target in absolute form, "http://host:port/path", as well as "/path". Take the path after the authority (and "/" if there is none); the authority stands in for Host.';
    expectStatus(await send(`GET http://${authority}/ HTTP/1.1\r\nHost: ${authority}\r\n\r\n`), 200, { because: `the target was "http://${authority}/", the page's address in absolute form.`, hint });
    expectStatus(await send(`GET http://${authority}/no-such-page HTTP/1.1\r\nHost: ${authority}\r\n\r\n`), 404, { because: `the target was "http://${authority}/no-such-page": its path is "/no-such-page".`, hint });
  });

  test('answers 400 to two Host headers', must('RFC 9112 §3.2'), async () => {
    expectStatus(await send('GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n'), 400, {
      because: 'a request with more than one Host is invalid (RFC 9112 §3.2).',
      hint: 'When you store a header, notice if "host" is already there.',
    });
  });
});

const HINT_MALFORMED = 'A request line is exactly METHOD SP target SP HTTP/x.y (RFC 9112 §3), and a header line is name ":" value with no space before the colon (§5.1). Anything else gets 400 Bad Request — and the server carries on.';

// Whose rule each 400 is: a request line that is not the grammar's SHOULD get 400 (RFC 9112 §3),
// a message that is not HTTP's grammar SHOULD too (§2.2); §5.1 makes one case a MUST.
const MALFORMED: Array<[what: string, bytes: string, basis: { meta: { basis: Basis } }]> = [
  ['a request line without a version', 'GET /\r\nHost: x\r\n\r\n', courseRule('no-http-0.9')],
  ['a request line that is not HTTP at all', 'hello there\r\n\r\n', should('RFC 9112 §3')],
  ['a version with no digits', 'GET / HTTP/one\r\nHost: x\r\n\r\n', should('RFC 9112 §3')],
  ['a target that does not start with "/"', 'GET index.html HTTP/1.1\r\nHost: x\r\n\r\n', should('RFC 9112 §3')],
  ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nAccept text/html\r\n\r\n', should('RFC 9112 §2.2')],
  ['whitespace between a header name and its colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n', must('RFC 9112 §5.1')],
  ['a header name with a space in it', 'GET / HTTP/1.1\r\nHost: x\r\nUser Agent: me\r\n\r\n', should('RFC 9112 §2.2')],
];

/**
 * Send a request; an answer with no status line to a request line with no version is HTTP/0.9's
 * reply (nginx gives one), which RFC 9112 §2.3 leaves to the server: say it is the course's rule.
 */
async function sendNot09(bytes: string, basis: Basis): Promise<HttpResponse> {
  try {
    return await send(bytes);
  } catch (error) {
    if (!(error instanceof CheckFailure) || error.details.symptom !== 'not-http' || basis.kind !== 'course' || basis.rule !== 'no-http-0.9') throw error;
    throw new CheckFailure({ ...error.details, problem: 'A request line without a version got an answer with no status line: an HTTP/0.9 reply.', hint: 'RFC 9112 §2.3 lets a server speak HTTP/0.9; this course does not, and answers a request line without a version with a 400 and a status line.', basis });
  }
}

describe('malformed requests get 400, never a crash', () => {
  for (const [what, bytes, basis] of MALFORMED) {
    test(`answers 400 to ${what}`, basis, async () => {
      expectStatus(await sendNot09(bytes, basis.meta.basis), 400, { because: `the request had ${what}.`, hint: HINT_MALFORMED });
    });
  }

  // RFC 9112 §2.2: octets that do not match the HTTP-message grammar SHOULD get 400, and the
  // course says when: at once. The first bytes of a TLS handshake (a browser told "https://" for
  // a plain port) cannot begin a method; a server that waits for a blank line never answers.
  test('answers 400 at once to bytes that cannot begin a request, such as a TLS handshake', courseRule('not-http-at-once'), async () => {
    const hint = 'A method is made of token characters, and a TLS handshake starts with the byte 0x16: no blank line will ever come. Look at the bytes while you wait for "\\r\\n\\r\\n": as soon as they cannot be the start of a request line, answer 400 and close.';
    const hello = Buffer.concat([Buffer.from('16030100c4010000c00303', 'hex'), Buffer.alloc(40, 0x5a)]);
    const connection = await connect();
    await connection.send(hello);
    let response: HttpResponse;
    try {
      response = await connection.readResponse({ timeoutMs: 2000 });
    } catch (error) {
      if (!(error instanceof CheckFailure) || error.details.symptom === 'not-http') throw error;
      throw new CheckFailure({ ...error.details, problem: 'The first bytes of a TLS handshake (16 03 01 …) got no answer within 2 s: the server is waiting for a blank line that will never come.', hint });
    }
    expectStatus(response, 400, { because: 'the bytes began with 0x16, which no method can start with.', hint, basis: should('RFC 9112 §2.2').meta.basis });
  });

  // RFC 9112 §2.2: a recipient MAY read a bare LF as a line end; lesson 3 answers 400 instead.
  // Either way the answer comes now, not after a wait for a "\r\n\r\n" that is not coming.
  test('answers a request whose lines end in a bare LF at once: 400, or reads LF as a line end', may('RFC 9112 §2.2'), async () => {
    const connection = await connect();
    await connection.send('GET / HTTP/1.1\nHost: 127.0.0.1\n\n');
    let response: HttpResponse;
    const hint = 'RFC 9112 §2.2 lets a server read a bare LF as a line end (nginx does), or refuse it with 400 (lesson 3 does). What it cannot do is wait: a client that ends its lines with LF alone never sends "\\r\\n\\r\\n". Answer as soon as a LF arrives without its CR.';
    try {
      response = await connection.readResponse({ timeoutMs: 2000 });
    } catch (error) {
      if (!(error instanceof CheckFailure) || error.details.symptom === 'not-http') throw error;
      throw new CheckFailure({ ...error.details, problem: 'A request whose lines end in a bare LF ("GET / HTTP/1.1\\nHost: 127.0.0.1\\n\\n") got no answer within 2 s.', hint });
    }
    expectStatusIn(response, [400, 200], { because: 'the request\'s lines ended in LF without CR: RFC 9112 §2.2 allows reading it (200) or refusing it (400).', hint });
  });

  // RFC 9112 §3: a server MAY parse the request line on whitespace, so "GET  /" may be read as
  // "GET /"; rejecting it with 400 is the strict reading, and the one lesson 3 teaches.
  test('answers a request line with two spaces in a row with 400, or reads it as GET /', may('RFC 9112 §3'), async () => {
    expectStatusIn(await send('GET  / HTTP/1.1\r\nHost: x\r\n\r\n'), [400, 200], {
      because: 'the request line had two spaces in a row: RFC 9112 §3 lets a server reject it (400) or parse on whitespace and answer GET / (200).',
      hint: `${HINT_MALFORMED} (Lesson 3 rejects it: a strict pattern with one space between three parts.)`,
    });
  });
});

/**
 * A 405 MUST carry Allow, listing what the resource does support (RFC 9110 §15.5.6): GET and
 * HEAD at least, since every general-purpose server supports both (RFC 9110 §9.1).
 */
function expectAllowOn405(response: HttpResponse): void {
  if (response.status !== 405) return;
  expectHeader(response, 'Allow', {
    test: (v) => {
      const methods = v.split(',').map((m) => m.trim());
      return methods.includes('GET') && methods.includes('HEAD');
    },
    describe: 'a list of the methods that work here, such as "GET, HEAD"',
    hint: 'A 405 response must list the methods that would work in an Allow header (RFC 9110 §15.5.6, §10.2.1): "Allow: GET, HEAD".',
    basis: must('RFC 9110 §15.5.6').meta.basis,
  });
}

const HINT_METHODS = 'RFC 9110 §9.1: a method the server does not implement SHOULD get "501 Not Implemented"; one it knows but does not allow here SHOULD get "405 Method Not Allowed", with an Allow header. Lesson 3 answers 405 to the methods it knows (POST, PUT, DELETE, PATCH, OPTIONS, CONNECT, TRACE) and 501 to the rest — never 404 or 200.';

describe('versions and methods', () => {
  // RFC 9110 §2.5: a server can send 505 to refuse a major version it does not speak; it is not
  // made to (Apache answers HTTP/2.0 in an HTTP/1 request line as HTTP/1.1), and 400 is the
  // reading of a request line it cannot parse. Lesson 3 teaches 505.
  test('answers 505 to a version other than HTTP/1.x, or 400, or reads it as HTTP/1.1', may('RFC 9110 §2.5'), async () => {
    for (const version of ['HTTP/2.0', 'HTTP/3.0']) {
      expectStatusIn(await send(`GET / ${version}\r\nHost: x\r\n\r\n`), [505, 400, 200], {
        because: `the request line says ${version}.`,
        hint: 'A well-formed version this server does not speak gets "505 HTTP Version Not Supported" (RFC 9110 §15.6.6), the answer lesson 3 teaches.',
      });
    }
  });

  test('answers 501, or 405 with Allow, to a method it has never heard of', should('RFC 9110 §9.1'), async () => {
    const response = await send(request('BREW', '/'));
    expectStatusIn(response, [501, 405], { because: 'BREW is not a method this server implements.', hint: HINT_METHODS });
    expectAllowOn405(response);
  });

  // RFC 9110 §9.1: the method token is case-sensitive, so "get" is a method this server does not
  // implement (501), not GET. nginx answers 400 (it takes a lower-case method for bad syntax),
  // and a server that knows no "get" may also refuse it with 405: all of them refuse it.
  test('does not read a lower-case "get" as GET: methods are case-sensitive', should('RFC 9110 §9.1'), async () => {
    const response = await send(request('get', '/'));
    expectStatusIn(response, [501, 405, 400], {
      because: 'the request line said "get", and methods are case-sensitive: "get" is not GET.',
      hint: 'Methods are case-sensitive (RFC 9110 §9.1): compare the method exactly, never after toUpperCase(). "get" is a method this server does not know, so it gets 501.',
    });
    expectAllowOn405(response);
  });

  for (const method of ['POST', 'PUT', 'DELETE']) {
    // A POST without a body: RFC 9110 §15.5.12 lets a server ask for a length first (411).
    const allowed = method === 'POST' ? [405, 501, 411] : [405, 501];
    // Whether to do POST at all is the server's choice (course rule); how to refuse is §9.1's.
    test(`refuses ${method} with 405 and an Allow header, or 501`, courseRule('get-and-head-only'), async () => {
      const response = await send(request(method, '/'));
      if (response.status < 300) fail(response, { problem: `Expected ${method} to be refused (405 with Allow, or 501), got ${response.status}: this server only reads.`, caret: 9, hint: HINT_METHODS });
      expectStatusIn(response, allowed, { because: `${method} is a method this server does not do.`, hint: HINT_METHODS, basis: should('RFC 9110 §9.1').meta.basis });
      expectAllowOn405(response);
    });
  }
});
