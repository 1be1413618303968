/**
 * Stage 11 (bonus) — Compression. A client that accepts gzip (Accept-Encoding, with q-values)
 * gets text files compressed on the way, streamed; images, fonts and tiny files go as they are.
 * Vary: Accept-Encoding goes on every response of a compressible type, the gzip representation
 * has its own ETag and still revalidates with 304, HEAD says what GET would, a Range is answered
 * from the file as it is, and the connection stays usable after a compressed response.
 */
import { createHash, randomUUID } from 'node:crypto';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib, { gunzipSync } from 'node:zlib';
import { describe, test } from 'vitest';
import { FIXTURE_FILES } from '../core/fixture-root.ts';
import { residentMemory } from '../core/process-stats.ts';
import { courseRule, must, should } from '../http/basis.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { expectBody, expectHeader, expectStatus, expectStatusIn, fail } from '../http/expect.ts';
import type { HttpResponse } from '../http/raw-client.ts';
import { connect, get, request, send, target } from '../http/server-under-test.ts';

const MiB = 1024 * 1024;
const MTIME = new Date('2024-03-01T12:00:00Z');
/** About 30 KB of HTML: plenty to compress, and it shrinks to a fraction. */
const PAGE = Buffer.from(Array.from({ length: 500 }, (_, i) => `<p>Line ${i}: the quick brown fox jumps over the lazy dog — café.</p>\n`).join(''));

const HINT_GZIP = 'When Accept-Encoding accepts gzip (q above 0) and the file is text, pipe the file through zlib.createGzip() and say "Content-Encoding: gzip". The length of the compressed body is not known in advance: send it with "Transfer-Encoding: chunked" and no Content-Length.';
const HINT_ACCEPT = 'Accept-Encoding is a comma-separated list of codings, each with an optional ";q=" weight from 0 to 1 (RFC 9110 §12.5.3). gzip is acceptable when "gzip" (or "*", if gzip is not named) has a weight above 0. Names are case-insensitive; "q=0" means "not this one".';
const HINT_VARY = 'Vary: Accept-Encoding tells caches that this address has more than one answer, chosen by Accept-Encoding (RFC 9110 §12.5.5). Send it on every response for a type you may compress — compressed or not, 304s included — or a cache can hand gzip to a client that cannot read it.';
const HINT_IDENTITY = 'Without gzip in Accept-Encoding (or with gzip;q=0), send the file exactly as it is: no Content-Encoding, the file\'s own Content-Length.';

/** A file of our own in ROOT, with the given extension. */
async function ownFile(extension: string, content: Buffer = PAGE): Promise<string> {
  const name = `stage11-${randomUUID()}${extension}`;
  const file = path.join(target().root, name);
  await writeFile(file, content);
  await utimes(file, MTIME, MTIME);
  return `/${name}`;
}

const isGzip = (response: HttpResponse) => (response.header('Content-Encoding') ?? '').toLowerCase() === 'gzip';

/** The weight Accept-Encoding gives a coding (RFC 9110 §12.5.3): its own member's, else "*"'s, else none. */
function weight(accept: string, coding: string): number {
  const members = accept.split(',').map((member) => member.trim()).filter(Boolean).map((member) => {
    const [name, ...params] = member.split(';').map((part) => part.trim());
    const q = params.find((param) => /^q\s*=/i.test(param));
    return { name: name!.toLowerCase(), q: q === undefined ? 1 : Number(q.replace(/^q\s*=\s*/i, '')) || 0 };
  });
  const named = members.find((member) => member.name === coding);
  if (named) return named.q;
  const star = members.find((member) => member.name === '*');
  if (star) return star.q;
  // identity is acceptable unless the header says otherwise; other codings only when listed.
  return coding === 'identity' ? 1 : 0;
}

/** Undo a content coding, or undefined for one Node cannot undo here. */
function decode(coding: string, body: Buffer): Buffer | undefined {
  const undo: Record<string, (bytes: Buffer) => Buffer> = {
    gzip: gunzipSync,
    'x-gzip': gunzipSync,
    br: zlib.brotliDecompressSync,
    deflate: (bytes) => {
      try {
        return zlib.inflateSync(bytes);
      } catch {
        return zlib.inflateRawSync(bytes); // some servers send deflate without its zlib wrapper
      }
    },
  };
  const zstd = (zlib as unknown as { zstdDecompressSync?: (bytes: Buffer) => Buffer }).zstdDecompressSync;
  if (zstd) undo.zstd = zstd;
  return undo[coding]?.(body);
}

