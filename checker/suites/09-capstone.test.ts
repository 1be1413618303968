/**
 * Stage 9 — Capstone: your server serves this course. A real browser (headless Chromium) loads
 * the course's own website from the learner's server: pages, stylesheets, scripts and images,
 * with nothing failing; then reloads and revalidates with 304s. And the server keeps an access
 * log in the Common Log Format, so the learner can watch every one of those requests.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Page } from 'playwright-core';
import { findChromium, INSTALL_BROWSER, launchChromium, type Chromium } from '../core/browser.ts';
import { COURSE_FOLDER } from '../core/fixture-root.ts';
import { courseRule, must, should } from '../http/basis.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { get, request, send, target } from '../http/server-under-test.ts';

const chromium = findChromium();
let browser: Chromium | undefined;

beforeAll(async () => {
  if (chromium) browser = await launchChromium(chromium);
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

interface Visit {
  /** Every response from the server under check: path and status, as the browser saw them. */
  responses: Array<{ path: string; status: number }>;
  /**
   * What went over the wire to the server under check: each request, whether it was conditional
   * (If-None-Match, If-Modified-Since), and the status the server really sent. The browser reports
   * a revalidated page as the 200 it shows; the devtools protocol's "extra info" events carry what
   * the server sent, the 304.
   */
  wire: Array<{ path: string; conditional: 'If-None-Match' | 'If-Modified-Since' | undefined; status: number | undefined }>;
  failed: string[];
  consoleErrors: string[];
}

/** Record what the browser sees on the network while it loads pages in `page`. */
async function recorder(page: Page) {
  const origin = `http://127.0.0.1:${target().port}`;
  let seen: Visit = { responses: [], wire: [], failed: [], consoleErrors: [] };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // One entry per request that went to the network, by its id: what was sent, what came back.
  let wire = new Map<string, { path?: string; conditional?: 'If-None-Match' | 'If-Modified-Since'; status?: number }>();
  const entry = (id: string) => wire.get(id) ?? wire.set(id, {}).get(id)!;
  cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
    if (request.url.startsWith(origin)) entry(requestId).path = request.url.slice(origin.length);
  });
  cdp.on('Network.requestWillBeSentExtraInfo', ({ requestId, headers }) => {
    const names = Object.keys(headers).map((name) => name.toLowerCase());
    entry(requestId).conditional = names.includes('if-none-match') ? 'If-None-Match' : names.includes('if-modified-since') ? 'If-Modified-Since' : undefined;
  });
  cdp.on('Network.responseReceivedExtraInfo', ({ requestId, statusCode }) => {
    entry(requestId).status = statusCode;
  });
  cdp.on('Network.responseReceived', ({ response }) => {
    if (response.url.startsWith(origin)) seen.responses.push({ path: response.url.slice(origin.length), status: response.status });
  });
  page.on('requestfailed', (request) => seen.failed.push(`${request.url().replace(origin, '')} (${request.failure()?.errorText})`));
  page.on('console', (message) => message.type() === 'error' && seen.consoleErrors.push(message.text()));
  /** Load one page as a person would (or reload the current one), and say what happened. */
  return async (path: string | 'reload'): Promise<Visit> => {
    seen = { responses: [], wire: [], failed: [], consoleErrors: [] };
    wire = new Map();
    if (path === 'reload') await page.reload({ waitUntil: 'load', timeout: 15_000 });
    else await page.goto(`${origin}${path}`, { waitUntil: 'load', timeout: 15_000 });
    // The extra-info events may arrive a moment after the page has loaded.
    await sleep(200);
    seen.wire = [...wire.values()].filter((request) => request.path !== undefined).map((request) => ({ path: request.path!, conditional: request.conditional, status: request.status }));
    return seen;
  };
}

function expectClean(seen: Visit, what: string): void {
  const bad = seen.responses.filter((r) => r.status >= 400);
  if (seen.failed.length || bad.length) {
    throw new CheckFailure({
      problem: `Loading ${what}, the browser had ${seen.failed.length + bad.length} failed request(s): ${[...seen.failed, ...bad.map((r) => `${r.path} → ${r.status}`)].slice(0, 5).join('; ')}.`,
      hint: 'Start your server with ROOT pointing at site/ (npm run serve) and open the page with the browser\'s developer tools on the Network tab: the red lines are the requests to look at.',
    });
  }
  if (seen.consoleErrors.length) {
    throw new CheckFailure({ problem: `Loading ${what}, the browser reported: ${seen.consoleErrors.slice(0, 3).join(' | ')}`, hint: 'A script or stylesheet served with the wrong Content-Type is refused by the browser: check the types of .js and .css files.' });
  }
}

async function newPage(context: { skip: (note: string) => void }): Promise<Page | undefined> {
  if (!browser) {
    context.skip(`no Chromium on this machine. ${INSTALL_BROWSER}`);
    return undefined;
  }
  return browser.context.newPage();
}

