/**
 * Stage 2 — First response. The server reads the whole request head, however it arrives, and
 * answers with a well-formed HTTP/1.1 response: status line, Content-Type, a Content-Length
 * in bytes, Date, an empty line, the page.
 */
import { test } from 'vitest';
import { courseRule, must, should } from '../http/basis.ts';
import { expectHeader, expectStatus, fail } from '../http/expect.ts';
import { connect, get, request } from '../http/server-under-test.ts';

const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

test('answers GET / with a well-formed status line "HTTP/1.1 200 OK"', must('RFC 9112 §4'), async () => {
  const response = await get('/');
  expectStatus(response, 200);
  if (response.head.version !== '1.1') {
    fail(response, { problem: `Expected the version HTTP/1.1 in the status line, got HTTP/${response.head.version}.`, caret: 0, symptom: 'not-http' });
  }
});

test('says the body is HTML with a Content-Type header', should('RFC 9110 §8.3'), async () => {
  const response = await get('/');
  expectHeader(response, 'Content-Type', {
    test: (value) => /^text\/html\b/i.test(value),
    describe: 'text/html (optionally followed by "; charset=utf-8")',
    hint: 'Without a Content-Type, a browser has to guess what the bytes are. For a page, send "Content-Type: text/html; charset=utf-8".',
  });
});

test('sends a Content-Length that counts the body in bytes, and exactly that many bytes', must('RFC 9112 §6.3'), async () => {
  const response = await get('/', { Connection: 'close' });
  expectHeader(response, 'Content-Length', { test: (value) => /^\d+$/.test(value), describe: 'the body\'s length in bytes' });
  if (response.body.length === 0) {
    fail(response, { problem: 'Expected a page in the body, got an empty body.', caret: response.raw.length, hint: 'The body goes after the empty line that ends the head.' });
  }
  // The response was framed by Content-Length; anything after it is a miscount.
  const extra = await response.connection.leftover(300);
  if (extra.length > 0) {
    const body = Buffer.concat([response.body, extra]);
    const countedCharacters = body.toString('utf8').length === response.body.length;
    throw response.connection.failure({
      problem: `Content-Length says ${response.body.length} bytes, but ${extra.length} more bytes followed them.`,
      expected: `Content-Length: ${body.length}`,
      symptom: countedCharacters ? 'content-length-chars' : 'body-too-long',
      caret: response.raw.length,
    });
  }
});

test('sends a Date header in the IMF-fixdate format of RFC 9110 §5.6.7', must('RFC 9110 §6.6.1'), async () => {
  const response = await get('/');
  const value = expectHeader(response, 'Date', { test: (v) => IMF_FIXDATE.test(v), describe: 'a date like "Sun, 06 Nov 1994 08:49:37 GMT"', symptom: 'bad-date' });
  const skewMinutes = Math.abs(Date.parse(value) - Date.now()) / 60_000;
  if (skewMinutes > 5) {
    fail(response, { problem: `Expected Date to be the current time, got "${value}" (${Math.round(skewMinutes)} minutes away).`, symptom: 'bad-date' });
  }
});

test('waits for the whole request head when it arrives in pieces', courseRule('whole-head'), async () => {
  const connection = await connect();
  const whole = request('GET', '/');
  await connection.send(whole.slice(0, 10));
  // A server that answers too soon does so as soon as it has read the piece: where the system
  // shows when that is, a moment after it; elsewhere, 150 ms.
  const early = await connection.peek((await connection.untilServerHasRead(150)) ? 50 : 1);
  if (early) {
    throw connection.failure({
      problem: `Only the first 10 bytes of the request had been sent ("${whole.slice(0, 10)}"), and the server already answered.`,
      symptom: 'one-data-event',
    });
  }
  await connection.send(whole.slice(10, 20));
  // Each piece is read on its own before the next is sent.
  await connection.untilServerHasRead(30);
  await connection.send(whole.slice(20));
  const response = await connection.readResponse();
  expectStatus(response, 200);
});

const HINT_OWN_BUFFER = 'Each connection needs its own buffer: declare it inside the connection callback, not at the top of the file. One buffer shared by every connection glues one client\'s bytes onto another\'s.';

test('keeps a separate buffer for each connection', courseRule('whole-head'), async () => {
  const first = await connect();
  const head = request('GET', '/');
  // All of the first client's head but its final empty line.
  await first.send(head.slice(0, -2));
  const early = await first.peek((await first.untilServerHasRead(150)) ? 50 : 1);
  if (early) {
    throw first.failure({
      problem: 'A client had sent all of its head but the empty line that ends it, and the server already answered.',
      symptom: 'one-data-event',
    });
  }
  // An empty line before a request is no request at all (RFC 9112 §2.2: a server SHOULD ignore
  // it; some answer it with 400 at once, which is no sign of a shared buffer). Glued onto the
  // first client's bytes, it ends their head, and gets the page.
  const second = await connect();
  await second.send('\r\n');
  const answer = await second.peek((await second.untilServerHasRead(150)) ? 50 : 1);
  const glued = answer !== undefined && !/^HTTP\/1\.[01] 4\d\d /.test(answer.toString('latin1'));
  if (glued) {
    throw second.failure({
      problem: 'While a first client was half-way through its request, a second client sent only an empty line ("\\r\\n") — and got an answer: its bytes were added to the first client\'s.',
      hint: HINT_OWN_BUFFER,
    });
  }
  await first.send('\r\n');
  expectStatus(await first.readResponse(), 200, { because: 'the first client finished its request.', hint: HINT_OWN_BUFFER });
});

test('answers one connection after another', courseRule('stays-up'), async () => {
  for (let n = 1; n <= 3; n++) {
    expectStatus(await get('/'), 200);
  }
});