function expectGzip(response: HttpResponse, original: Buffer, because: string, hint = HINT_GZIP): void {
  expectStatus(response, 200);
  expectHeader(response, 'Content-Encoding', { test: (v) => v.toLowerCase() === 'gzip', describe: '"gzip"', hint: `${because} ${hint}` });
  let unpacked: Buffer;
  try {
    unpacked = gunzipSync(response.body);
  } catch (error) {
    fail(response, { problem: `The body says it is gzip, but it does not decompress: ${(error as Error).message}.`, hint: 'Send what zlib.createGzip() writes, byte for byte, after the head: no text conversion, nothing before it.' });
  }
  if (!unpacked.equals(original)) fail(response, { problem: `The body decompresses to ${unpacked.length} bytes that are not the file's ${original.length}.`, hint: 'Compress the whole file, from its first byte to its last, and nothing else.' });
}

/**
 * The file compressed with gzip, or with another coding the client accepts as much (a server
 * that speaks Brotli may well prefer it): the body must decompress to the file.
 */
function expectCompressed(response: HttpResponse, original: Buffer, accept: string, because: string, hint = HINT_GZIP): void {
  const coding = (response.header('Content-Encoding') ?? '').toLowerCase();
  if (coding === '' || coding === 'gzip' || coding === 'identity' || weight(accept, coding) < weight(accept, 'gzip')) return expectGzip(response, original, because, hint);
  expectStatus(response, 200);
  let unpacked: Buffer | undefined;
  try {
    unpacked = decode(coding, response.body);
  } catch (error) {
    fail(response, { problem: `The body says it is ${coding}, but it does not decompress: ${(error as Error).message}.`, hint });
  }
  if (unpacked !== undefined && !unpacked.equals(original)) fail(response, { problem: `The ${coding} body decompresses to ${unpacked.length} bytes that are not the file's ${original.length}.`, hint });
}

function expectIdentity(response: HttpResponse, original: Buffer, because: string, hint = HINT_IDENTITY): void {
  expectStatus(response, 200);
  const coding = response.header('Content-Encoding');
  if (coding !== undefined && coding.toLowerCase() !== 'identity') {
    fail(response, { problem: `Expected the file as it is, without Content-Encoding — ${because} — but got "Content-Encoding: ${coding}".`, hint });
  }
  expectBody(response, original, 'the file as it is', hint);
}

function expectVary(response: HttpResponse, what: string): void {
  expectHeader(response, 'Vary', {
    test: (v) => v.split(',').some((name) => ['accept-encoding', '*'].includes(name.trim().toLowerCase())),
    describe: `a list that names Accept-Encoding (on ${what})`,
    hint: HINT_VARY,
  });
}

/** A 304 carries the Vary its 200 would have carried (RFC 9110 §15.4.5): the same names. */
function expectVaryOf(revalidated: HttpResponse, ok: HttpResponse): void {
  const names = (value: string | undefined) => (value ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean).sort().join(', ');
  const wanted = ok.header('Vary');
  if (wanted === undefined || names(revalidated.header('Vary')) === names(wanted)) return;
  fail(revalidated, {
    problem: `The 200 for this request says "Vary: ${wanted}", but its 304 ${revalidated.header('Vary') === undefined ? 'has no Vary' : `says "Vary: ${revalidated.header('Vary')}"`}.`,
    hint: 'A 304 must carry the Vary (and ETag, Cache-Control, Date) that a 200 to the same request would (RFC 9110 §15.4.5): build both from the same validators.',
    basis: must('RFC 9110 §15.4.5').meta.basis,
  });
}

