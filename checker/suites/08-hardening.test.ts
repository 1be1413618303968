/**
 * Stage 8 — Hardening. Limits (414, 431), slow clients (408), bodies whose end is in doubt,
 * and malformed input of every kind, each answered with a clear 4xx — and the server keeps
 * serving everyone else, whatever it is sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { SECRET_MARKER } from '../core/fixture-root.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { expectHeader, expectStatus, fail } from '../http/expect.ts';
import { mutatedRequest, seededRandom } from '../http/mutate-request.ts';
import type { Connection, HttpResponse } from '../http/raw-client.ts';
import { escapeInline } from '../http/show-bytes.ts';
import { connect, get, request, send } from '../http/server-under-test.ts';

const HINT_CLOSE = 'After refusing a request whose framing is in doubt, close the connection (and say "Connection: close"): there is no telling where the next request would start.';

/** The response to a refused request, and proof the server closed after it. */
async function expectRefusedAndClosed(bytes: string, status: number, why: string, hint: string): Promise<void> {
  const response = await send(bytes);
  expectStatus(response, status, { because: why, hint });
  expectHeader(response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: HINT_CLOSE });
  if ((await response.connection.waitForClose(3000)) === 'open') fail(response, { problem: 'The server kept the connection open after refusing the request.', hint: HINT_CLOSE });
}

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
  test('answers 414 to a request line longer than 8 KiB, and accepts one of 7,900 bytes', async () => {
    const hint = 'While waiting for the end of the head, look at how far the first "\\r\\n" is: past 8 KiB, answer 414 URI Too Long and close, instead of buffering without end.';
    await expectRefusedAndClosed(request('GET', `/${'a'.repeat(9000)}`), 414, 'the request line is over 9,000 bytes long.', hint);
    expectStatus(await get(`/${'b'.repeat(7900)}`), 404, { because: 'RFC 9112 §3 asks servers to accept request lines of at least 8,000 bytes.', hint: 'The limit should be generous: 8 KiB for the request line.' });
  });

  test('answers 431 to a header section over its limit, and accepts a large ordinary one', async () => {
    const huge: Record<string, string> = {};
    for (let i = 0; i < 150; i++) huge[`X-Filler-${i}`] = 'y'.repeat(200);
    const hint = 'Count the bytes after the request line while waiting for the blank line: past your limit (16 KiB, say), answer 431 Request Header Fields Too Large and close.';
    await expectRefusedAndClosed(request('GET', '/', huge), 431, 'the headers add up to over 30 KB.', hint);
    const cookies: Record<string, string> = {};
    for (let i = 0; i < 30; i++) cookies[`X-Cookie-${i}`] = 'c'.repeat(200);
    expectStatus(await get('/', cookies), 200, { because: 'headers of about 6 KB are ordinary (cookies grow).', hint: 'Keep the header limit generous: 16 KiB is common.' });
  });
});

