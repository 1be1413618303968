/**
 * Stage 5 — Not modified. Every 200 carries Last-Modified, ETag and Cache-Control: no-cache; the
 * browser's revalidation (If-None-Match, If-Modified-Since) gets 304 when its copy is current,
 * following RFC 9110 §13: precedence, weak comparison, all three date formats, bad dates
 * ignored, whole seconds. If-Match and If-Unmodified-Since get 412 when they fail.
 */
import { randomUUID } from 'node:crypto';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'vitest';
import { FIXTURE_MTIME } from '../core/fixture-root.ts';
import { courseRule, must, should } from '../http/basis.ts';
import { expectHeader, expectStatus, fail } from '../http/expect.ts';
import type { HttpResponse } from '../http/raw-client.ts';
import { get, request, send, target } from '../http/server-under-test.ts';

const LAST_MODIFIED = 'Fri, 01 Mar 2024 12:00:00 GMT'; // FIXTURE_MTIME as an IMF-fixdate
const HINT_304 = 'Before reading the file, compare the request\'s validators with the file\'s: If-None-Match with the ETag (when present, it alone decides), otherwise If-Modified-Since with the modification time. When they say the browser\'s copy is current, answer 304 with no body.';
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const HINT_PRECEDENCE = 'When If-None-Match is present it decides alone, and If-Modified-Since is ignored (RFC 9110 §13.1.3): a server can change a file and set its old time back, and only the ETag notices.';
const HINT_DATES = 'Parse If-Modified-Since into a time before comparing; comparing the header as text puts "Mon, 04 Mar" before "Fri, 01 Mar". Accept all three formats of RFC 9110 §5.6.7 and ignore anything that does not parse.';

/** A file of our own in ROOT, so changing it disturbs no other test. */
async function ownFile(content: string, mtime: Date): Promise<string> {
  const name = `stage5-${randomUUID()}.txt`;
  const file = path.join(target().root, name);
  await writeFile(file, content);
  await utimes(file, mtime, mtime);
  return `/${name}`;
}

async function etagOf(path: string): Promise<string> {
  const response = await get(path);
  expectStatus(response, 200);
  return expectHeader(response, 'ETag', { test: () => true, describe: 'a validator' });
}

/**
 * A 304 is headers only: nothing may follow them (read until the server closes). It carries what
 * a 200 to the same request would of Date, ETag, Cache-Control, Expires, Vary and
 * Content-Location (RFC 9110 §15.4.5), and no Content-Type, which describes content it has not.
 */
async function expectHeadOnly304(response: HttpResponse, ok: HttpResponse, fullLength: number): Promise<void> {
  expectStatus(response, 304, { hint: HINT_304 });
  const length = response.header('Content-Length');
  if (length !== undefined && Number(length) !== fullLength) {
    fail(response, { problem: `A 304 may only carry Content-Length if it equals the full file's (${fullLength}); got "${length}".`, hint: 'Simplest: leave Content-Length out of a 304 (RFC 9110 §8.6). "Content-Length: 0" says the file is empty.', basis: must('RFC 9110 §8.6').meta.basis });
  }
  const extra = await response.connection.leftover(300);
  if (extra.length > 0) {
    throw response.connection.failure({ problem: `A 304 has no body, but ${extra.length} bytes followed its head.`, caret: response.raw.length, hint: 'Send only the head for a 304: no body, even an empty page.', basis: must('RFC 9110 §15.4.5').meta.basis });
  }
  for (const name of ['Date', 'ETag', 'Cache-Control', 'Expires', 'Vary', 'Content-Location']) {
    const wanted = ok.header(name);
    if (wanted === undefined) continue;
    // The date moves on, and so may an Expires computed from it; the others stay as on the 200.
    const same = name === 'Date' || name === 'Expires' ? () => true : (v: string) => v === wanted;
    expectHeader(response, name, {
      test: same,
      describe: name === 'Date' || name === 'Expires' ? `a ${name}, as the 200 has` : `"${wanted}", as on the 200`,
      hint: `A 304 stands in for the 200 the browser already has, so it carries the ${name} that 200 would (RFC 9110 §15.4.5).`,
      basis: must('RFC 9110 §15.4.5').meta.basis,
    });
  }
  const type = response.header('Content-Type');
  if (type !== undefined) {
    fail(response, {
      problem: `Expected no Content-Type on a 304 — it describes no content — but got "Content-Type: ${type}".`,
      hint: 'A 304 carries the validators (ETag, Last-Modified), Date and Cache-Control, but no Content-Type: there is no content.',
      basis: should('RFC 9110 §15.4.5').meta.basis,
    });
  }
}