describe('the course in a real browser', () => {
  test('serves the course\'s home page, with every stylesheet, script and image it needs', courseRule('serves-the-course'), async (context) => {
    const page = await newPage(context);
    if (!page) return;
    const seen = await (await recorder(page))(`/${COURSE_FOLDER}/index.html`);
    if (!seen.responses.some((r) => r.path === `/${COURSE_FOLDER}/index.html` && r.status === 200)) {
      throw new CheckFailure({ problem: 'The browser did not get the course\'s home page with a 200.', hint: 'The checker copies site/ into ROOT/course/: /course/index.html should be served like any other file.' });
    }
    expectClean(seen, 'the home page');
    await page.close();
  });

  test('serves every page the home page links to', { ...courseRule('serves-the-course'), timeout: 60_000 }, async (context) => {
    const page = await newPage(context);
    if (!page) return;
    await page.goto(`http://127.0.0.1:${target().port}/${COURSE_FOLDER}/index.html`, { waitUntil: 'load' });
    const links = await page.$$eval('a[href]', (anchors) => [...new Set(anchors.map((a) => (a as HTMLAnchorElement).href))]);
    const pages = links.filter((href) => href.startsWith(`http://127.0.0.1:${target().port}/`) && /\.html(#.*)?$/.test(href)).map((href) => new URL(href).pathname);
    if (pages.length < 2) throw new CheckFailure({ problem: `The home page links to only ${pages.length} page(s) on the server.` });
    const visit = await recorder(page);
    for (const path of [...new Set(pages)]) expectClean(await visit(path), path);
    await page.close();
    // A browser rendering every page of the course, the printable whole among them, takes a few
    // seconds alone and many more on a busy machine; each page still has 15 s of its own.
  });

  test('lets the browser revalidate on reload, and answers 304', courseRule('serves-the-course'), async (context) => {
    const page = await newPage(context);
    if (!page) return;
    const visit = await recorder(page);
    await visit(`/${COURSE_FOLDER}/index.html`);
    const again = await visit('reload');
    expectClean(again, 'the home page again');
    // What the server really sent: the browser shows a revalidated page as a 200 from its cache.
    const asked = again.wire.filter((request) => request.status !== undefined);
    const conditional = asked.filter((request) => request.conditional !== undefined);
    if (asked.some((request) => request.status === 304)) return void (await page.close());
    const hint = 'On reload the browser sends If-None-Match and If-Modified-Since with the ETag and Last-Modified it got before, at least for the page itself; your stage 5 code answers 304 when nothing changed. (Cache-Control: no-cache, the course\'s rule from lesson 5, makes it ask for the stylesheets and scripts too; without it, it may reuse those without asking, which HTTP allows.)';
    if (conditional.length === 0) {
      throw new CheckFailure({
        problem: `On reload, the browser asked again for ${asked.length} file(s) without a condition (no If-None-Match, no If-Modified-Since): it had no validator to send back.`,
        hint: 'A browser can only revalidate what came with a validator: send ETag and Last-Modified with every 200 (RFC 9110 §8.8.2.1, §8.8.3.1, both SHOULDs), as in stage 5.',
        basis: should('RFC 9110 §8.8.3.1').meta.basis,
      });
    }
    const byTag = conditional.filter((request) => request.conditional === 'If-None-Match');
    throw new CheckFailure({
      problem: `On reload, the browser revalidated ${conditional.length} file(s) (${conditional.slice(0, 3).map((r) => `${r.path} with ${r.conditional}`).join(', ')}) and your server answered ${conditional.map((r) => r.status).join(', ')}: never a 304, so it sent every file again.`,
      hint,
      // A 304 to an If-None-Match holding the current tag is a MUST; to If-Modified-Since, a SHOULD.
      basis: (byTag.length > 0 ? must('RFC 9110 §13.1.2') : should('RFC 9110 §13.1.3')).meta.basis,
    });
  });
});

describe('the access log', () => {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** A CLF line for this request, capturing the byte count. */
  const CLF = (method: string, path: string, status: number) =>
    new RegExp(`^\\S+ \\S+ \\S+ \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] "${method} ${escape(path)} HTTP/1\\.[01]" ${status} (\\d+|-)$`);

  test('logs every response in the Common Log Format: client, time, request line, status, bytes', courseRule('access-log'), async () => {
    const path = `/${COURSE_FOLDER}/index.html`;
    const stamp = `/no-such-page-${Date.now()}`;
    const page = await get(path);
    expectedOk(page, 200);
    const missing = await get(stamp);
    expectedOk(missing, 404);
    expectedOk(await send(request('HEAD', path), { method: 'HEAD' }), 200);
    const expectations = [
      ['GET', path, 200, String(page.body.length)],
      ['GET', stamp, 404, String(missing.body.length)],
      // CLF writes "-" when no body bytes were sent, as for HEAD.
      ['HEAD', path, 200, '-'],
    ] as const;
    // A server may buffer its log and write a line a moment after the response (lighttpd does):
    // wait up to 3 s for a line with the right byte count before judging the ones there are.
    const lines = (method: string, p: string, status: number) =>
      readFileSync(target().outputFile, 'utf8').split('\n').map((line) => CLF(method, p, status).exec(line)).filter((match) => match !== null);
    const deadline = Date.now() + 3000;
    const right = ([method, p, status, bytes]: (typeof expectations)[number]) => lines(method, p, status).some((match) => match[1] === bytes || (bytes === '-' && match[1] === '0'));
    while (!expectations.every(right) && Date.now() < deadline) await sleep(100);
    for (const [method, p, status, bytes] of expectations) {
      const logged = lines(method, p, status);
      const example = `127.0.0.1 - - [24/Nov/2026:18:05:09 +0000] "${method} ${p} HTTP/1.1" ${status} ${bytes}`;
      if (logged.length === 0) {
        throw new CheckFailure({
          problem: `No line of your server's output logs the ${method} ${p} that got ${status}.`,
          expected: `a line like: ${example}`,
          hint: 'After each response, print one line: the client address, "- -", the date in [brackets], the request line in quotes, the status, and the body bytes sent ("-" for none).',
        });
      }
      if (!logged.some((match) => match[1] === bytes || (bytes === '-' && match[1] === '0'))) {
        throw new CheckFailure({
          problem: `Your log line for ${method} ${p} says ${logged[0]![1]} bytes, but the body your server sent had ${bytes === '-' ? 'none' : `${bytes} bytes`}.`,
          expected: example,
          hint: 'The last field is the number of body bytes actually sent: not counting the head, and "-" when there was no body (HEAD, 304).',
        });
      }
    }
  });

  // Whatever a client puts in its request line, the log line keeps its shape: a `"` inside the
  // quoted field is escaped (nginx writes \x22, Apache \"), and no control byte reaches the
  // terminal raw. Every server that writes this log escapes them; the course asks for it.
  test('escapes the request line in the log: a client cannot forge fields or send terminal escapes', courseRule('access-log'), async () => {
    const stamp = `${Date.now()}`;
    const hint = 'The request line is a stranger\'s bytes: before logging it, write every ", every \\, every control byte and every byte above 0x7E as \\xHH, as nginx does ("\\x22", "\\x1B"). Otherwise a " ends the quoted field early and the client writes the rest of the line, and an ESC byte recolours the terminal of whoever reads the log.';
    const forged = `GET /forged-${stamp}" 200 999 "injected HTTP/1.1`;
    const escapeCode = `GET /esc-${stamp}\x1b[2J HTTP/1.1`;
    await send(`${forged}\r\nHost: 127.0.0.1\r\n\r\n`);
    const second = await send(`${escapeCode}\r\nHost: 127.0.0.1\r\n\r\n`);
    if (second.status < 400) throw new CheckFailure({ problem: `Expected a request line holding an ESC byte to be refused, got ${second.status}.` });
    // One quoted field, in which a `"` appears only escaped, then the status and the bytes.
    const SHAPE = /^\S+ \S+ \S+ \[[^\]]+\] "(?:[^"\\]|\\.)*" \d{3} (?:\d+|-)$/;
    const deadline = Date.now() + 3000;
    let lines: string[] = [];
    for (;;) {
      lines = readFileSync(target().outputFile, 'latin1').split('\n');
      if ((lines.some((line) => line.includes(`forged-${stamp}`)) && lines.some((line) => line.includes(`esc-${stamp}`))) || Date.now() > deadline) break;
      await sleep(100);
    }
    for (const marker of [`forged-${stamp}`, `esc-${stamp}`]) {
      const line = lines.find((l) => l.includes(marker));
      // A server that does not log a refusal at all (lighttpd, for a control byte) has nothing to
      // escape there; whether every response is logged is the requirement above's question.
      if (line === undefined) continue;
      // eslint-disable-next-line no-control-regex
      if (/[\x00-\x08\x0b-\x1f\x7f]/.test(line)) throw new CheckFailure({ problem: 'Your log line holds a raw control byte from the request line: whoever reads the log in a terminal gets it as a command.', received: JSON.stringify(line), hint });
      if (!SHAPE.test(line)) throw new CheckFailure({ problem: 'Your log line no longer has the Common Log Format\'s shape: the client\'s " ended the quoted request line early, and the fields after it are the client\'s.', received: line, hint });
    }
  });
});

function expectedOk(response: { status: number }, status: number): void {
  if (response.status !== status) throw new CheckFailure({ problem: `Expected ${status}, got ${response.status}.` });
}
