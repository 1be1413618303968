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
  failed: string[];
  consoleErrors: string[];
}

/** Record what the browser sees on the network while it loads pages in `page`. */
async function recorder(page: Page) {
  const origin = `http://127.0.0.1:${target().port}`;
  let seen: Visit = { responses: [], failed: [], consoleErrors: [] };
  // The devtools protocol reports a revalidated file as the 304 it really was.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceived', ({ response }) => {
    if (response.url.startsWith(origin)) seen.responses.push({ path: response.url.slice(origin.length), status: response.status });
  });
  page.on('requestfailed', (request) => seen.failed.push(`${request.url().replace(origin, '')} (${request.failure()?.errorText})`));
  page.on('console', (message) => message.type() === 'error' && seen.consoleErrors.push(message.text()));
  /** Load one page as a person would (or reload the current one), and say what happened. */
  return async (path: string | 'reload'): Promise<Visit> => {
    seen = { responses: [], failed: [], consoleErrors: [] };
    if (path === 'reload') await page.reload({ waitUntil: 'load', timeout: 15_000 });
    else await page.goto(`${origin}${path}`, { waitUntil: 'load', timeout: 15_000 });
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
  test('serves the course\'s home page, with every stylesheet, script and image it needs', async (context) => {
    const page = await newPage(context);
    if (!page) return;
    const seen = await (await recorder(page))(`/${COURSE_FOLDER}/index.html`);
    if (!seen.responses.some((r) => r.path === `/${COURSE_FOLDER}/index.html` && r.status === 200)) {
      throw new CheckFailure({ problem: 'The browser did not get the course\'s home page with a 200.', hint: 'The checker copies site/ into ROOT/course/: /course/index.html should be served like any other file.' });
    }
    expectClean(seen, 'the home page');
    await page.close();
  });

  test('serves every page the home page links to', async (context) => {
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
  }, 60_000);

  test('lets the browser revalidate on reload, and answers 304', async (context) => {
    const page = await newPage(context);
    if (!page) return;
    const visit = await recorder(page);
    await visit(`/${COURSE_FOLDER}/index.html`);
    const again = await visit('reload');
    expectClean(again, 'the home page again');
    const notModified = again.responses.filter((r) => r.status === 304);
    if (notModified.length === 0) {
      throw new CheckFailure({
        problem: `On reload, the browser asked again for ${again.responses.length} file(s) and got ${again.responses.map((r) => r.status).join(', ') || 'nothing'} — never a 304.`,
        hint: 'On reload the browser sends If-None-Match and If-Modified-Since with what it got before; your stage 5 code answers 304 when nothing changed. Check the ETag and Last-Modified headers your 200s carry.',
      });
    }
    await page.close();
  });
});

describe('the access log', () => {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** A CLF line for this request, capturing the byte count. */
  const CLF = (method: string, path: string, status: number) =>
    new RegExp(`^\\S+ \\S+ \\S+ \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] "${method} ${escape(path)} HTTP/1\\.[01]" ${status} (\\d+|-)$`);

  test('logs every response in the Common Log Format: client, time, request line, status, bytes', async () => {
    const path = `/${COURSE_FOLDER}/index.html`;
    const stamp = `/no-such-page-${Date.now()}`;
    const page = await get(path);
    expectedOk(page, 200);
    const missing = await get(stamp);
    expectedOk(missing, 404);
    expectedOk(await send(request('HEAD', path), { method: 'HEAD' }), 200);
    await sleep(300);
    const lines = readFileSync(target().outputFile, 'utf8').split('\n');
    const expectations = [
      ['GET', path, 200, String(page.body.length)],
      ['GET', stamp, 404, String(missing.body.length)],
      // CLF writes "-" when no body bytes were sent, as for HEAD.
      ['HEAD', path, 200, '-'],
    ] as const;
    for (const [method, p, status, bytes] of expectations) {
      const logged = lines.map((line) => CLF(method, p, status).exec(line)).filter((match) => match !== null);
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
});

function expectedOk(response: { status: number }, status: number): void {
  if (response.status !== status) throw new CheckFailure({ problem: `Expected ${status}, got ${response.status}.` });
}