describe('validators on every 200', () => {
  test('sends Last-Modified: the file\'s modification time, as an IMF-fixdate', should('RFC 9110 §8.8.2.1'), async () => {
    const response = await get('/style.css');
    const value = expectHeader(response, 'Last-Modified', { test: () => true, describe: `"${LAST_MODIFIED}", the file's modification time`, hint: 'stat(file).mtime is the modification time: send it as new Date(mtime).toUTCString().' });
    if (!IMF_FIXDATE.test(value)) {
      fail(response, { problem: `Last-Modified must be written as an IMF-fixdate, like "${LAST_MODIFIED}"; got "${value}".`, hint: 'new Date(mtime).toUTCString() writes exactly that format.', basis: must('RFC 9110 §5.6.7').meta.basis });
    }
    if (value !== LAST_MODIFIED) {
      fail(response, { problem: `Expected Last-Modified to be "${LAST_MODIFIED}", the file's modification time, got "${value}".`, hint: 'stat(file).mtime is the modification time: send it as new Date(mtime).toUTCString().' });
    }
    if (!(Date.parse(response.header('Date') ?? '') >= FIXTURE_MTIME.getTime())) fail(response, { problem: 'Last-Modified is later than Date.', hint: 'Last-Modified may never be later than Date (RFC 9110 §8.8.2.1).', basis: must('RFC 9110 §8.8.2.1').meta.basis });
  });

  test('never sends a Last-Modified later than Date, even for a file whose time is in the future', must('RFC 9110 §8.8.2.1'), async () => {
    // A clock set wrong, or an archive unpacked from elsewhere: the file says it was changed tomorrow.
    const path = await ownFile('from the future\n', new Date(Date.now() + 24 * 3600_000));
    const response = await get(path);
    expectStatus(response, 200);
    const lastModified = response.header('Last-Modified');
    if (lastModified === undefined) return;
    const date = expectHeader(response, 'Date', { test: (v) => !Number.isNaN(Date.parse(v)), describe: 'the current date' });
    if (Date.parse(lastModified) > Date.parse(date)) {
      fail(response, {
        problem: `The file's modification time is tomorrow, and the server sent it as it is: "Last-Modified: ${lastModified}" is later than "Date: ${date}".`,
        hint: 'A server must never claim a file changed after the response was made (RFC 9110 §8.8.2.1): when the file\'s time is later than now, send now instead, Math.min(mtimeMs, Date.now()).',
      });
    }
  });

  test('sends an ETag: a quoted tag, weak (W/"…") or strong ("…")', should('RFC 9110 §8.8.3.1'), async () => {
    const response = await get('/style.css');
    const hint = 'An ETag is a string in double quotes (RFC 9110 §8.8.3). Built from size and modification time it is weak: W/"size-mtime".';
    const value = expectHeader(response, 'ETag', { test: () => true, describe: 'a quoted entity-tag such as W/"3a-18e0f5b2c00"', hint });
    expectHeader(response, 'ETag', { test: (v) => /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/.test(v), describe: `a quoted entity-tag such as W/"3a-18e0f5b2c00" (not ${value})`, hint, basis: must('RFC 9110 §8.8.3').meta.basis });
  });

  test('sends Cache-Control: no-cache, so the browser asks before reusing its copy', courseRule('cache-control-no-cache'), async () => {
    expectHeader(await get('/style.css'), 'Cache-Control', {
      test: (v) => v.split(',').some((d) => d.trim().toLowerCase() === 'no-cache'),
      describe: '"no-cache"',
      hint: '"no-cache" does not forbid caching: it tells the browser to revalidate every time (RFC 9111 §5.2.2.4). Without it, a browser may reuse a stale copy without asking.',
    });
  });
});

