/**
 * Stage 7 — Keep-alive (RFC 9112 §9). An HTTP/1.1 connection carries request after request:
 * pipelined ones answered in order, ones that trickle in byte by byte still read whole, bodies
 * skipped so they are never read as a request. "Connection: close" and HTTP/1.0 close; an
 * error that closes says so; an idle connection is closed quietly after a short timeout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { FIXTURE_FILES } from '../core/fixture-root.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { expectBody, expectHeader, expectStatus, fail } from '../http/expect.ts';
import type { Connection, HttpResponse } from '../http/raw-client.ts';
import { connect, request } from '../http/server-under-test.ts';

const HINT_LOOP = 'Handle requests in a loop per connection: read a head, answer it, and go back for the next — without closing. Keep the bytes left over after one head in your buffer: they are the start of the next request.';
const HINT_CLOSE = 'When you close after a response, say so with "Connection: close" in it (RFC 9112 §9.6), so the client does not send another request into a closing connection.';

/** Read the next response; if none comes, say which request went unanswered and why that happens. */
async function readNext(connection: Connection, which: string, hint: string, method?: string): Promise<HttpResponse> {
  try {
    return await connection.readResponse({ method });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure({ ...error.details, problem: `No complete response to the ${which}: ${error.details.problem}`, hint });
  }
}

async function expectOpen(connection: Connection, after: HttpResponse, why: string): Promise<void> {
  if ((await connection.waitForClose(300)) !== 'open') {
    fail(after, { problem: `The server closed the connection after this response, but ${why}.`, hint: HINT_LOOP });
  }
}

async function expectClosed(connection: Connection, after: HttpResponse, why: string): Promise<void> {
  const extra = await connection.leftover(3000);
  if (!connection.closed) fail(after, { problem: `Expected the server to close the connection after this response (${why}), but it stayed open.`, hint: 'After writing the response, call socket.end().' });
  if (extra.length > 0) throw connection.failure({ problem: `${extra.length} unexpected bytes followed the response before the connection closed.` });
}

// The idle test's connection is opened first and left alone while the other tests run, so the
// timeout costs (almost) no extra time.
let idle: { connection: Connection; answeredAt: number; closedAt?: number } | undefined;
beforeAll(async () => {
  try {
    const connection = await connect();
    connection.keepAcrossTests();
    await connection.send(request('GET', '/style.css'));
    await connection.readResponse();
    idle = { connection, answeredAt: Date.now() };
    void connection.waitForClose(15_000).then(() => idle && (idle.closedAt = Date.now()));
  } catch {
    idle = undefined; // The test below reports it.
  }
});
afterAll(() => idle?.connection.close());

describe('one connection, many requests', () => {
  test('answers several requests, one after another, on one connection', async () => {
    const connection = await connect();
    for (const [path, file] of [['/style.css', 'style.css'], ['/notes.txt', 'notes.txt'], ['/data.json', 'data.json']] as const) {
      await connection.send(request('GET', path));
      const response = await connection.readResponse();
      expectStatus(response, 200, { hint: HINT_LOOP });
      expectBody(response, FIXTURE_FILES[file]!, `the bytes of ROOT/${file}`);
      await expectOpen(connection, response, 'an HTTP/1.1 connection stays open unless one side says "close"');
    }
  });

  test('answers pipelined requests in the order they were sent', async () => {
    const connection = await connect();
    await connection.send(request('GET', '/notes.txt') + request('GET', '/no-such-file') + request('GET', '/data.json'));
    const hint = 'Several requests can arrive in one chunk. After answering the first, look in your buffer for the next complete head before waiting for more data — and answer strictly in order.';
    const first = await readNext(connection, 'first of three pipelined requests', hint);
    expectStatus(first, 200, { hint });
    expectBody(first, FIXTURE_FILES['notes.txt']!, 'ROOT/notes.txt, the first request\'s file', hint);
    expectStatus(await readNext(connection, 'second of three pipelined requests', hint), 404, { because: 'the second request asked for a file that does not exist.', hint });
    const third = await readNext(connection, 'third of three pipelined requests', hint);
    expectStatus(third, 200, { hint });
    expectBody(third, FIXTURE_FILES['data.json']!, 'ROOT/data.json, the third request\'s file', hint);
  });

  test('answers HEAD then GET, pipelined, with a head only for the first', async () => {
    const connection = await connect();
    await connection.send(request('HEAD', '/style.css') + request('GET', '/style.css'));
    const hint = 'The response to HEAD has no body at all: any body bytes would be read as the start of the next response. And the GET is already in your buffer: answer it without waiting for more data.';
    const head = await readNext(connection, 'HEAD', hint, 'HEAD');
    expectStatus(head, 200);
    const get = await readNext(connection, 'GET that followed the HEAD', hint);
    expectStatus(get, 200, { because: 'the GET came right after the HEAD on the same connection.', hint });
    expectBody(get, FIXTURE_FILES['style.css']!, 'the bytes of ROOT/style.css');
  });

  test('reads a request that arrives one byte at a time', async () => {
    const connection = await connect();
    const bytes = request('GET', '/notes.txt');
    for (const byte of bytes) {
      await connection.send(byte);
      await sleep(1);
    }
    const response = await connection.readResponse();
    expectStatus(response, 200, { hint: 'However the bytes are split, wait until the buffer holds "\\r\\n\\r\\n" before parsing.' });
    expectBody(response, FIXTURE_FILES['notes.txt']!, 'the bytes of ROOT/notes.txt');
  });

  test('skips a request\'s body, so the next request is read where it starts', async () => {
    const connection = await connect();
    const body = 'name=Ada&stage=7';
    await connection.send(`POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}${request('GET', '/notes.txt')}`);
    const bodyHint = 'A request with Content-Length has that many bytes of body after its head. Read (and drop) them before looking for the next request, or the body is parsed as a request line.';
    expectStatus(await readNext(connection, 'POST', bodyHint), 405);
    const next = await readNext(connection, 'GET that followed the POST and its body', bodyHint);
    expectStatus(next, 200, {
      because: 'after the POST and its 16-byte body came a GET for /notes.txt.',
      hint: bodyHint,
    });
  });
});

