/**
 * Stage 10 (bonus) — Range requests. A client asks for part of a file (RFC 9110 §14): one range
 * gets 206 Partial Content with Content-Range and exactly those bytes; a range outside the file
 * gets 416; a Range the server cannot read is ignored. Preconditions come first, If-Range takes
 * a strong validator only, HEAD sends no body, and a part of a huge file costs a small read.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { open, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'vitest';
import { courseRule, may, must, should } from '../http/basis.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { expectBody, expectHeader, expectStatus, expectStatusIn, fail } from '../http/expect.ts';
import type { HttpResponse } from '../http/raw-client.ts';
import { connect, get, request, send, target } from '../http/server-under-test.ts';

const GiB = 1024 * 1024 * 1024;
/** 1000 bytes, every byte value in turn: any text decoding on the way shows. */
const CONTENT = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
/** The modification time of the suite's own files: long ago, so their Last-Modified is a strong validator. */
const MTIME = new Date('2024-03-01T12:00:00Z');
const LAST_MODIFIED = 'Fri, 01 Mar 2024 12:00:00 GMT';

const HINT_206 = 'For one range, answer 206 Partial Content with Content-Range: bytes first-last/length (RFC 9110 §14.4), Content-Length the size of the part, and only those bytes: createReadStream(file, { start: first, end: last }) reads exactly them.';
const HINT_PARSE = 'Read the Range header as "bytes=" followed by first-last, first- (to the end) or -n (the last n bytes). last may run past the end of the file: cut it at length - 1.';
const HINT_IGNORE = 'A Range in a unit other than bytes must be ignored: send the whole file with 200 (RFC 9110 §14.2).';
const HINT_INVALID = 'A Range that is not "bytes=" plus a valid range ("5-2" ends before it starts) may be ignored, with the whole file and 200, or refused with 416 (RFC 9110 §14.2). Ignoring is the kinder answer; sending a part of it is never right.';
const HINT_IF_RANGE = 'If-Range (RFC 9110 §13.1.5) says "send the part only if the file is still this version". Only a strong validator can promise that: an ETag compared strongly (a weak W/ tag never matches), or a date exactly equal to Last-Modified. When it does not hold, ignore Range and send the whole file with 200.';

/** A file of our own in ROOT, so no other test sees it. */
async function ownFile(content: Buffer = CONTENT): Promise<string> {
  const name = `stage10-${randomUUID()}.bin`;
  const file = path.join(target().root, name);
  await writeFile(file, content);
  await utimes(file, MTIME, MTIME);
  return `/${name}`;
}

function expectPart(response: HttpResponse, whole: Buffer, first: number, last: number, hint = HINT_206): void {
  expectStatus(response, 206, { because: `the request asked for bytes ${first} to ${last}.`, hint });
  expectHeader(response, 'Content-Range', {
    test: (v) => v === `bytes ${first}-${last}/${whole.length}`,
    describe: `"bytes ${first}-${last}/${whole.length}": which bytes, and of how many`,
    hint: 'Content-Range is "bytes first-last/length" (RFC 9110 §14.4): both ends included, and the length of the whole file after the slash.',
    basis: must('RFC 9110 §15.3.7.1').meta.basis,
  });
  expectHeader(response, 'Content-Length', {
    test: (v) => v === String(last - first + 1),
    describe: `${last - first + 1}, the size of the part (not of the whole file)`,
    hint: 'On a 206, Content-Length counts the bytes of the part you send: last - first + 1.',
    basis: must('RFC 9110 §8.6').meta.basis,
  });
  expectBody(response, whole.subarray(first, last + 1), `bytes ${first}–${last} of the file`, 'Send the bytes of the range, untouched: start reading at first and stop after last.');
}

function expectWhole(response: HttpResponse, whole: Buffer, because: string, hint: string): void {
  expectStatus(response, 200, { because, hint });
  expectBody(response, whole, 'the whole file', hint);
}

