/**
 * Stage 6 — HEAD and streaming. HEAD answers exactly what GET would, minus the body. Files are
 * sent from disk piece by piece, waiting whenever the client is slow, so the server's memory
 * stays flat however large the file; a client that leaves mid-file costs nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'vitest';
import { descriptorsOpenOn, residentMemory } from '../core/process-stats.ts';
import { courseRule, must, should } from '../http/basis.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { expectStatus, fail } from '../http/expect.ts';
import { connect, get, request, send, target } from '../http/server-under-test.ts';

const MiB = 1024 * 1024;
/** How far a server's memory may grow while it serves a big file: V8 and the stream buffers take a few MB, a file in memory takes all of its size. */
const LIMIT_MiB = 64;
const HINT_STREAM = 'Do not read the whole file into memory: open a stream (fs.createReadStream) and pipe it into the socket — stream.pipeline(file, socket) — which pauses reading whenever socket.write() says the buffer is full.';

/** A big file in ROOT that costs no disk: a sparse file of zeros. */
async function bigFile(size: number): Promise<string> {
  const name = `big-${size}.bin`;
  const handle = await open(path.join(target().root, name), 'w');
  await handle.truncate(size);
  await handle.close();
  return `/${name}`;
}

describe('HEAD', () => {
  test('answers HEAD with the same status and headers as GET, and not one byte of body', should('RFC 9110 §9.3.2'), async () => {
    const getResponse = await get('/style.css');
    const headResponse = await send(request('HEAD', '/style.css', { Connection: 'close' }), { method: 'HEAD' });
    expectStatus(headResponse, 200);
    const hint = 'HEAD is GET without the body (RFC 9110 §9.3.2): the same status and headers — Content-Length included, the length GET\'s body would have — and then nothing.';
    for (const name of ['Content-Type', 'Content-Length', 'ETag', 'Last-Modified']) {
      const [wanted, got] = [getResponse.header(name), headResponse.header(name)];
      if (got === wanted) continue;
      fail(headResponse, {
        problem: `Expected HEAD to send ${name}: ${wanted} like GET does, got ${got === undefined ? 'none' : `"${got}"`}.`,
        hint,
        // Leaving a header out is a SHOULD; a Content-Length other than GET's is a MUST NOT.
        ...(name === 'Content-Length' && got !== undefined ? { basis: must('RFC 9110 §8.6').meta.basis } : {}),
      });
    }
    const body = await headResponse.connection.leftover(500);
    if (body.length > 0) {
      throw headResponse.connection.failure({
        problem: `A HEAD response has no body, but ${body.length} bytes followed the head.`,
        caret: headResponse.raw.length,
        hint: 'For HEAD, write the head and stop: the client reads no body, and any bytes you send would be taken for the start of the next response.',
        basis: must('RFC 9110 §9.3.2').meta.basis,
      }, Buffer.concat([headResponse.raw, body]));
    }
  });

  test('answers HEAD for a missing file with 404 and no body', must('RFC 9110 §9.3.2'), async () => {
    const response = await send(request('HEAD', '/no-such-file.txt', { Connection: 'close' }), { method: 'HEAD' });
    expectStatus(response, 404);
    const body = await response.connection.leftover(500);
    if (body.length > 0) {
      throw response.connection.failure({ problem: `A HEAD response has no body, not even an error page; ${body.length} bytes followed the head.`, caret: response.raw.length, hint: 'Leave out the body of every response to HEAD, errors included.' }, Buffer.concat([response.raw, body]));
    }
  });
});

