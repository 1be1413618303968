/**
 * Stage 8 — Hardening. Limits (414, 431), slow clients (408), bodies whose end is in doubt,
 * and malformed input of every kind, each answered with a clear 4xx — and the server keeps
 * serving everyone else, whatever it is sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { SECRET_MARKER } from '../core/fixture-root.ts';
import { courseRule, may, must, should, type Basis } from '../http/basis.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { expectHeader, expectStatus, expectStatusIn, fail } from '../http/expect.ts';
import { mutatedRequest, seededRandom } from '../http/mutate-request.ts';
import type { Connection, HttpResponse } from '../http/raw-client.ts';
import { escapeInline } from '../http/show-bytes.ts';
import { connect, get, request, send } from '../http/server-under-test.ts';

const HINT_CLOSE = 'After refusing a request whose framing is in doubt, close the connection (and say "Connection: close"): there is no telling where the next request would start.';

const basisOf = (options: { meta: { basis: Basis } }): Basis => options.meta.basis;

/**
 * Proof the server closed after a response, and said so first: RFC 9112 §9.6 says a server
 * SHOULD send "Connection: close" when it means to close. `closeBasis`: whose rule the close is.
 */
async function expectSaysCloseAndCloses(response: HttpResponse, closeBasis: Basis): Promise<void> {
  if ((await response.connection.waitForClose(3000)) === 'open') fail(response, { problem: 'The server kept the connection open after refusing the request.', hint: HINT_CLOSE, basis: closeBasis });
  expectHeader(response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: HINT_CLOSE, basis: basisOf(should('RFC 9112 §9.6')) });
}

/** The response to a refused request, and proof the server closed after it. */
async function expectRefusedAndClosed(bytes: string, status: number | { test: (status: number) => boolean; describe: string }, why: string, hint: string, bases: { status?: Basis; close?: Basis } = {}): Promise<HttpResponse> {
  const response = await send(bytes);
  expectStatusIn(response, typeof status === 'number' ? [status] : status, { because: why, hint, basis: bases.status });
  await expectSaysCloseAndCloses(response, bases.close ?? basisOf(should('RFC 9112 §2.2')));
  return response;
}

const A_4XX = { test: (status: number) => status >= 400 && status < 500, describe: 'a 4xx status (431, 400, 413…)' };

// Slow clients take seconds by design: start them first and judge them last.
interface SlowClient {
  connection: Connection;
  startedAt: number;
  response?: HttpResponse;
  error?: unknown;
  settledAt?: number;
}
const slow: { stalled?: SlowClient; trickling?: SlowClient } = {};

function watch(client: SlowClient): SlowClient {
  client.connection
    .readResponse({ timeoutMs: 12_000 })
    .then((response) => (client.response = response))
    .catch((error: unknown) => (client.error = error))
    .finally(() => (client.settledAt = Date.now()));
  return client;
}