describe('one range', () => {
  test('answers "bytes=0-99" with 206 Partial Content, Content-Range: bytes 0-99/1000, and the first 100 bytes', courseRule('byte-ranges'), async () => {
    const file = await ownFile();
    expectPart(await get(file, { Range: 'bytes=0-99' }), CONTENT, 0, 99);
    expectPart(await get(file, { Range: 'bytes=250-250' }), CONTENT, 250, 250);
  });

  test('answers an open range, "bytes=100-", with everything from byte 100 to the end', courseRule('byte-ranges'), async () => {
    expectPart(await get(await ownFile(), { Range: 'bytes=100-' }), CONTENT, 100, 999, HINT_PARSE);
  });

  test('answers a suffix range, "bytes=-500", with the last 500 bytes — and with all of a shorter file', courseRule('byte-ranges'), async () => {
    const file = await ownFile();
    expectPart(await get(file, { Range: 'bytes=-500' }), CONTENT, 500, 999, HINT_PARSE);
    expectPart(await get(file, { Range: 'bytes=-5000' }), CONTENT, 0, 999, HINT_PARSE);
  });

  test('cuts a range that runs past the end of the file at its last byte', courseRule('byte-ranges'), async () => {
    expectPart(await get(await ownFile(), { Range: 'bytes=900-5000' }), CONTENT, 900, 999, HINT_PARSE);
  });

  test('reads the unit\'s name case-insensitively: "Bytes=10-19" is a byte range too', courseRule('byte-ranges'), async () => {
    expectPart(await get(await ownFile(), { Range: 'Bytes=10-19' }), CONTENT, 10, 19, 'Range units compare case-insensitively (RFC 9110 §14.1): lower-case the unit before comparing it with "bytes".');
  });

  test('keeps Content-Type, ETag and Last-Modified on a 206, as on the 200', must('RFC 9110 §15.3.7'), async () => {
    const whole = await get('/style.css');
    const part = await get('/style.css', { Range: 'bytes=0-9' });
    expectStatus(part, 206, { hint: HINT_206, basis: courseRule('byte-ranges').meta.basis });
    // Whatever the 200 carries of these, the 206 carries too; what the 200 leaves out, it may.
    for (const name of ['Content-Type', 'ETag', 'Last-Modified', 'Cache-Control', 'Vary', 'Content-Location']) {
      const wanted = whole.header(name);
      if (wanted === undefined) continue;
      expectHeader(part, name, {
        test: (v) => v === wanted,
        describe: `"${wanted}", as on the 200`,
        hint: 'A 206 describes the same file as the 200 (RFC 9110 §15.3.7): send the same Content-Type and validators, plus Content-Range.',
      });
    }
  });

  test('sends Accept-Ranges: bytes with every file it serves', courseRule('accept-ranges'), async () => {
    expectHeader(await get('/style.css'), 'Accept-Ranges', {
      test: (v) => v.toLowerCase() === 'bytes',
      describe: '"bytes"',
      hint: 'Accept-Ranges: bytes (RFC 9110 §14.3) tells a client — a video player, a download manager — that it may ask for parts of this file.',
    });
  });
});