describe('bodies whose end is in doubt', () => {
  test('answers 400 and closes when a request has both Content-Length and Transfer-Encoding', async () => {
    await expectRefusedAndClosed('POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'with both headers, two servers can disagree about where the body ends — the root of request smuggling (RFC 9112 §6.1).', 'A request with both Content-Length and Transfer-Encoding gets 400, and the connection is closed.');
  });

  for (const value of ['abc', '-5', '5, 6', '1e3', '']) {
    test(`answers 400 and closes for "Content-Length: ${value}"`, async () => {
      await expectRefusedAndClosed(`POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${value}\r\n\r\nhello`, 400, 'Content-Length must be exactly one number of bytes (RFC 9112 §6.3).', 'Accept Content-Length only when it is digits and nothing else: /^\\d+$/. Anything else means the body\'s end is unknown: 400, then close.');
    });
  }
});

const MALFORMED: Array<[what: string, bytes: string, hint: string]> = [
  ['a folded header line (obs-fold)', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: one\r\n  two\r\n\r\n', 'A header line that starts with a space continues the previous one ("obs-fold"): RFC 9112 §5.2 lets a server reject it with 400, and that is the safe choice.'],
  ['whitespace before a header\'s colon', 'GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n', 'RFC 9112 §5.1: a server MUST reject whitespace between a field name and the colon with 400.'],
  ['a control character in the target', 'GET /a\x01b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'A request target holds visible ASCII only; anything else arrives percent-encoded. Control bytes: 400.'],
  ['a raw non-ASCII byte in the target', 'GET /caf\xc3\xa9 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'A browser sends "é" as %C3%A9. A raw byte above 0x7E in the target is malformed: 400.'],
  ['a control character in a header value', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bell: ding\x07\r\n\r\n', 'A field value holds visible characters, spaces and tabs; other control bytes are a 400.'],
  ['a bare CR inside a header line', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd: a\rb\r\n\r\n', 'RFC 9112 §2.2: a bare CR (not followed by LF) is invalid — reject it, or it may be read as a line break by someone else.'],
  ['a method with a character tokens cannot have', 'GE(T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'A method is a token (RFC 9110 §5.6.2): letters, digits and !#$%&\'*+-.^_`|~ only.'],
  ['a header name with a character tokens cannot have', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX[Bad]: 1\r\n\r\n', 'A field name is a token (RFC 9110 §5.6.2): "[" and "]" cannot appear in one.'],
  ['two Host headers', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n', 'RFC 9112 §3.2: a request with more than one Host gets 400.'],
];

describe('malformed input gets 400 and a closed connection', () => {
  for (const [what, bytes, hint] of MALFORMED) {
    test(`answers 400 and closes for ${what}`, async () => {
      await expectRefusedAndClosed(bytes, 400, `the request had ${what}.`, hint);
    });
  }
});

describe('slow clients', () => {
  async function judge(client: SlowClient | undefined, what: string, withinSeconds: number, hint: string): Promise<void> {
    if (!client) throw new CheckFailure({ problem: `Could not open a connection for the ${what} test.`, symptom: 'nothing-listening' });
    while (client.settledAt === undefined && Date.now() - client.startedAt < withinSeconds * 1000) await sleep(50);
    if (!client.response) {
      throw client.connection.failure({
        problem: client.settledAt === undefined
          ? `A ${what} was still holding its connection ${withinSeconds} s later, with no answer.`
          : `A ${what} got no 408 response: ${(client.error as Error)?.message ?? 'the connection just closed'}`,
        hint,
      });
    }
    expectStatus(client.response, 408, { because: `the client was a ${what}.`, hint });
    expectHeader(client.response, 'Connection', { test: (v) => /\bclose\b/i.test(v), describe: '"close"', hint: 'A 408 ends the connection: say "Connection: close" and close it.' });
  }

  test('answers 408 and closes when a client sends part of a head and stalls', async () => {
    await judge(slow.stalled, 'client that stopped half-way through its head', 6, 'When no more bytes arrive for a while (2 s, say) and part of a head is in the buffer, answer 408 Request Timeout and close. With an empty buffer, close quietly.');
  });

  test('answers 408 when a head trickles in a byte at a time for too long (slowloris)', async () => {
    await judge(slow.trickling, 'client sending its head one byte every 0.4 s', 10, 'An idle timer never fires for a client that sends a byte now and then. Give each head a deadline from its first byte (3 s, say): past it, answer 408 and close.');
  });
});

describe('never down', () => {
  test('stays up and correct through thousands of mutated requests', async () => {
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
          if (answer.length > 0 && !/^HTTP\/1\.[01] [1-4]\d\d |^HTTP\/1\.[01] 50[15] /.test(answer.subarray(0, 16).toString('latin1'))) {
            throw new CheckFailure({ problem: `A mutated request got a response that is not a clean HTTP answer: "${escapeInline(answer, 40)}".`, sent: bytes.toString('latin1'), received: answer.toString('latin1'), caret: 0, hint: `Every malformed request deserves a 4xx, never a 500 or a half-written reply. ${replay}` });
          }
        }));
      }
      expectStatus(await get('/'), 200, { because: `after ${(batch + 1) * 200} mutated requests the server must still serve the page.`, hint: replay });
    }
  });

  test('serves a new client while hundreds of idle connections are open', async () => {
    const idle: Connection[] = [];
    for (let i = 0; i < 300; i++) idle.push(await connect());
    const response = await get('/');
    expectStatus(response, 200, { because: '300 other connections were open and silent.', hint: 'Never wait for one client before serving another: every connection is handled on its own, with its own buffer and timers.' });
    for (const connection of idle) connection.close();
  });
});