beforeAll(async () => {
  try {
    const stalled = await connect();
    stalled.keepAcrossTests();
    await stalled.send('GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    slow.stalled = watch({ connection: stalled, startedAt: Date.now() });

    const trickling = await connect();
    trickling.keepAcrossTests();
    const bytes = `${request('GET', '/style.css').replace('\r\n\r\n', '\r\n')}X-Slow: ${'z'.repeat(40)}\r\n\r\n`;
    const client = watch({ connection: trickling, startedAt: Date.now() });
    slow.trickling = client;
    void (async () => {
      for (const byte of bytes) {
        if (client.settledAt !== undefined || trickling.closed) return;
        await trickling.send(byte);
        await sleep(400);
      }
    })();
  } catch {
    // The tests below report what is missing.
  }
});
afterAll(() => {
  slow.stalled?.connection.close();
  slow.trickling?.connection.close();
});

describe('limits', () => {
  // The limit is the course's (8 KiB); RFC 9112 §3: a server that finds a target longer than it
  // wishes to parse MUST answer 414, and it is RECOMMENDED to take request lines of 8,000 bytes.
  test('answers 414 to a request line longer than 8 KiB, and accepts one of 7,900 bytes', courseRule('head-limits'), async () => {
    const hint = 'While waiting for the end of the head, look at how far the first "\\r\\n" is: past 8 KiB, answer 414 URI Too Long and close, instead of buffering without end.';
    const long = await send(request('GET', `/${'a'.repeat(9000)}`));
    if (long.status < 400 || long.status === 404) fail(long, { problem: `Expected a request line of over 9,000 bytes to be refused with 414, got ${long.status}.`, caret: 9, hint });
    expectStatus(long, 414, { because: 'the request line is over 9,000 bytes long: a target longer than the server will parse MUST get 414 (RFC 9112 §3).', hint, basis: basisOf(must('RFC 9112 §3')) });
    await expectSaysCloseAndCloses(long, basisOf(courseRule('head-limits')));
    // The length is in the query, so no file name is too long for the file system.
    expectStatus(await get(`/?${'b'.repeat(7900)}`), 200, { because: 'RFC 9112 §3 asks servers to accept request lines of at least 8,000 bytes.', hint: 'The limit should be generous: 8 KiB for the request line.', basis: basisOf(should('RFC 9112 §3')) });
  });

  // The limit is worth something only if it is checked while the bytes arrive: a server that
  // measures the line once the blank line has come holds everything a client sends until then.
  test('answers 414 to a request line that is still arriving, without waiting for its end', courseRule('head-limits'), async () => {
    const hint = 'Check the limits each time bytes arrive, not once the blank line has come: a client can send a request line of megabytes and never end it. Past 8 KiB with no "\\r\\n" yet, answer 414 and close.';
    const connection = await connect();
    // 2 MiB of request line and no line end: more than any server's limit (Go's, behind Caddy,
    // is 1 MiB), and not a whole request.
    void connection.send(`GET /${'a'.repeat(2 * 1024 * 1024)}`);
    let response: HttpResponse;
    try {
      response = await connection.readResponse({ timeoutMs: 2000 });
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      throw new CheckFailure({ ...error.details, problem: 'A request line of 2 MiB with no line end yet got no answer within 2 s.', hint });
    }
    expectStatusIn(response, [414, 431, 400, 413], { because: 'the request line was already 2 MiB long, with no end in sight.', hint });
    connection.close();
  });

  // RFC 9110 §5.4: a server that receives a header section larger than it wishes to process MUST
  // answer with an appropriate 4xx: 431 (RFC 6585), 400 or 413 are all seen. The limit is the course's.
  test('answers a header section over its limit with a 4xx such as 431, and accepts a large ordinary one', courseRule('head-limits'), async () => {
    const huge: Record<string, string> = {};
    // About 78 KB: over nginx's 32 KB, lighttpd's and Apache's limits too, so any real limit is passed.
    for (let i = 0; i < 150; i++) huge[`X-Filler-${i}`] = 'y'.repeat(512);
    const hint = 'Count the bytes after the request line while waiting for the blank line: past your limit (16 KiB, say), answer 431 Request Header Fields Too Large and close.';
    const refused = await send(request('GET', '/', huge));
    if (refused.status < 400) fail(refused, { problem: `Expected the server to refuse a header section of over 75 KB, got ${refused.status}.`, caret: 9, hint });
    expectStatusIn(refused, A_4XX, { because: 'the headers add up to over 75 KB.', hint, basis: basisOf(must('RFC 9110 §5.4')) });
    await expectSaysCloseAndCloses(refused, basisOf(courseRule('head-limits')));
    const cookies: Record<string, string> = {};
    for (let i = 0; i < 30; i++) cookies[`X-Cookie-${i}`] = 'c'.repeat(200);
    expectStatus(await get('/', cookies), 200, { because: 'headers of about 6 KB are ordinary (cookies grow).', hint: 'Keep the header limit generous: 16 KiB is common.' });
  });
});

describe('bodies whose end is in doubt', () => {
  // RFC 9112 §6.1: a server MAY reject a request with both, or process it by Transfer-Encoding
  // alone; either way it MUST close the connection after responding.
  test('closes the connection after answering a request with both Content-Length and Transfer-Encoding', must('RFC 9112 §6.1'), async () => {
    const response = await send('POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    if (response.status >= 500 && response.status !== 501) fail(response, { problem: `Expected a 4xx (lesson 8 answers 400) or an answer to the POST, got ${response.status}.`, caret: 9, basis: basisOf(courseRule('survives-garbage')) });
    if ((await response.connection.waitForClose(3000)) === 'open') {
      fail(response, { problem: 'The server kept the connection open after a request with both Content-Length and Transfer-Encoding.', hint: 'With both headers, two servers can disagree about where the body ends — the root of request smuggling (RFC 9112 §6.1). Answer (lesson 8 answers 400) and close the connection.' });
    }
    expectHeader(response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: HINT_CLOSE, basis: basisOf(should('RFC 9112 §9.6')) });
  });

  // RFC 9112 §6.3: a Transfer-Encoding whose final coding is not chunked leaves the body's length
  // unknown: the server MUST answer 400 and close. §6.1 lets a server answer a coding it does not
  // understand with 501 (nginx, Apache): either way the framing is judged before the method.
  test('answers 400 (or 501) and closes for "Transfer-Encoding: gzip", whatever the method', must('RFC 9112 §6.3'), async () => {
    const hint = 'Judge the framing before the method: a Transfer-Encoding whose last coding is not "chunked" means nobody can tell where the body ends (RFC 9112 §6.3). Answer 400 and close, even for a POST you would refuse with 405.';
    for (const codings of ['gzip', 'chunked, gzip']) {
      await expectRefusedAndClosed(`POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: ${codings}\r\n\r\nhello`, { test: (status) => status === 400 || status === 501, describe: '400 (or 501, for a coding the server does not know)' }, `the request said "Transfer-Encoding: ${codings}": chunked is not the last coding, so the body has no known end.`, hint, { close: basisOf(must('RFC 9112 §6.3')) });
    }
  });

  // The answer to a POST is a refusal (lesson 3), or 413 for a body larger than the server takes
  // (RFC 9110 §15.5.14, nginx). A server that waits for 10 GB that never come refuses nothing.
  test('answers a POST that announces a 10 GB body at once, without waiting for the body', courseRule('get-and-head-only'), async () => {
    const hint = 'Do not wait for a body you will not use when it is huge: over a limit (lesson 8: 1 MiB), answer at once with "Connection: close" and close after the answer. Waiting for 10 GB that may never come, and then closing, leaves the client with no answer at all.';
    const connection = await connect();
    await connection.send('POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000000\r\n\r\n');
    let response: HttpResponse;
    try {
      response = await connection.readResponse({ timeoutMs: 2000 });
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      throw new CheckFailure({ ...error.details, problem: 'A POST announcing a body of 10,000,000,000 bytes, and sending none of it yet, got no answer within 2 s.', hint });
    }
    // Which refusal is lesson 3's question (lighttpd answers a POST to a missing file with 404).
    expectStatusIn(response, { test: (status) => status >= 400, describe: 'a refusal: 405 or 501 (lesson 3), 413, or a 404 for a missing file' }, { because: 'the request was a POST announcing a 10 GB body.', hint });
  });

  // RFC 9112 §6.3: an invalid Content-Length in a request: the server MUST answer 400 and then
  // close the connection.
  for (const value of ['abc', '-5', '5, 6', '1e3', '']) {
    test(`answers 400 and closes for "Content-Length: ${value}"`, must('RFC 9112 §6.3'), async () => {
      await expectRefusedAndClosed(`POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${value}\r\n\r\nhello`, 400, 'Content-Length must be exactly one number of bytes (RFC 9112 §6.3).', 'Accept Content-Length only when it is digits and nothing else: /^\\d+$/. Anything else means the body\'s end is unknown: 400, then close.', { close: basisOf(must('RFC 9112 §6.3')) });
    });
  }
});

// RFC 9112 §2.2: bytes that are not HTTP's grammar SHOULD get 400 and a closed connection; §3
// says the same of an invalid request line (a SHOULD: 400, or a 301 to the target properly
// encoded), and §5.1 makes whitespace before a colon a MUST.
const MALFORMED: Array<[what: string, bytes: string, hint: string, basis: { meta: { basis: Basis } }]> = [
  ['whitespace before a header\'s colon', 'GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n', 'RFC 9112 §5.1: a server MUST reject whitespace between a field name and the colon with 400.', must('RFC 9112 §5.1')],
  ['a control character in the target', 'GET /a\x01b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'A request target holds visible ASCII only; anything else arrives percent-encoded. Control bytes: 400.', should('RFC 9112 §3')],
  ['a raw non-ASCII byte in the target', 'GET /caf\xc3\xa9 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'A browser sends "é" as %C3%A9. A raw byte above 0x7E in the target is malformed: 400.', should('RFC 9112 §3')],
  ['a method with a character tokens cannot have', 'GE(T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'A method is a token (RFC 9110 §5.6.2): letters, digits and !#$%&\'*+-.^_`|~ only.', should('RFC 9112 §3')],
  ['a header name with a character tokens cannot have', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX[Bad]: 1\r\n\r\n', 'A field name is a token (RFC 9110 §5.6.2): "[" and "]" cannot appear in one.', should('RFC 9112 §2.2')],
];

/** In the target: a 301 to the same target, properly encoded, is RFC 9112 §3's other answer. */
const TARGET_CASES = new Set(['a control character in the target', 'a raw non-ASCII byte in the target']);

describe('malformed input gets 400 and a closed connection', () => {
  for (const [what, bytes, hint, basis] of MALFORMED) {
    test(`answers 400 and closes for ${what}`, basis, async () => {
      const response = await send(bytes);
      if (TARGET_CASES.has(what) && response.status === 301) return;
      expectStatus(response, 400, { because: `the request had ${what}.`, hint });
      await expectSaysCloseAndCloses(response, basisOf(should('RFC 9112 §2.2')));
    });
  }

  // RFC 9112 §3.2: more than one Host MUST get 400. The framing is not in doubt, so no RFC asks
  // for a close after it (lesson 8 closes anyway).
  test('answers 400 to two Host headers', must('RFC 9112 §3.2'), async () => {
    expectStatus(await send('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n'), 400, { because: 'the request had two Host headers.', hint: 'RFC 9112 §3.2: a request with more than one Host gets 400.' });
  });

  /**
   * A request the RFC lets a server either reject with 400 (then, the grammar broken, it SHOULD
   * close: RFC 9112 §2.2) or read after repairing it; read, it is a GET for the page.
   */
  async function expectRejectedOrRepaired(bytes: string, what: string, hint: string): Promise<void> {
    const response = await send(bytes);
    expectStatusIn(response, [400, 200], { because: `the request had ${what}: the RFC allows 400, or a repaired request answered as a GET for the page (200).`, hint });
    if (response.status === 400) await expectSaysCloseAndCloses(response, basisOf(should('RFC 9112 §2.2')));
  }

  // RFC 9112 §5.2: a server MUST either reject obs-fold with 400 or replace each fold with SP.
  test('answers a folded header line (obs-fold) with 400, or unfolds it', must('RFC 9112 §5.2'), async () => {
    await expectRejectedOrRepaired('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: one\r\n  two\r\n\r\n', 'a folded header line (obs-fold)', 'A header line that starts with a space continues the previous one ("obs-fold"): RFC 9112 §5.2 lets a server reject it with 400 or replace the fold with a space. Lesson 8 rejects it, the safe choice.');
  });

  // RFC 9112 §2.2 and RFC 9110 §5.5: a bare CR MUST be rejected, or replaced with SP.
  test('answers a bare CR inside a header line with 400, or reads it as a space', must('RFC 9110 §5.5'), async () => {
    await expectRejectedOrRepaired('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd: a\rb\r\n\r\n', 'a bare CR inside a header line', 'RFC 9112 §2.2: a bare CR (not followed by LF) is invalid — reject it with 400 (what lesson 8 does), or replace it with a space; never read it as a line break.');
  });

  // RFC 9110 §5.5: other control characters in a field value are invalid, but a recipient MAY
  // keep them where HTTP does not use the field; nothing reads X-Bell.
  test('answers a control character in a header value with 400, or ignores it in a field it does not use', may('RFC 9110 §5.5'), async () => {
    await expectRejectedOrRepaired('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bell: ding\x07\r\n\r\n', 'a control character (BEL) in a header value', 'A field value holds visible characters, spaces and tabs; lesson 8 answers any other control byte with 400. Keeping it in a field the server never reads is allowed too (RFC 9110 §5.5).');
  });
});

describe('slow clients', () => {
  // The deadline and the close are the course's (head-timeout). RFC 9112 §9.5 lets a server close
  // at any time, so closing without a word passes (nginx does); a server that answers says 408
  // (RFC 9110 §15.5.9), and "Connection: close" on it is RFC 9112 §9.6's SHOULD for a server
  // that means to close (§15.5.9 itself asks for no header).
  async function judge(client: SlowClient | undefined, what: string, withinSeconds: number, hint: string): Promise<void> {
    if (!client) throw new CheckFailure({ problem: `Could not open a connection for the ${what} test.`, symptom: 'nothing-listening' });
    while (client.settledAt === undefined && Date.now() - client.startedAt < withinSeconds * 1000) await sleep(50);
    const closedWithoutAWord = client.error instanceof CheckFailure && client.error.details.symptom === 'closed-before-response';
    if (closedWithoutAWord) return;
    if (!client.response) {
      throw client.connection.failure({
        problem: client.settledAt === undefined
          ? `A ${what} was still holding its connection ${withinSeconds} s later, with no answer.`
          : `A ${what} got neither a 408 response nor a clean close: ${(client.error as Error)?.message ?? 'the connection just closed'}`,
        hint,
      });
    }
    expectStatus(client.response, 408, { because: `the client was a ${what}.`, hint });
    if ((await client.connection.waitForClose(3000)) === 'open') fail(client.response, { problem: `The server answered the ${what} with 408, but kept the connection open.`, hint: 'A 408 ends the connection: say "Connection: close" and close it.' });
    expectHeader(client.response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: 'A 408 ends the connection: say "Connection: close" and close it.', basis: basisOf(should('RFC 9112 §9.6')) });
  }

  test('answers 408 (or just closes) when a client sends part of a head and stalls', courseRule('head-timeout'), async () => {
    await judge(slow.stalled, 'client that stopped half-way through its head', 6, 'When no more bytes arrive for a while (2 s, say) and part of a head is in the buffer, answer 408 Request Timeout and close. With an empty buffer, close quietly.');
  });

  test('answers 408 (or just closes) when a head trickles in a byte at a time for too long (slowloris)', courseRule('head-timeout'), async () => {
    await judge(slow.trickling, 'client sending its head one byte every 0.4 s', 10, 'An idle timer never fires for a client that sends a byte now and then. Give each head a deadline from its first byte (3 s, say): past it, answer 408 and close.');
  });
});

describe('never down', () => {
  test('stays up and correct through thousands of mutated requests', courseRule('survives-garbage'), async () => {
    const seed = Number(process.env.FSTS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = seededRandom(seed);
    const replay = `Replay exactly this run with: FSTS_FUZZ_SEED=${seed} npm run check`;
    for (let batch = 0; batch < 10; batch++) {
      const requests = Array.from({ length: 200 }, () => mutatedRequest(random));
      for (let i = 0; i < requests.length; i += 20) {
        await Promise.all(requests.slice(i, i + 20).map(async (bytes) => {
          let connection: Connection;
          try {
            connection = await connect();
          } catch {
            throw new CheckFailure({ problem: `After ${batch * 200 + i} mutated requests, the server stopped accepting connections.`, sent: bytes.toString('latin1'), hint: `${replay}. Look at your server's output below for the error that stopped it.` });
          }
          await connection.send(bytes);
          connection.endSending();
          const answer = Buffer.concat([await connection.leftover(3000)]);
          connection.close();
          if (answer.includes(SECRET_MARKER)) {
            throw new CheckFailure({ problem: 'A mutated request got a response containing a file from outside ROOT.', sent: bytes.toString('latin1'), received: answer.toString('latin1'), caret: answer.indexOf(SECRET_MARKER), hint: replay });
          }
          const firstLine = bytes.subarray(0, Math.max(0, bytes.indexOf('\n'))).toString('latin1');
          if (answer.length > 0 && !answer.subarray(0, 5).equals(Buffer.from('HTTP/')) && !firstLine.includes(' HTTP/')) {
            // A request line without a version, answered the HTTP/0.9 way (nginx does): the course's rule, not HTTP/1.1's.
            throw new CheckFailure({ problem: `A mutated request line without a version got an answer with no status line (HTTP/0.9's way): "${escapeInline(answer, 40)}".`, sent: bytes.toString('latin1'), received: answer.toString('latin1'), caret: 0, hint: `This course answers a request line without a version with 400. ${replay}`, basis: courseRule('no-http-0.9').meta.basis });
          }
          if (answer.length > 0 && !/^HTTP\/1\.[01] [1-4]\d\d |^HTTP\/1\.[01] 50[15] /.test(answer.subarray(0, 16).toString('latin1'))) {
            throw new CheckFailure({ problem: `A mutated request got a response that is not a clean HTTP answer: "${escapeInline(answer, 40)}".`, sent: bytes.toString('latin1'), received: answer.toString('latin1'), caret: 0, hint: `Every malformed request deserves a 4xx, never a 500 or a half-written reply. ${replay}` });
          }
        }));
      }
      expectStatus(await get('/'), 200, { because: `after ${(batch + 1) * 200} mutated requests the server must still serve the page.`, hint: replay });
    }
  });

  test('serves a new client while hundreds of idle connections are open', courseRule('many-idle-clients'), async () => {
    // 300, or as many as the machine's limit on open files leaves room for (macOS: 256 in all),
    // in this process and in the server, which inherits the same limit.
    const count = Math.min(300, (openFileLimit() ?? 1024) - 64);
    const idle: Connection[] = [];
    for (let i = 0; i < count; i++) idle.push(await connect());
    const response = await get('/');
    expectStatus(response, 200, { because: `${count} other connections were open and silent.`, hint: 'Never wait for one client before serving another: every connection is handled on its own, with its own buffer and timers.' });
    for (const connection of idle) connection.close();
  });
});

// — Clients that stop reading, or never stop sending (issue 12; lesson 8, "Too slow to read") —
// These imports serve the requirements below; like every import, they are hoisted.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { holdsSocket, openFileLimit, residentMemory } from '../core/process-stats.ts';
import { serverEnd } from '../core/tcp-table.ts';
import { target } from '../http/server-under-test.ts';

const MiB = 1024 * 1024;

/** A file of `size` zero bytes in ROOT that costs no disk (a sparse file): its path on the server. */
async function sparseFile(name: string, size: number): Promise<string> {
  const handle = await open(path.join(target().root, name), 'w');
  await handle.truncate(size);
  await handle.close();
  return `/${name}`;
}

/** A connection that has asked for a file far bigger than TCP's buffers, and reads none of it. */
async function stalledDownload(name: string): Promise<Connection> {
  const file = await sparseFile(name, 1024 * MiB);
  const connection = await connect();
  connection.pause();
  await connection.send(request('GET', file));
  return connection;
}

/**
 * The server's socket for `connection` (its inode), once the server has accepted it: 'let go' if
 * the kernel shows the connection but never as one the server holds (it closed at once),
 * undefined where the kernel does not show it.
 */
async function serverSocket(connection: Connection): Promise<string | 'let go' | undefined> {
  for (let tries = 0; tries < 40; tries++) {
    const end = connection.localPort === undefined ? undefined : serverEnd(target().port, connection.localPort);
    if (end === undefined) return undefined;
    // Inode 0: still in the listener's queue, or already closed by the server and left to the kernel.
    if (end !== 'gone' && end.inode !== '0') return end.inode;
    await sleep(50);
  }
  return 'let go';
}

describe('clients that stop reading, or never stop sending', () => {
  // The abandoned download takes seconds by design: start it first and judge it last.
  let download: { connection: Connection; held: boolean | undefined; watching: Promise<void> } | undefined;
  beforeAll(async () => {
    const { pid } = target();
    const connection = await stalledDownload('never-read.bin');
    connection.keepAcrossTests();
    const inode = await serverSocket(connection);
    const holds = () => (inode === 'let go' ? false : pid === undefined || inode === undefined ? undefined : holdsSocket(pid, inode));
    const watching = (async () => {
      const deadline = Date.now() + 10_000;
      while (holds() && Date.now() < deadline) await sleep(200);
      if (download) download.held = holds();
    })();
    download = { connection, held: holds(), watching };
  });
  afterAll(() => download?.connection.close());

  test('stops reading from a client whose response is waiting, however much it sends', { ...courseRule('bounded-input'), timeout: 20_000 }, async (context) => {
    const { pid } = target();
    const before = pid === undefined ? undefined : residentMemory(pid);
    if (pid === undefined || before === undefined) return context.skip(`this system offers no way to measure a process's memory (${process.platform})`);
    const connection = await stalledDownload('read-later.bin');
    // While its answer waits, the client pours in 64 KB after 64 KB, for up to 3 s or 64 MB.
    const junk = Buffer.alloc(64 * 1024, 'x');
    const stop = Date.now() + 3000;
    let peak = before;
    let sent = 0;
    for (; sent < 64 * MiB && Date.now() < stop && !connection.closed; sent += junk.length) {
      // A server that stops reading makes our writes wait: that is the point.
      await Promise.race([connection.send(junk), sleep(stop - Date.now())]);
      peak = Math.max(peak, residentMemory(pid) ?? peak);
    }
    await sleep(200);
    peak = Math.max(peak, residentMemory(pid) ?? peak);
    connection.reset();
    const grewMiB = Math.round((peak - before) / MiB);
    // A server that stops reading lets through only what the kernel's buffers hold (a few MB on
    // loopback); one that reads on takes whatever the client manages to send, however much its
    // memory shows of it at the moment we look.
    if (grewMiB >= 32 || sent >= 24 * MiB) {
      throw new CheckFailure({
        problem: `A client that read nothing of its answer went on sending: the server took ${Math.round(sent / MiB)} MB of it, and its memory grew by ${grewMiB} MB.`,
        expected: 'the server stops reading once it holds more than a whole head, and memory stays within a few megabytes',
        hint: 'Your reader takes every byte that arrives, even while the server is busy answering. Once it holds more unread bytes than the largest head you accept (8 KiB + 16 KiB), call socket.pause(), and socket.resume() when a head or body has been taken off: the bytes then wait in the kernel, and TCP makes the client wait.',
      });
    }
  });

  test('cuts off a request body that trickles in a byte at a time, within 8 s', { ...courseRule('body-deadline'), timeout: 20_000 }, async () => {
    const connection = await connect();
    await connection.send(request('POST', '/notes.txt', { 'Content-Length': '100000' }));
    const deadline = Date.now() + 8000;
    while (!connection.closed && Date.now() < deadline) {
      await connection.send('x');
      await sleep(200);
    }
    if (!connection.closed) {
      throw connection.failure({
        problem: 'A request announced a 100,000-byte body and sent it one byte every 0.2 s: 8 s later the server was still reading it.',
        expected: 'the connection closed (with or without a 408) within a few seconds',
        hint: 'An idle timer restarts with every byte, so a byte now and then keeps it from ever firing: slowloris, in the body. Give the body a deadline as you gave the head, counted from its start (3 s, say, plus a second for each KiB that arrives); past it, close the connection.',
      });
    }
  });

  test('abandons a download the client has stopped reading, within 10 s', { ...courseRule('send-timeout'), timeout: 20_000 }, async (context) => {
    if (!download) throw new CheckFailure({ problem: 'Could not open a connection to ask for a large file.', symptom: 'nothing-listening' });
    await download.watching;
    if (download.held === undefined) return context.skip(`this system does not show which sockets a process holds (${process.platform})`);
    if (download.held) {
      throw download.connection.failure({
        problem: 'A client asked for a 1 GB file and read none of it: 10 s later the server still held the connection (and, most likely, the open file).',
        expected: 'the connection destroyed a few seconds after the client stopped taking bytes',
        hint: 'Your idle timer never fires here: the client is not silent, it is not reading, and your writes wait for it for ever. Watch the socket: when socket.writableNeedDrain has stayed true for a few seconds without a \'drain\' event, socket.destroy() — check with a setInterval, cleared on \'close\'.',
      });
    }
  });
});