describe('ranges that cannot be served, or need not be', () => {
  test('answers 416 with Content-Range: bytes */1000 for a range that starts past the end', should('RFC 9110 §15.5.17'), async () => {
    const file = await ownFile();
    for (const range of ['bytes=1000-', 'bytes=5000-6000']) {
      const response = await get(file, { Range: range });
      expectStatus(response, 416, { because: `"${range}" starts after the last byte of a 1000-byte file.`, hint: 'A range whose first byte is at or past the end of the file cannot be satisfied: answer 416 Range Not Satisfiable (RFC 9110 §15.5.17).' });
      expectHeader(response, 'Content-Range', {
        test: (v) => v === 'bytes */1000',
        describe: '"bytes */1000": no range, and the length of the file',
        hint: 'A 416 says how long the file really is, as "Content-Range: bytes */length", so the client can ask again sensibly.',
        basis: should('RFC 9110 §14.4').meta.basis,
      });
    }
  });

  test('ignores a Range in a unit other than bytes, and sends the whole file', must('RFC 9110 §14.2'), async () => {
    expectWhole(await get(await ownFile(), { Range: 'pages=0-9' }), CONTENT, '"pages" is not a range unit this server knows, and a Range in an unknown unit is ignored (RFC 9110 §14.2).', HINT_IGNORE);
  });

  test('ignores a Range it cannot read (the whole file, 200) or refuses it (416), and never sends a part of it', may('RFC 9110 §14.2'), async () => {
    const file = await ownFile();
    for (const range of ['bytes=abc', 'bytes=5-2', 'bytes 0-9', 'bytes=0-9-', 'bytes=1e3-']) {
      const response = await get(file, { Range: range });
      const status = expectStatusIn(response, [200, 416], { because: `"Range: ${range}" is not a valid byte range: ignore it, or refuse it.`, hint: HINT_INVALID });
      if (status === 200) expectBody(response, CONTENT, 'the whole file', HINT_INVALID);
    }
  });

  test('answers several ranges with the whole file (200), or with a multipart/byteranges 206', may('RFC 9110 §14.2'), async () => {
    const response = await get(await ownFile(), { Range: 'bytes=0-9,500-509' });
    if (response.status === 206 && /^multipart\/byteranges/i.test(response.header('Content-Type') ?? '')) {
      const hint = 'A multipart/byteranges body holds one part per range, each with its own Content-Range (RFC 9110 §14.6, §15.3.7.2), and the head of the response has none.';
      if (response.header('Content-Range') !== undefined) fail(response, { problem: 'A multipart 206 must not carry a Content-Range of its own; each part has one.', hint, basis: must('RFC 9110 §15.3.7.2').meta.basis });
      const body = response.body.toString('latin1').toLowerCase();
      for (const range of ['bytes 0-9/1000', 'bytes 500-509/1000']) {
        if (!body.includes(`content-range: ${range}`)) fail(response, { problem: `The multipart body has no part with "Content-Range: ${range}".`, hint, basis: must('RFC 9110 §15.3.7.2').meta.basis });
      }
      return;
    }
    expectWhole(response, CONTENT, 'a request for two ranges may always be answered with the whole file (RFC 9110 §14.2).', 'Two ranges in one response need a multipart/byteranges body. Sending the whole file with 200 is simpler and allowed; sending only the first range as if it were the only one is not.');
  });

  test('sends no body for HEAD with a Range: the whole file\'s headers, or the part\'s', must('RFC 9110 §9.3.2'), async () => {
    const file = await ownFile();
    const response = await send(request('HEAD', file, { Range: 'bytes=0-99', Connection: 'close' }), { method: 'HEAD' });
    // RFC 9110 §14.2 defines Range for GET only, and §9.3.2 has HEAD answer as GET would: the
    // RFCs can be read both ways, and nginx and Apache answer 206, so both answers pass.
    if (response.status === 206) {
      expectHeader(response, 'Content-Range', { test: (v) => v === 'bytes 0-99/1000', describe: '"bytes 0-99/1000"' });
    } else {
      expectStatus(response, 200, { hint: 'Range is defined for GET only (RFC 9110 §14.2): for HEAD, ignore it and send the 200\'s headers.' });
      expectHeader(response, 'Content-Length', { test: (v) => v === '1000', describe: '1000, the length of the whole file' });
    }
    const body = await response.connection.leftover(500);
    if (body.length > 0) {
      throw response.connection.failure({ problem: `A HEAD response has no body, but ${body.length} bytes followed the head.`, caret: response.raw.length, hint: 'Decide the range first, then send the head and stop for HEAD, as for every other HEAD.' }, Buffer.concat([response.raw, body]));
    }
  });
});

describe('preconditions come before Range', () => {
  test('answers 304, not 206, when If-None-Match matches', must('RFC 9110 §13.2.2'), async () => {
    const file = await ownFile();
    const etag = expectHeader(await get(file), 'ETag', { test: () => true, describe: 'a validator' });
    expectStatus(await get(file, { Range: 'bytes=0-99', 'If-None-Match': etag }), 304, {
      because: 'the client\'s copy is current: there is nothing to send, not even a part.',
      hint: 'RFC 9110 §13.2.2 evaluates If-None-Match (and If-Match, and the dates) before it ever looks at Range: decide 304 and 412 first, exactly as in stage 5.',
    });
  });

  test('answers 412, not 206 or 416, when If-Match fails', must('RFC 9110 §13.2.2'), async () => {
    const file = await ownFile();
    for (const range of ['bytes=0-99', 'bytes=5000-']) {
      expectStatus(await get(file, { Range: range, 'If-Match': '"not-this-version"' }), 412, { because: 'a failed If-Match is decided before Range.', hint: 'Evaluate the preconditions of stage 5 first; only a would-be 200 can become a 206 or a 416.' });
    }
  });
});