describe('closing', () => {
  test('honours "Connection: close": says so in the response, then closes', async () => {
    for (const value of ['close', 'Keep-Alive, CLOSE']) {
      const connection = await connect();
      await connection.send(request('GET', '/style.css', { Connection: value }));
      const response = await connection.readResponse();
      expectStatus(response, 200);
      expectHeader(response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: `The request said "Connection: ${value}": Connection is a comma-separated list of options, case-insensitive (RFC 9110 §7.6.1). ${HINT_CLOSE}` });
      await expectClosed(connection, response, `the request said "Connection: ${value}"`);
    }
  });

  test('closes an HTTP/1.0 connection, unless it asked for keep-alive', async () => {
    const plain = await connect();
    await plain.send('GET /style.css HTTP/1.0\r\n\r\n');
    const closed = await plain.readResponse();
    expectStatus(closed, 200);
    await expectClosed(plain, closed, 'HTTP/1.0 closes after each response unless the client asks for keep-alive (RFC 9112 §9.3)');

    const kept = await connect();
    await kept.send('GET /style.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    const first = await kept.readResponse();
    expectHeader(first, 'Connection', { test: (v) => /keep-alive/i.test(v), describe: '"keep-alive"', hint: 'An HTTP/1.0 client only keeps the connection if the response says "Connection: keep-alive" too.' });
    await kept.send('GET /notes.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    expectStatus(await kept.readResponse(), 200, { because: 'the HTTP/1.0 client asked to keep the connection alive.' });
  });

  test('says "Connection: close" on an error it closes after', async () => {
    const connection = await connect();
    await connection.send('GET / HTTP/1.1\r\nHost : bad\r\n\r\n');
    const response = await connection.readResponse();
    expectStatus(response, 400);
    expectHeader(response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: `After a malformed request there is no telling where the next one starts, so close. ${HINT_CLOSE}` });
    await expectClosed(connection, response, 'after a malformed request the server cannot tell where the next one would start');
  });

  test('closes an idle connection quietly after a short timeout (between 1 and 4 seconds)', async () => {
    if (!idle) throw new CheckFailure({ problem: 'Could not open and use a connection for the idle test.', symptom: 'nothing-listening' });
    const deadline = idle.answeredAt + 5000;
    while (idle.closedAt === undefined && Date.now() < deadline) await sleep(50);
    const hint = 'Wait for the next request with a time limit: when no bytes arrive for a couple of seconds, end the connection. A timer in the reader\'s wait for more data does it (clear it when data comes).';
    if (idle.closedAt === undefined) {
      throw new CheckFailure({ problem: 'A connection left idle for 5 seconds after its response was still open.', hint: `Idle connections hold memory and a file descriptor each: close them after a couple of seconds. ${hint}` });
    }
    const seconds = (idle.closedAt - idle.answeredAt) / 1000;
    if (seconds < 1) throw new CheckFailure({ problem: `The idle connection was closed after ${seconds.toFixed(1)} s: too soon for a browser to reuse it.`, hint });
    const extra = await idle.connection.leftover(0);
    if (extra.length > 0) throw idle.connection.failure({ problem: `An idle connection is closed quietly, but ${extra.length} bytes came first.`, hint: 'A connection with no request in flight has nobody to answer: close it without writing anything.' });
  });
});