describe('If-None-Match', () => {
  test('answers 304, headers only, when If-None-Match holds the current ETag', must('RFC 9110 §13.1.2'), async () => {
    const ok = await get('/style.css');
    expectStatus(ok, 200);
    const etag = expectHeader(ok, 'ETag', { test: () => true, describe: 'a validator' });
    const response = await get('/style.css', { 'If-None-Match': etag, Connection: 'close' });
    await expectHeadOnly304(response, ok, 51);
  });

  test('finds the ETag in a list, and treats "*" as a match', must('RFC 9110 §13.1.2'), async () => {
    const etag = await etagOf('/style.css');
    expectStatus(await get('/style.css', { 'If-None-Match': `"nope", ${etag}, W/"other"` }), 304, { because: 'the list contains the current ETag.', hint: 'If-None-Match is a comma-separated list (RFC 9110 §13.1.2): any member matching is enough.' });
    expectStatus(await get('/style.css', { 'If-None-Match': '*' }), 304, { because: '"*" matches any current file.' });
  });

  test('compares weakly: W/"x" and "x" match', must('RFC 9110 §13.1.2'), async () => {
    const etag = await etagOf('/style.css');
    const flipped = etag.startsWith('W/') ? etag.slice(2) : `W/${etag}`;
    expectStatus(await get('/style.css', { 'If-None-Match': flipped }), 304, {
      because: `If-None-Match uses weak comparison, so ${flipped} matches ${etag}.`,
      hint: 'Weak comparison (RFC 9110 §8.8.3.2) ignores the "W/" prefix on both sides.',
    });
  });

  test('answers 200 when If-None-Match does not match, whatever If-Modified-Since says', must('RFC 9110 §13.1.3'), async () => {
    const response = await get('/style.css', { 'If-None-Match': '"something-else"', 'If-Modified-Since': 'Sat, 01 Jan 2050 00:00:00 GMT' });
    expectStatus(response, 200, { hint: HINT_PRECEDENCE });
  });

  test('answers 304 to HEAD as to GET', must('RFC 9110 §13.1.2'), async () => {
    const etag = await etagOf('/style.css');
    expectStatus(await send(request('HEAD', '/style.css', { 'If-None-Match': etag }), { method: 'HEAD' }), 304);
  });
});

describe('If-Modified-Since', () => {
  test('answers 304 when If-Modified-Since is the Last-Modified time, or later', should('RFC 9110 §13.1.3'), async () => {
    const ok = await get('/style.css');
    await expectHeadOnly304(await get('/style.css', { 'If-Modified-Since': LAST_MODIFIED, Connection: 'close' }), ok, 51);
    expectStatus(await get('/style.css', { 'If-Modified-Since': 'Mon, 04 Mar 2024 09:00:00 GMT' }), 304, { because: 'the file has not changed since 4 March 2024.', hint: HINT_DATES });
  });

  test('answers 200 when the file changed after If-Modified-Since', must('RFC 9110 §13.2.2'), async () => {
    expectStatus(await get('/style.css', { 'If-Modified-Since': 'Thu, 29 Feb 2024 23:59:59 GMT' }), 200, { because: 'the file changed on 1 March 2024, after that date.', hint: HINT_DATES });
  });

  test('accepts the two obsolete date formats too', must('RFC 9110 §5.6.7'), async () => {
    for (const date of ['Friday, 01-Mar-24 12:00:00 GMT', 'Fri Mar  1 12:00:00 2024']) {
      expectStatus(await get('/style.css', { 'If-Modified-Since': date }), 304, { because: `"${date}" is the file's own time, in an older format every server must accept.`, hint: HINT_DATES });
    }
  });

  test('ignores a date that is not valid, or a list of dates', must('RFC 9110 §13.1.3'), async () => {
    // Each fails the grammar of RFC 9110 §5.6.7 (31 February fits it, and is left out: whether it
    // is "not a valid HTTP-date" the RFC does not say), and Date.parse reads each of the last three.
    for (const date of ['yesterday', 'Fri, 01 Mar 2024 12:00:00 UTC', '2024-03-01T12:00:00Z', `${LAST_MODIFIED}, ${LAST_MODIFIED}`]) {
      expectStatus(await get('/style.css', { 'If-Modified-Since': date }), 200, {
        because: `"${date}" is not a valid HTTP-date, so the condition is ignored (RFC 9110 §13.1.3).`,
        hint: 'Date.parse accepts almost anything. Parse the three HTTP-date formats strictly and ignore a header that fits none of them.',
      });
    }
  });

  test('compares whole seconds when the file\'s time has milliseconds', should('RFC 9110 §13.1.3'), async () => {
    const path = await ownFile('milliseconds\n', new Date('2024-05-05T10:00:00.750Z'));
    const lastModified = expectHeader(await get(path), 'Last-Modified', { test: () => true, describe: 'the modification time' });
    expectStatus(await get(path, { 'If-Modified-Since': lastModified }), 304, {
      because: `the browser sent back the Last-Modified the server gave it (${lastModified}); the file's time is 10:00:00.750.`,
      hint: 'Dates in headers have whole seconds. Compare Math.floor(mtimeMs / 1000) with the header\'s seconds, or 0.750 s looks like a change.',
    });
  });
});