describe('If-Range', () => {
  test('sends the part when If-Range holds the file\'s Last-Modified date', should('RFC 9110 §13.1.5'), async () => {
    expectPart(await get(await ownFile(), { Range: 'bytes=0-99', 'If-Range': LAST_MODIFIED }), CONTENT, 0, 99, HINT_IF_RANGE);
  });

  test('sends the whole file when If-Range holds any other date: the file may have changed', must('RFC 9110 §13.1.5'), async () => {
    const file = await ownFile();
    for (const date of ['Fri, 01 Mar 2024 11:59:59 GMT', 'Fri, 01 Mar 2024 12:00:01 GMT', 'Sat, 01 Jan 2050 00:00:00 GMT']) {
      expectWhole(await get(file, { Range: 'bytes=0-99', 'If-Range': date }), CONTENT, `If-Range: ${date} is not the file's Last-Modified (${LAST_MODIFIED}), so the part the client has may belong to another version.`, `${HINT_IF_RANGE} "Not modified since" is not enough here: the date must be exactly Last-Modified.`);
    }
    // And an If-Range without a Range asks for nothing: it is ignored (RFC 9110 §13.1.5).
    expectWhole(await get(file, { 'If-Range': LAST_MODIFIED }), CONTENT, 'an If-Range without a Range means nothing, and the request is a plain GET.', HINT_IF_RANGE);
  });

  test('never sends a part for a weak ETag in If-Range: that takes a strong one', must('RFC 9110 §13.1.5'), async () => {
    const file = await ownFile();
    const etag = expectHeader(await get(file), 'ETag', { test: () => true, describe: 'a validator' });
    const response = await get(file, { Range: 'bytes=0-99', 'If-Range': etag });
    if (etag.startsWith('W/')) {
      expectWhole(response, CONTENT, `the file's ETag ${etag} is weak, and If-Range compares strongly: a weak tag never matches, so the whole file goes out.`, HINT_IF_RANGE);
    } else {
      expectPart(response, CONTENT, 0, 99);
    }
    const strongLookalike = etag.replace(/^W\//, '');
    if (strongLookalike !== etag) {
      expectWhole(await get(file, { Range: 'bytes=0-99', 'If-Range': strongLookalike }), CONTENT, `${strongLookalike} is not the file's ETag ${etag} under strong comparison.`, HINT_IF_RANGE);
    }
    expectWhole(await get(file, { Range: 'bytes=0-99', 'If-Range': '"another-version"' }), CONTENT, '"another-version" is not the file\'s ETag.', HINT_IF_RANGE);
  });

  test('sends the whole file when If-Range is neither a valid date nor a tag', must('RFC 9110 §13.1.5'), async () => {
    expectWhole(await get(await ownFile(), { Range: 'bytes=0-99', 'If-Range': 'yesterday' }), CONTENT, '"yesterday" validates nothing, so the condition is false and Range is ignored.', HINT_IF_RANGE);
  });
});

describe('ranges of large files', () => {
  test('sends a 10 MB range from the middle of a 20 MB file, byte for byte', courseRule('byte-ranges'), async () => {
    const content = randomBytes(20 * 1024 * 1024);
    const file = await ownFile(content);
    const [first, last] = [5_000_000, 14_999_999];
    const connection = await connect();
    await connection.send(request('GET', file, { Range: `bytes=${first}-${last}` }));
    const response = await connection.readResponse({ timeoutMs: 30_000 });
    expectStatus(response, 206, { hint: HINT_206 });
    expectHeader(response, 'Content-Range', { test: (v) => v === `bytes ${first}-${last}/${content.length}`, describe: `"bytes ${first}-${last}/${content.length}"` });
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    if (digest(response.body) !== digest(content.subarray(first, last + 1))) {
      throw new CheckFailure({ problem: `The 10 MB part arrived with the wrong bytes (${response.body.length} of them).`, hint: 'createReadStream(file, { start, end }) reads from start to end, both included: end is last, not last + 1.' });
    }
  });

  test('sends the last bytes of a file over 4 GiB straight from the disk, without reading the rest', courseRule('byte-ranges'), async (context) => {
    const size = 4 * GiB + 4096;
    const marker = Buffer.from('the very end of a very big file\n');
    const name = `stage10-big-${randomUUID()}.bin`;
    const handle = await open(path.join(target().root, name), 'w');
    try {
      // A sparse file: the gigabytes of zeros before the marker take no space on most disks.
      await handle.truncate(size - marker.length);
      await handle.write(marker, 0, marker.length, size - marker.length);
    } catch (error) {
      return context.skip(`could not make a ${size}-byte file here (${(error as Error).message})`);
    } finally {
      await handle.close();
    }
    const first = size - marker.length;
    const hint = 'Do not read the file to find its end: stat gives its size, and createReadStream(file, { start, end }) starts reading at start. readFile cannot even hold a file over 2 GiB.';
    const connection = await connect();
    await connection.send(request('GET', `/${name}`, { Range: `bytes=-${marker.length}` }));
    // Read at most a little: a server that sends the whole file would cost the checker 4 GiB.
    const response = await connection.readResponse({ limit: { bytes: 64 * 1024, hint } });
    expectStatus(response, 206, { because: 'the request asked for the last bytes of the file.', hint });
    expectHeader(response, 'Content-Range', {
      test: (v) => v === `bytes ${first}-${size - 1}/${size}`,
      describe: `"bytes ${first}-${size - 1}/${size}"`,
      hint: 'These numbers are bigger than 2³²: keep them as ordinary numbers (no "| 0", no 32-bit arithmetic).',
      basis: must('RFC 9110 §14.1.2').meta.basis,
    });
    if (!response.body.equals(marker)) fail(response, { problem: 'The last bytes of the file are not what arrived.', hint: 'Read from start = size - n to end = size - 1.' });
  });
});