describe('choosing gzip', () => {
  test('compresses a text file with gzip when the client accepts it, and says so with Content-Encoding', courseRule('gzip-text'), async () => {
    const file = await ownFile('.html');
    const response = await get(file, { 'Accept-Encoding': 'gzip, deflate, br' });
    expectCompressed(response, PAGE, 'gzip, deflate, br', 'The client accepts gzip, and HTML compresses well.');
    if (response.body.length >= PAGE.length / 2) fail(response, { problem: `The compressed body is ${response.body.length} bytes for a ${PAGE.length}-byte file: hardly compressed at all.` });
  });

  test('compresses JavaScript, CSS, JSON and SVG too', courseRule('gzip-text'), async () => {
    for (const extension of ['.js', '.css', '.json', '.svg']) {
      expectGzip(await get(await ownFile(extension), { 'Accept-Encoding': 'gzip' }), PAGE, `A ${extension} file is text, and the client accepts gzip.`, 'Text types compress well: text/*, JavaScript, JSON, XML and SVG (image/svg+xml) are all worth compressing. Decide by the Content-Type, not by a list of extensions you may forget to update.');
    }
  });

  test('reads Accept-Encoding as a list with q-values: "br;q=1, gzip;q=0.8", "*", "GZIP" all accept gzip', courseRule('gzip-text'), async () => {
    const file = await ownFile('.html');
    // Not "identity, gzip;q=0.1": the client prefers the file as it is there, and may get it.
    for (const accept of ['br;q=1.0, gzip;q=0.8', '*', 'GZIP', 'deflate ,gzip ; q=0.5', 'identity;q=0.5, gzip']) {
      expectCompressed(await get(file, { 'Accept-Encoding': accept }), PAGE, accept, `"Accept-Encoding: ${accept}" accepts gzip.`, HINT_ACCEPT);
    }
  });

  test('does not compress with gzip when gzip has q=0, or only other codings are acceptable', should('RFC 9110 §12.5.3'), async () => {
    const file = await ownFile('.html');
    for (const accept of ['gzip;q=0', 'gzip; q=0.000', 'br, deflate', 'identity', '*, gzip;q=0', '']) {
      const response = await get(file, { 'Accept-Encoding': accept });
      const coding = (response.header('Content-Encoding') ?? 'identity').toLowerCase();
      // Another coding the client accepts is a fair answer too, if it decompresses to the file.
      if (coding !== 'identity' && coding !== 'gzip' && weight(accept, coding) > 0) expectCompressed(response, PAGE, accept, `"Accept-Encoding: ${accept}" accepts ${coding}.`, HINT_ACCEPT);
      else expectIdentity(response, PAGE, `"Accept-Encoding: ${accept}" does not accept gzip`, HINT_ACCEPT);
    }
    // "*;q=0" refuses every coding, identity too: the file as it is, or 406 Not Acceptable.
    const refused = await get(file, { 'Accept-Encoding': '*;q=0' });
    if (expectStatusIn(refused, [200, 406], { hint: HINT_ACCEPT }) === 200) expectIdentity(refused, PAGE, '"Accept-Encoding: *;q=0" accepts no coding at all', HINT_ACCEPT);
  });

  test('sends the file as it is to a client that sends no Accept-Encoding', courseRule('gzip-only-when-asked'), async () => {
    expectIdentity(await get(await ownFile('.html')), PAGE, 'the client did not say it can decompress anything');
  });

  test('does not compress images and fonts, which are compressed already', courseRule('gzip-text'), async () => {
    for (const extension of ['.png', '.jpg', '.woff2']) {
      expectIdentity(await get(await ownFile(extension), { 'Accept-Encoding': 'gzip' }), PAGE, `a ${extension} file is compressed already, and gzip would only cost time`, 'Compress text types only. PNG, JPEG, WebP, WOFF2, video, zip and PDF files are compressed already: gzip makes them no smaller, sometimes bigger.');
    }
  });

  test('sends a tiny file as it is: gzip would make 51 bytes bigger', courseRule('gzip-text'), async () => {
    expectIdentity(await get('/style.css', { 'Accept-Encoding': 'gzip' }), Buffer.from(FIXTURE_FILES['style.css']!), 'style.css is 51 bytes, and gzip adds 18 bytes of its own', 'Compress only files big enough to gain from it — a kilobyte or more, say. Below that, gzip\'s header and trailer and the chunk framing eat the saving.');
  });
});

