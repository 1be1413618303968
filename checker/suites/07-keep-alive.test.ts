/**
 * Stage 7 — Keep-alive (RFC 9112 §9). An HTTP/1.1 connection carries request after request:
 * pipelined ones answered in order, ones that trickle in byte by byte still read whole, bodies
 * skipped so they are never read as a request. "Connection: close" and HTTP/1.0 close; an
 * error that closes says so; an idle connection is closed quietly after a short timeout.
 */
import { rm, truncate } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { FIXTURE_FILES } from '../core/fixture-root.ts';
import { courseRule, may, must, should, type Basis } from '../http/basis.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { expectBody, expectHeader, expectStatus, fail } from '../http/expect.ts';
import type { Connection, HttpResponse } from '../http/raw-client.ts';
import { connect, request } from '../http/server-under-test.ts';

const HINT_LOOP = 'Handle requests in a loop per connection: read a head, answer it, and go back for the next — without closing. Keep the bytes left over after one head in your buffer: they are the start of the next request.';
const HINT_CLOSE = 'When you close after a response, say so with "Connection: close" in it (RFC 9112 §9.6), so the client does not send another request into a closing connection.';

/** A later request on the connection went unanswered: the connection was not kept for it. */
const KEPT_OPEN: Basis = courseRule('keeps-connections-open').meta.basis;
/** RFC 9112 §9.6: a sender SHOULD send "Connection: close" when it intends to close. */
const SAYS_CLOSE: Basis = should('RFC 9112 §9.6').meta.basis;

/** Read the next response; if none comes, say which request went unanswered and why that happens. */
async function readNext(connection: Connection, which: string, hint: string, method?: string, basis?: Basis): Promise<HttpResponse> {
  try {
    return await connection.readResponse({ method });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure({ ...error.details, problem: `No complete response to the ${which}: ${error.details.problem}`, hint, basis: basis ?? error.details.basis });
  }
}

async function expectOpen(connection: Connection, after: HttpResponse, why: string): Promise<void> {
  if ((await connection.waitForClose(300)) !== 'open') {
    fail(after, { problem: `The server closed the connection after this response, but ${why}.`, hint: HINT_LOOP, basis: KEPT_OPEN });
  }
}