describe('streaming files', () => {
  test('sends a 20 MB file byte for byte', courseRule('streams-files'), async () => {
    const content = randomBytes(20 * MiB);
    await writeFile(path.join(target().root, 'random-20mb.bin'), content);
    const connection = await connect();
    await connection.send(request('GET', '/random-20mb.bin'));
    const response = await connection.readResponse({ timeoutMs: 30_000 });
    expectStatus(response, 200);
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    if (response.body.length !== content.length || digest(response.body) !== digest(content)) {
      throw new CheckFailure({ problem: `The 20 MB file arrived changed: ${response.body.length} bytes, and not the same ones.`, hint: 'Send the file\'s bytes untouched: a stream of Buffers, no encoding.' });
    }
  });

  test('keeps its memory flat while a slow client downloads a 200 MB file', { ...courseRule('streams-files'), timeout: 30_000 }, async (context) => {
    const { pid } = target();
    const before = pid === undefined ? undefined : residentMemory(pid);
    if (pid === undefined || before === undefined) return context.skip(`this system offers no way to measure a process's memory (${process.platform})`);
    const path = await bigFile(200 * MiB);

    const connection = await connect();
    await connection.send(request('GET', path));
    if (!(await connection.peek(3000))) throw connection.failure({ problem: 'No response to a GET for a 200 MB file within 3 s.', symptom: 'no-response' });
    // A client that stops reading: TCP's buffers fill, and a careful server stops reading the file.
    connection.pause();
    // Watch until the memory settles, not for a fixed time: on a busy machine, a server that reads
    // the whole file may take seconds to do it. A streaming server settles within a moment.
    const started = Date.now();
    let peak = before;
    let lastGrowth = started;
    while (Date.now() - started < 10_000) {
      await sleep(100);
      const now = residentMemory(pid) ?? peak;
      if (now > peak + MiB) lastGrowth = Date.now();
      peak = Math.max(peak, now);
      if (Date.now() - started >= 1500 && Date.now() - lastGrowth >= 1000) break;
    }
    // Flat memory counts only if the download is still under way: a server that gave up after
    // the head would look flat too. And a server that reads the whole file before it sends a byte
    // of it holds all of it by the time the download goes on, however slowly it read.
    connection.resume();
    const flowing = await connection.waitForBytes(32 * MiB, 8000);
    peak = Math.max(peak, residentMemory(pid) ?? peak);
    const arrivedMiB = Math.round(connection.pendingBytes / MiB);
    const closedByServer = connection.closed;
    connection.reset();
    const grewMiB = Math.round((peak - before) / MiB);
    if (grewMiB > LIMIT_MiB) {
      throw new CheckFailure({
        problem: `While one slow client downloaded a 200 MB file, the server's memory grew by ${grewMiB} MB: it holds the file in memory instead of streaming it.`,
        expected: 'memory that stays within a few megabytes of where it started',
        hint: HINT_STREAM,
      });
    }
    if (!flowing) {
      throw new CheckFailure({
        problem: `When the slow client started reading again, the 200 MB file did not carry on: only ${arrivedMiB} MB of it arrived ${closedByServer ? 'before the server closed the connection' : 'within 8 s'}.`,
        hint: 'A paused download must resume: stream.pipeline(file, socket) starts reading the file again when the socket drains. If you pause the file yourself when socket.write() returns false, resume it on the socket\'s \'drain\' event.',
      });
    }
    // Up to 3 s for the head, 10 for the memory to settle and 8 for the download to resume.
  });

  // Root reads every file whatever its mode, so there is no honest way to make open() fail for
  // root from here: under root this requirement is skipped, and checks it as a plain user only.
  test('answers 404 (or 403) for a file it cannot open, large or small, instead of 200 and a dropped connection', courseRule('open-before-head'), async (context) => {
    if (process.getuid?.() === 0) return context.skip('running as root, which can read a file with no permissions');
    if (process.platform === 'win32') return context.skip('chmod cannot take away read permission on Windows');
    const hint = 'Open the file before you write the head: if open() fails (EACCES, or the file is gone since stat), the answer can still be a 404. Once "200 OK" is sent, all that is left is to drop the connection, and the client sees a broken download.';
    for (const [name, size] of [['unreadable-big.bin', 100 * 1024], ['unreadable-small.txt', 100]] as const) {
      const file = path.join(target().root, name);
      await writeFile(file, Buffer.alloc(size, 0x62));
      await chmod(file, 0o000);
      let response;
      try {
        response = await get(`/${name}`, { Connection: 'close' });
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        throw new CheckFailure({ ...error.details, problem: `A file of ${size} bytes the server may not read (mode 000) got no whole response: ${error.details.problem}`, hint });
      } finally {
        await chmod(file, 0o644);
      }
      if (response.status < 400 || response.status >= 500) fail(response, { problem: `Expected 404 (or 403) for a file of ${size} bytes the server may not read, got ${response.status}.`, caret: 9, hint });
    }
  });

  test('keeps serving when a client leaves mid-file, and closes the file', courseRule('streams-files'), async () => {
    // 8 GiB of nothing (a sparse file, no disk): a read stream left behind by .pipe() reads on
    // after its client has gone, and a smaller file would be read to its end, and closed, before
    // the checker looks.
    const path = await bigFile(8192 * MiB);
    const file = `${target().root}${path}`;
    const { pid } = target();
    // Only descriptors open on this very file count: a server may hold sockets as long as it likes.
    const openOnFile = () => (pid === undefined ? undefined : descriptorsOpenOn(pid, file));
    const before = openOnFile();
    for (let n = 0; n < 3; n++) {
      const leaver = await connect();
      await leaver.send(request('GET', path));
      await leaver.peek(3000);
      leaver.reset();
    }
    await sleep(300);
    const after3 = await get('/').catch((error: unknown) => {
      // Node 26 ends a process whose file handle is closed by the garbage collector rather than by
      // its code: a leaked file, found the hard way.
      const output = readFileSync(target().outputFile, 'utf8');
      if (error instanceof CheckFailure && /FileHandle object was closed during garbage collection/.test(output)) {
        throw new CheckFailure({
          problem: 'After three clients left mid-download, your server crashed: Node found a file it had left open and closed it for you, which Node 26 and later treat as an error. Each abandoned download leaks its file.',
          hint: 'stream.pipeline(file, socket) destroys the file stream, and closes the file, when the socket fails. With .pipe(), you must destroy the read stream yourself on the socket\'s \'close\'. A FileHandle you open yourself needs its close() on every path.',
        });
      }
      throw error;
    });
    expectStatus(after3, 200, {
      because: 'three clients left in the middle of a download, and the server must carry on.',
      hint: 'When the client leaves, writing to its socket fails: catch that error (a rejected pipeline, an \'error\' event) instead of letting it crash the server.',
      basis: courseRule('stays-up').meta.basis,
    });
    if (before === undefined) return;
    let after = openOnFile() ?? 0;
    for (let i = 0; i < 20 && after > before; i++) {
      await sleep(100);
      after = openOnFile() ?? 0;
    }
    // A FileHandle left open is closed by Node's garbage collector, with a warning, whenever that
    // runs: the leak may be gone by the time we look, but the warning says it was there.
    const collected = /Closing file descriptor \d+ on garbage collection/.test(readFileSync(target().outputFile, 'utf8'));
    if (after > before || collected) {
      throw new CheckFailure({
        problem: after > before
          ? `After three clients left mid-download, the server still holds ${after - before} descriptor(s) open on the file they were downloading: each abandoned download leaks its file.`
          : 'After three clients left mid-download, Node warned that it closed a file your server had left open ("Closing file descriptor … on garbage collection"): each abandoned download leaks its file until the garbage collector finds it.',
        hint: 'stream.pipeline(file, socket) destroys the file stream when the socket fails. With .pipe(), you must destroy the read stream yourself on the socket\'s \'close\'.',
      });
    }
  });
});