describe('Vary and ETag', () => {
  test('sends Vary: Accept-Encoding for a compressible file, compressed or not', should('RFC 9110 §12.5.5'), async () => {
    const file = await ownFile('.html');
    expectVary(await get(file, { 'Accept-Encoding': 'gzip' }), 'the gzip response');
    expectVary(await get(file), 'the uncompressed response to a client without Accept-Encoding');
  });

  test('sends on a 304 the Vary of its 200', must('RFC 9110 §15.4.5'), async () => {
    const file = await ownFile('.html');
    for (const headers of [{}, { 'Accept-Encoding': 'gzip' }] as Array<Record<string, string>>) {
      const ok = await get(file, headers);
      const etag = expectHeader(ok, 'ETag', { test: () => true, describe: 'a validator' });
      const revalidated = await get(file, { ...headers, 'If-None-Match': etag });
      expectStatus(revalidated, 304, { basis: must('RFC 9110 §13.1.2').meta.basis });
      expectVaryOf(revalidated, ok);
    }
  });

  test('gives the gzip response an ETag of its own', courseRule('gzip-etag'), async () => {
    const file = await ownFile('.html');
    const plain = expectHeader(await get(file), 'ETag', { test: () => true, describe: 'a validator' });
    expectHeader(await get(file, { 'Accept-Encoding': 'gzip' }), 'ETag', {
      test: (v) => v !== plain,
      describe: `a tag other than the uncompressed file's ${plain}`,
      hint: 'The gzip bytes are a different representation from the file\'s, so they need a different ETag (RFC 9110 §8.8.3): add "-gzip" inside the quotes, W/"…-gzip". With one tag for both, a cache that revalidates one can be told its copy of the other is current.',
      // A weak tag may be shared (the course asks for more); a strong one promises the same bytes.
      ...(plain.startsWith('W/') ? {} : { basis: must('RFC 9110 §8.8.3').meta.basis }),
    });
  });

  test('answers 304 to If-None-Match with the gzip ETag, with that ETag and Vary', must('RFC 9110 §13.1.2'), async () => {
    const file = await ownFile('.html');
    const ok = await get(file, { 'Accept-Encoding': 'gzip' });
    const etag = expectHeader(ok, 'ETag', { test: () => true, describe: 'a validator' });
    const response = await get(file, { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
    expectStatus(response, 304, {
      because: `the browser sent back the ETag of the gzip response it has (${etag}).`,
      hint: 'Decide the encoding before the preconditions, and compare If-None-Match with the ETag of the representation you would send — the "-gzip" one. Apache once compared with the plain tag, and every compressed file came back 200 for ever.',
    });
    expectHeader(response, 'ETag', { test: (v) => v === etag, describe: `${etag}, the gzip response's tag`, basis: must('RFC 9110 §15.4.5').meta.basis });
    expectVaryOf(response, ok);
  });
});

describe('HEAD and Range', () => {
  test('answers HEAD with the headers GET would get, and no body', should('RFC 9110 §9.3.2'), async () => {
    const file = await ownFile('.html');
    const getResponse = await get(file, { 'Accept-Encoding': 'gzip' });
    const head = await send(request('HEAD', file, { 'Accept-Encoding': 'gzip', Connection: 'close' }), { method: 'HEAD' });
    expectStatus(head, 200);
    for (const name of ['Content-Encoding', 'ETag', 'Vary', 'Content-Type']) {
      if (head.header(name) !== getResponse.header(name)) {
        fail(head, { problem: `Expected HEAD to send ${name}: ${getResponse.header(name)} as GET does, got ${head.header(name) === undefined ? 'none' : `"${head.header(name)}"`}.`, hint: 'Choose the encoding the same way for HEAD as for GET: HEAD describes the response GET would get (RFC 9110 §9.3.2), then stops.' });
      }
    }
    const body = await head.connection.leftover(500);
    if (body.length > 0) throw head.connection.failure({ problem: `A HEAD response has no body, but ${body.length} bytes followed the head.`, caret: head.raw.length, hint: 'For HEAD, write the head and stop: no gzip stream, no chunks, not even the last "0\\r\\n\\r\\n".', basis: must('RFC 9110 §9.3.2').meta.basis }, Buffer.concat([head.raw, body]));
  });

  test('answers a Range request from the file as it is, not from gzip\'s output', courseRule('no-gzip-ranges'), async () => {
    const file = await ownFile('.html');
    const response = await get(file, { 'Accept-Encoding': 'gzip', Range: 'bytes=0-99' });
    // Ignoring the Range is allowed (RFC 9110 §14.2): the whole file, compressed or not.
    if (response.status === 200) return isGzip(response) ? expectGzip(response, PAGE, 'The client accepts gzip.') : expectIdentity(response, PAGE, 'a 200 to a Range is the whole file');
    expectStatus(response, 206, { hint: 'A Range still gets its 206 when the client accepts gzip: send the part of the file as it is.', basis: courseRule('byte-ranges').meta.basis });
    const coding = response.header('Content-Encoding');
    if (coding !== undefined && coding.toLowerCase() !== 'identity') fail(response, { problem: `Expected the part uncompressed, but the 206 says "Content-Encoding: ${coding}".`, hint: 'A Range counts bytes of the representation. Bytes 0-99 of gzip output cannot be found without compressing everything before them, and their ETag would have to be the gzip one: when a Range is present, simply do not compress.' });
    expectBody(response, PAGE.subarray(0, 100), 'the first 100 bytes of the file');
  });
});

describe('streaming compressed', () => {
  test('keeps the connection usable after a compressed response', courseRule('keeps-connections-open'), async () => {
    const file = await ownFile('.html');
    const connection = await connect();
    await connection.send(request('GET', file, { 'Accept-Encoding': 'gzip' }) + request('GET', '/style.css'));
    const hint = 'A compressed body\'s length is not known until it is all sent. Without Content-Length, the client can only find its end by chunked framing (RFC 9112 §7.1): "Transfer-Encoding: chunked", each piece as its size in hex, CRLF, the bytes, CRLF, and "0\\r\\n\\r\\n" at the end.';
    const first = await connection.readResponse();
    if (first.header('Transfer-Encoding') === undefined && first.header('Content-Length') === undefined) {
      fail(first, { problem: 'The compressed response has neither Content-Length nor "Transfer-Encoding: chunked": its end can only be found when the connection closes, so the next response on the connection is read as part of this body.', hint });
    }
    expectGzip(first, PAGE, 'The client accepts gzip.', hint);
    expectStatus(await connection.readResponse(), 200, { because: 'a second request followed on the same connection.', hint: 'After the last chunk, "0\\r\\n\\r\\n", the connection is ready for the next request: keep reading requests, as in stage 7.' });
  });

  test('compresses a 100 MB text file piece by piece, in constant memory', { ...courseRule('streams-files'), timeout: 60_000 }, async (context) => {
    const { pid } = target();
    const line = 'A line of a very long log file, repeated until it fills a hundred megabytes.\n';
    const content = Buffer.from(line.repeat(Math.ceil((100 * MiB) / line.length)));
    const file = await ownFile('.txt', content);
    const before = pid === undefined ? undefined : residentMemory(pid);
    let peak = before ?? 0;
    const sampler = setInterval(() => {
      if (pid !== undefined) peak = Math.max(peak, residentMemory(pid) ?? peak);
    }, 50);
    let response: HttpResponse;
    try {
      const connection = await connect();
      await connection.send(request('GET', file, { 'Accept-Encoding': 'gzip' }));
      response = await connection.readResponse({ timeoutMs: 50_000 });
    } finally {
      clearInterval(sampler);
    }
    expectStatus(response, 200);
    expectHeader(response, 'Content-Encoding', { test: (v) => v.toLowerCase() === 'gzip', describe: '"gzip"', hint: HINT_GZIP });
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    if (digest(gunzipSync(response.body)) !== digest(content)) {
      throw new CheckFailure({ problem: 'The 100 MB file does not decompress to itself.', hint: 'Compress the whole file through one gzip stream, from the first byte to the last.' });
    }
    if (before === undefined) return context.skip(`this system offers no way to measure a process's memory (${process.platform})`);
    const grewMiB = Math.round((peak - before) / MiB);
    // Headroom for zlib's first use of its worker threads (a few arenas of malloc) and for garbage
    // a busy machine has not collected yet (66 MB seen once, under npm test's load): streaming
    // grows by a few megabytes, holding the file in memory by at least its 100.
    if (grewMiB > 85) {
      throw new CheckFailure({
        problem: `While it compressed a 100 MB file, the server's memory grew by ${grewMiB} MB: it holds the file, or its compressed bytes, in memory.`,
        expected: 'memory that stays within a few megabytes of where it started',
        hint: 'Stream it: pipeline(createReadStream(file), zlib.createGzip(), chunk framing, socket). zlib.gzip(await readFile(file)) needs the whole file in memory first.',
      });
    }
    // Compressing 100 MB takes a couple of seconds alone, many more on a busy machine.
  });
});