async function expectClosed(connection: Connection, after: HttpResponse, why: string, basis?: Basis): Promise<void> {
  const extra = await connection.leftover(3000);
  if (!connection.closed) fail(after, { problem: `Expected the server to close the connection after this response (${why}), but it stayed open.`, hint: 'After writing the response, call socket.end().', basis });
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
  test('answers several requests, one after another, on one connection', courseRule('keeps-connections-open'), async () => {
    const connection = await connect();
    for (const [path, file] of [['/style.css', 'style.css'], ['/notes.txt', 'notes.txt'], ['/data.json', 'data.json']] as const) {
      await connection.send(request('GET', path));
      const response = await connection.readResponse();
      expectStatus(response, 200, { hint: HINT_LOOP });
      expectBody(response, FIXTURE_FILES[file]!, `the bytes of ROOT/${file}`);
      await expectOpen(connection, response, 'an HTTP/1.1 connection stays open unless one side says "close"');
    }
  });

  // Nagle's algorithm and the client's delayed ACK cost about 40 ms per response on a reused
  // connection, when head and body leave in two writes. Timing on a busy machine is judged
  // against itself: the same requests on fresh connections (where Linux acknowledges at once)
  // are the baseline, and only a reused connection far slower than that, by 40 ms's worth, fails.
  test('answers on a kept-alive connection as fast as on a fresh one: no 40 ms Nagle delay', courseRule('no-nagle-delay'), async () => {
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ask = async (connection: Connection) => {
      const started = performance.now();
      await connection.send(request('GET', '/style.css'));
      expectStatus(await connection.readResponse(), 200, { hint: HINT_LOOP });
      return performance.now() - started;
    };
    const fresh: number[] = [];
    for (let i = 0; i < 8; i++) {
      const connection = await connect();
      fresh.push(await ask(connection));
      connection.close();
    }
    const connection = await connect();
    await ask(connection);
    const reused: number[] = [];
    for (let i = 0; i < 15; i++) reused.push(await ask(connection));
    connection.close();
    const [slow, quick] = [median(reused), median(fresh)];
    if (slow > 30 && slow > 3 * quick + 15) {
      throw new CheckFailure({
        problem: `On one kept-alive connection a response took ${slow.toFixed(0)} ms (the median of 15), against ${quick.toFixed(0)} ms on a fresh connection.`,
        hint: 'This is Nagle\'s algorithm meeting the client\'s delayed ACK: a head and a body written apart wait for an acknowledgement the client holds back 40 ms. Call socket.setNoDelay(true) on every new connection, and send a small body in the same write as its head.',
      });
    }
  });

  // A file truncated while it streams leaves the body short of its Content-Length. The client
  // is paused while the file is cut, so the server is mid-file; then it reads on. A server that
  // closes is right; one that keeps the connection would answer the next request into the body.
  test('closes the connection when a file ends before its Content-Length (truncated while sent)', { ...courseRule('short-body-closes'), timeout: 20_000 }, async () => {
    const hint = 'Count the bytes the file gave you (the read stream\'s bytesRead): fewer than the Content-Length you sent means the file shrank while you sent it. socket.destroy() then: closing is the only way to tell the client this body is incomplete (RFC 9112 §8), and kept open, the connection makes it read your next response as the rest of this one.';
    const name = `truncated-${Date.now()}.bin`;
    const file = path.join(target().root, name);
    await writeFile(file, Buffer.alloc(32 * 1024 * 1024, 0x61));
    const connection = await connect();
    try {
      await connection.send(request('GET', `/${name}`));
      if (!(await connection.peek(3000))) throw new CheckFailure({ problem: `No response to a GET for a 32 MB file within 3 s.` });
      connection.pause();
      await sleep(300);
      await truncate(file, 1024 * 1024);
      connection.resume();
      // Read on until the bytes stop coming, or the server closes.
      let seen = -1;
      const deadline = Date.now() + 10_000;
      while (!connection.closed && connection.pendingBytes !== seen && Date.now() < deadline) {
        seen = connection.pendingBytes;
        await sleep(500);
      }
      if (connection.closed) return;
      // Still open: a keep-alive client would now send its next request on it.
      await connection.send(request('GET', '/style.css'));
      const state = await connection.waitForClose(1500);
      const more = connection.pendingBytes - seen;
      if (state === 'open' || more > 0) {
        throw new CheckFailure({
          problem: more > 0
            ? `The file was cut to 1 MB while it was sent, and the connection stayed open: the next request's response (${more} bytes) arrived inside the 32 MB body the first head announced.`
            : 'The file was cut to 1 MB while it was sent, and the body stopped short of its Content-Length with the connection still open.',
          hint,
        });
      }
    } finally {
      connection.reset();
      await rm(file, { force: true });
    }
  });

  // RFC 9112 §9.3.2: a server MUST send the responses to pipelined requests in the order the
  // requests came. (Closing after the first would be allowed by §9.5, and is what lesson 7 is not.)
  test('answers pipelined requests in the order they were sent', must('RFC 9112 §9.3.2'), async () => {
    const connection = await connect();
    await connection.send(request('GET', '/notes.txt') + request('GET', '/no-such-file') + request('GET', '/data.json'));
    const hint = 'Several requests can arrive in one chunk. After answering the first, look in your buffer for the next complete head before waiting for more data — and answer strictly in order.';
    const first = await readNext(connection, 'first of three pipelined requests', hint);
    expectStatus(first, 200, { hint });
    expectBody(first, FIXTURE_FILES['notes.txt']!, 'ROOT/notes.txt, the first request\'s file', hint);
    expectStatus(await readNext(connection, 'second of three pipelined requests', hint, undefined, KEPT_OPEN), 404, { because: 'the second request asked for a file that does not exist.', hint });
    const third = await readNext(connection, 'third of three pipelined requests', hint, undefined, KEPT_OPEN);
    expectStatus(third, 200, { hint });
    expectBody(third, FIXTURE_FILES['data.json']!, 'ROOT/data.json, the third request\'s file', hint);
  });

  // RFC 9110 §9.3.2: the server MUST NOT send content in the response to HEAD.
  test('answers HEAD then GET, pipelined, with a head only for the first', must('RFC 9110 §9.3.2'), async () => {
    const connection = await connect();
    await connection.send(request('HEAD', '/style.css') + request('GET', '/style.css'));
    const hint = 'The response to HEAD has no body at all: any body bytes would be read as the start of the next response. And the GET is already in your buffer: answer it without waiting for more data.';
    const head = await readNext(connection, 'HEAD', hint, 'HEAD');
    expectStatus(head, 200);
    const get = await readNext(connection, 'GET that followed the HEAD', hint, undefined, KEPT_OPEN);
    expectStatus(get, 200, { because: 'the GET came right after the HEAD on the same connection.', hint });
    expectBody(get, FIXTURE_FILES['style.css']!, 'the bytes of ROOT/style.css');
  });

  test('reads a request that arrives one byte at a time', courseRule('whole-head'), async () => {
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

  // RFC 9112 §9.3: a server MUST read the whole request body or close the connection after its
  // response. Whatever the POST gets (405, 501, 411, 404…), the GET after it must be read where it
  // starts. The POST is for a file that exists, so a server that checks the path first still has
  // a reason to look at the body.
  test('skips a request\'s body, so the next request is read where it starts', must('RFC 9112 §9.3'), async () => {
    const connection = await connect();
    const body = 'name=Ada&stage=7';
    await connection.send(`POST /notes.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}${request('GET', '/notes.txt')}`);
    const bodyHint = 'A request with Content-Length has that many bytes of body after its head. Read (and drop) them before looking for the next request, or the body is parsed as a request line.';
    const post = await readNext(connection, 'POST', bodyHint);
    if (/\bclose\b/i.test(post.header('Connection') ?? '')) {
      // Closing instead of reading the body is what §9.3 allows (lighttpd does it after a POST it
      // refuses): then the server MUST close (§9.6), and the GET is rightly left unanswered.
      await expectClosed(connection, post, 'the response to the POST said "Connection: close"', must('RFC 9112 §9.6').meta.basis);
      return;
    }
    const next = await readNext(connection, 'GET that followed the POST and its body', bodyHint, undefined, KEPT_OPEN);
    expectStatus(next, 200, {
      because: 'after the POST and its 16-byte body came a GET for /notes.txt.',
      hint: bodyHint,
    });
    expectBody(next, FIXTURE_FILES['notes.txt']!, 'the bytes of ROOT/notes.txt', bodyHint);
  });
});

describe('closing', () => {
  // RFC 9112 §9.6: a server that receives "close" MUST close after its response, and SHOULD
  // say "close" in that response.
  test('honours "Connection: close": says so in the response, then closes', must('RFC 9112 §9.6'), async () => {
    for (const value of ['close', 'Keep-Alive, CLOSE']) {
      const connection = await connect();
      await connection.send(request('GET', '/style.css', { Connection: value }));
      const response = await connection.readResponse();
      expectStatus(response, 200);
      expectHeader(response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: `The request said "Connection: ${value}": Connection is a comma-separated list of options, case-insensitive (RFC 9110 §7.6.1). ${HINT_CLOSE}`, basis: SAYS_CLOSE });
      await expectClosed(connection, response, `the request said "Connection: ${value}"`);
    }
  });

  // RFC 9112 §9.3: an HTTP/1.0 connection without the keep-alive option closes after the response.
  test('closes an HTTP/1.0 connection after its response', must('RFC 9112 §9.3'), async () => {
    const plain = await connect();
    await plain.send('GET /style.css HTTP/1.0\r\n\r\n');
    const closed = await plain.readResponse();
    expectStatus(closed, 200);
    await expectClosed(plain, closed, 'HTTP/1.0 closes after each response unless the client asks for keep-alive (RFC 9112 §9.3)');
  });

  // RFC 9112 §9.3: honouring HTTP/1.0's "keep-alive" is the server's choice. Lesson 7 honours it
  // (and says so in the response); a server that does not must not claim it, and closes.
  test('keeps an HTTP/1.0 connection that asks for keep-alive, or closes it without claiming to', may('RFC 9112 §9.3'), async () => {
    const kept = await connect();
    await kept.send('GET /style.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    const first = await kept.readResponse();
    expectStatus(first, 200);
    if (!/\bkeep-alive\b/i.test(first.header('Connection') ?? '')) {
      await expectClosed(kept, first, 'the response to an HTTP/1.0 request did not say "Connection: keep-alive", so the client takes the connection to be closing');
      return;
    }
    await kept.send('GET /notes.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    expectStatus(await readNext(kept, 'second request on the HTTP/1.0 connection', 'A response that says "Connection: keep-alive" promises the connection stays open for the next request.'), 200, { because: 'the HTTP/1.0 client asked to keep the connection alive, and the response said it would.' });
  });

  // RFC 9112 §2.2: a server that receives bytes that are not HTTP's grammar SHOULD answer 400 and
  // close; §5.1 makes the 400 a MUST for whitespace before a colon; §9.6: it SHOULD say "close".
  test('says "Connection: close" on an error it closes after', should('RFC 9112 §9.6'), async () => {
    const connection = await connect();
    await connection.send('GET / HTTP/1.1\r\nHost : bad\r\n\r\n');
    const response = await connection.readResponse();
    expectStatus(response, 400, { basis: must('RFC 9112 §5.1').meta.basis });
    await expectClosed(connection, response, 'after a malformed request the server cannot tell where the next one would start', should('RFC 9112 §2.2').meta.basis);
    expectHeader(response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: `After a malformed request there is no telling where the next one starts, so close. ${HINT_CLOSE}` });
  });

  test('closes an idle connection quietly after a short timeout (between 1 and 4 seconds)', courseRule('idle-timeout'), async () => {
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

// — What a client that stops cooperating can hold (issue 12; lesson 7, "Clients that never let go") —
// These imports serve the requirements below; like every import, they are hoisted.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { holdsSocket, residentMemory } from '../core/process-stats.ts';
import { serverEnd } from '../core/tcp-table.ts';
import { target } from '../http/server-under-test.ts';

const MiB = 1024 * 1024;

/**
 * The server's socket for `connection` (its inode), once the server has accepted it: 'let go' if
 * the kernel shows the connection but never as one the server holds (it answered and closed at
 * once), undefined where the kernel does not show it.
 */
async function acceptedEnd(connection: Connection): Promise<string | 'let go' | undefined> {
  const { port } = target();
  for (let tries = 0; tries < 40; tries++) {
    const end = connection.localPort === undefined ? undefined : serverEnd(port, connection.localPort);
    if (end === undefined) return undefined;
    // Inode 0: still in the listener's queue, or already closed by the server and left to the kernel.
    if (end !== 'gone' && end.inode !== '0') return end.inode;
    await sleep(50);
  }
  return 'let go';
}

describe('clients that never let go', () => {
  test('lets go of a connection it closed within 6 s, even when the client never closes its side', { ...courseRule('bounded-linger'), timeout: 15_000 }, async (context) => {
    const { pid } = target();
    const connection = await connect();
    // A client that reads nothing never sees the server's FIN, so it never closes its side either.
    connection.pause();
    await connection.send(request('GET', '/style.css', { Connection: 'close' }));
    const inode = await acceptedEnd(connection);
    if (inode === 'let go') return;
    if (pid === undefined || inode === undefined || holdsSocket(pid, inode) === undefined) {
      return context.skip(`this system does not show which sockets a process holds (${process.platform})`);
    }
    const deadline = Date.now() + 6000;
    while (holdsSocket(pid, inode) && Date.now() < deadline) await sleep(100);
    if (holdsSocket(pid, inode)) {
      throw connection.failure({
        problem: 'The server still held the connection 6 s after answering a "Connection: close" request, because the client never closed its side.',
        expected: 'the socket destroyed a couple of seconds after the response went out',
        hint: 'socket.end() only sends your FIN and waits for the client\'s; a client that never sends one keeps the socket, and a file descriptor, for ever (a few hundred such clients and the server can accept no one). Once end()\'s callback says your last byte has left, give the client 2 s, then socket.destroy() (RFC 9112 §9.6).',
      });
    }
  });

  test('answers pipelined requests no faster than the client reads the answers', { ...courseRule('pipeline-backpressure'), timeout: 15_000 }, async (context) => {
    const { pid, root } = target();
    const before = pid === undefined ? undefined : residentMemory(pid);
    if (pid === undefined || before === undefined) return context.skip(`this system offers no way to measure a process's memory (${process.platform})`);
    await writeFile(path.join(root, 'pipelined-60k.bin'), Buffer.alloc(60 * 1024, 'p'));
    const connection = await connect();
    // A client that asks for 2,000 answers and reads none of them.
    connection.pause();
    await connection.send(request('GET', '/pipelined-60k.bin').repeat(2000));
    let peak = before;
    const started = Date.now();
    while (Date.now() - started < 2000 && peak - before < 32 * MiB) {
      await sleep(100);
      peak = Math.max(peak, residentMemory(pid) ?? peak);
    }
    connection.reset();
    const grewMiB = Math.round((peak - before) / MiB);
    if (grewMiB >= 32) {
      throw new CheckFailure({
        problem: `A client sent 2,000 pipelined GETs for a 60 KB file and read none of the answers: within ${((Date.now() - started) / 1000).toFixed(1)} s the server's memory grew by ${grewMiB} MB, holding answers nobody reads.`,
        expected: 'memory within a few megabytes of where it started: the next answer waits until the client has read the last',
        hint: 'socket.write() never refuses bytes: what the client has not read stays in your memory. Before you answer the next pipelined request, check socket.writableNeedDrain, and if it is true wait for the socket\'s \'drain\' event (or \'close\').',
      });
    }
  });
});