describe('a changed file', () => {
  test('gets 200 and new validators, even with the same size a second later', should('RFC 9110 §8.8.1'), async () => {
    const path = await ownFile('version 1\n', new Date('2024-06-01T08:00:00Z'));
    const first = await get(path);
    const etag = expectHeader(first, 'ETag', { test: () => true, describe: 'a validator' });
    const lastModified = expectHeader(first, 'Last-Modified', { test: () => true, describe: 'the modification time' });
    const file = `${target().root}${path}`;
    await writeFile(file, 'version 2\n');
    await utimes(file, new Date('2024-06-01T08:00:01Z'), new Date('2024-06-01T08:00:01Z'));

    const revalidated = await get(path, { 'If-None-Match': etag });
    expectStatus(revalidated, 200, { because: 'the file changed since that ETag was sent.', hint: 'Build the ETag from something that changes when the file does — size and modification time — and compute it for every request, not once at start-up.' });
    expectHeader(revalidated, 'ETag', { test: (v) => v !== etag, describe: `a new tag, not ${etag}` });
    if (revalidated.body.toString() !== 'version 2\n') fail(revalidated, { problem: 'Expected the new content, "version 2".' });
    expectStatus(await get(path, { 'If-Modified-Since': lastModified }), 200, { because: 'the file changed one second after that Last-Modified.', basis: must('RFC 9110 §13.2.2').meta.basis });
  });
});

describe('what preconditions do not change', () => {
  test('leaves a 404 a 404, and a redirect a redirect', must('RFC 9110 §13.2.1'), async () => {
    const hint = 'Preconditions only ever turn a would-be 200 into a 304 or a 412: decide 404 and 301 first.';
    const conditions = { 'If-None-Match': '*', 'If-Modified-Since': 'Sat, 01 Jan 2050 00:00:00 GMT' };
    expectStatus(await get('/no-such-file.txt', conditions), 404, { hint });
    // Whichever redirect the server chose for a folder without its slash, the same one again.
    const redirect = (await get('/docs')).status;
    if (redirect >= 200 && redirect < 300) return; // served as it is: then a precondition applies
    expectStatus(await get('/docs', { 'If-None-Match': '*' }), redirect, { because: `GET /docs without a condition got ${redirect}, and a precondition cannot change that.`, hint });
  });

  test('decides 405 before any precondition', must('RFC 9110 §13.2.1'), async () => {
    const refused = (await send(request('POST', '/style.css'))).status;
    if ((refused >= 200 && refused < 300) || refused === 412) return; // a POST it accepts: preconditions apply
    expectStatus(await send(request('POST', '/style.css', { 'If-None-Match': '*' })), refused, { because: `POST /style.css without a condition got ${refused}, and a precondition cannot change that.`, hint: 'Check the method before anything else about the file.' });
  });
});

describe('If-Match and If-Unmodified-Since', () => {
  test('answers 412 when If-Match holds no current strong ETag, and 200 for "*"', must('RFC 9110 §13.1.1'), async () => {
    expectStatus(await get('/style.css', { 'If-Match': '"not-it"' }), 412, { hint: 'If-Match asks "only if it is still this version" (RFC 9110 §13.1.1): when it does not match, answer 412 Precondition Failed.' });
    expectStatus(await get('/style.css', { 'If-Match': '*' }), 200, { because: '"*" matches any file that exists.' });
    const etag = await etagOf('/style.css');
    const expected = etag.startsWith('W/') ? 412 : 200;
    expectStatus(await get('/style.css', { 'If-Match': etag }), expected, {
      because: expected === 412 ? `If-Match uses strong comparison, and the weak ${etag} never matches strongly.` : 'If-Match holds the current strong ETag.',
      hint: 'If-Match compares strongly (RFC 9110 §8.8.3.2): both tags strong and identical. A weak tag never matches.',
    });
  });

  test('answers 412 when the file changed after If-Unmodified-Since', must('RFC 9110 §13.1.4'), async () => {
    expectStatus(await get('/style.css', { 'If-Unmodified-Since': 'Thu, 29 Feb 2024 00:00:00 GMT' }), 412, { hint: 'If-Unmodified-Since is the date version of If-Match: the file changed after it, so 412.' });
    expectStatus(await get('/style.css', { 'If-Unmodified-Since': LAST_MODIFIED }), 200, { because: 'the file has not changed since that date.' });
  });

  test('ignores If-Unmodified-Since when If-Match is present, or when its date is not valid', must('RFC 9110 §13.1.4'), async () => {
    const hint = 'If-Unmodified-Since is only asked when there is no If-Match (RFC 9110 §13.2.2), and a date that does not parse is ignored, as if the header were not there.';
    expectStatus(await get('/style.css', { 'If-Match': '*', 'If-Unmodified-Since': 'Thu, 29 Feb 2024 00:00:00 GMT' }), 200, { because: '"If-Match: *" holds for a file that exists, and then If-Unmodified-Since is not looked at.', hint });
    expectStatus(await get('/style.css', { 'If-Unmodified-Since': 'the day before yesterday' }), 200, { because: '"the day before yesterday" is not an HTTP-date, so the condition is ignored.', hint });
  });
});
