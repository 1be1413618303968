/**
 * site/ in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core; never a downloaded one) reads the committed site from file:// and through a
 * small static server on 127.0.0.1, as a learner would: every page, search, the theme switch,
 * next and previous by link and by key, copy buttons, the phone menu. No page may log an error
 * or ask any other host for anything, and axe-core (the accessibility engine, injected from
 * node_modules) finds no violation on any page, in either theme, with search results or the
 * phone menu open. Without Chromium the tests are skipped, saying how to install it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SITE_DIR } from '../core/paths.ts';
import { stages } from '../core/stages.ts';
import { pageFile } from '../../site/build/registry-blocks.ts';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = `Chromium is not installed at ${CHROMIUM}; install Debian's package (sudo apt-get install chromium) to run them`;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Skipping the site's browser tests: ${INSTALL}.`);

const TEST_TIMEOUT = 60_000;
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** What axe-core finds wrong on the page as it is now, one line per element. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    // preload: false, or axe reads the stylesheets with XMLHttpRequest, which file:// refuses.
    const result = await axe.run(document, { resultTypes: ['violations'], preload: false });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations.flatMap((v) => v.nodes.map((node) => `${v.impact ?? ''} ${v.id} (${v.help}): ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`.replace(/\s+/g, ' ')));
}
const STEP_TIMEOUT = 10_000;

/**
 * Every page the sidebar lists, from the committed toc.js, plus the 404 page where there is a
 * server: only a server ever shows it, and it names the site from the server's root.
 */
function sitePages(withServer: boolean): string[] {
  const window: { courseToc?: Array<{ pages: Array<{ href: string }> }> } = {};
  vm.runInNewContext(readFileSync(path.join(SITE_DIR, 'toc.js'), 'utf8'), { window });
  return [...window.courseToc!.flatMap((group) => group.pages.map((page) => page.href)), ...(withServer ? ['404.html'] : [])];
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** Any static server will do; this one answers what is missing with 404.html, as most can. */
function startStaticServer(): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.join(SITE_DIR, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(SITE_DIR + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': CONTENT_TYPES['.html'] }).end(readFileSync(path.join(SITE_DIR, '404.html')));
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** "rgb(21, 24, 29)" → whether that background reads as dark. */
function isDark(color: string): boolean {
  const [r = 0, g = 0, b = 0] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}

describe.skipIf(!hasChromium)(`the site in headless Chromium${hasChromium ? '' : ` (skipped: ${INSTALL})`}`, () => {
  let browser: Browser;
  let server: http.Server;

  beforeAll(async () => {
    [browser, server] = await Promise.all([
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        timeout: 30_000,
      }),
      startStaticServer(),
    ]);
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  const origins = [
    { name: 'from file://', base: () => pathToFileURL(SITE_DIR + path.sep).href },
    { name: 'through a static server', base: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/` },
  ];

  describe.each(origins)('$name', ({ name, base: baseUrl }) => {
    const withServer = name === origins[1]!.name;
    // What axe-core judges does not depend on where the files come from: once is enough, through
    // the server, which can show the 404 page too.
    const onceOnly = withServer;

    /**
     * A fresh browser context (its own storage) with one page, watched: every console error,
     * uncaught exception and request outside the site is recorded in `problems`.
     */
    async function withPage(options: BrowserContextOptions, use: (page: Page, url: (file: string) => string, problems: string[]) => Promise<void>) {
      const base = baseUrl();
      const context = await browser.newContext({ colorScheme: 'light', ...options });
      const problems: string[] = [];
      context.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(base) && !url.startsWith('data:')) problems.push(`requested ${url}`);
      });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(STEP_TIMEOUT);
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
        });
        page.on('pageerror', (error) => problems.push(`uncaught error on ${page.url()}: ${error.message}`));
        await use(page, (file) => new URL(file, base).href, problems);
      } finally {
        await context.close();
      }
    }

    test('every page opens, marks itself in the sidebar, and logs no error and asks no other host', async () => {
      await withPage({}, async (page, url, problems) => {
        for (const file of sitePages(withServer)) {
          await page.goto(url(file));
          expect(await page.locator('h1').count(), `${file}: one h1`).toBe(1);
          if (file !== '404.html') {
            expect(await page.locator('#sidebar a[aria-current="page"]').getAttribute('href'), `${file}: current page in the sidebar`).toBe(file);
          }
        }
        expect(problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
      });
    }, TEST_TIMEOUT);

    test('search finds a lesson by its title, offline, and the keyboard opens the result', async () => {
      const stage = stages.at(-1)!;
      await withPage({}, async (page, url, problems) => {
        await page.goto(url('index.html'));
        await page.keyboard.press('/');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
        await page.keyboard.type(stage.title);
        const results = page.locator('#search-results a');
        await results.first().waitFor();
        const hrefs = await results.evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
        expect(hrefs.some((href) => href.startsWith(pageFile(stage))), `a result on ${pageFile(stage)} among ${hrefs.join(', ')}`).toBe(true);
        await page.keyboard.press('ArrowDown');
        expect(await page.evaluate(() => document.activeElement?.closest('#search-results') !== null)).toBe(true);
        await page.keyboard.press('Enter');
        await page.waitForURL(url(hrefs[0]!));

        await page.locator('#search-input').fill('qqqzzzxxyy');
        await page.locator('#search-results', { hasText: 'Nothing found' }).waitFor();
        expect(problems).toEqual([]);
      });
    }, TEST_TIMEOUT);

    test.runIf(onceOnly)('axe-core finds no accessibility violation on any page, light or dark', async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await withPage({ colorScheme }, async (page, url, problems) => {
          for (const file of sitePages(withServer)) {
            await page.goto(url(file));
            expect(await axeViolations(page), `${file} in the ${colorScheme} theme`).toEqual([]);
          }
          expect(problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
        });
      }
    }, 4 * TEST_TIMEOUT);

    test.runIf(onceOnly)('axe-core finds no violation with search results open, nor with the phone menu open', async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await withPage({ colorScheme }, async (page, url, problems) => {
          await page.goto(url(pageFile(stages[0]!)));
          // Marked matches in the titles and the text of the results, which must stay readable.
          await page.locator('#search-input').fill('etag');
          await page.locator('#search-results a').first().waitFor();
          expect(await axeViolations(page), `with search results, ${colorScheme}`).toEqual([]);
          expect(problems).toEqual([]);
        });
      }
      await withPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' }, async (page, url, problems) => {
        await page.goto(url(pageFile(stages[0]!)));
        await page.locator('.menu-button').click();
        await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'visible');
        expect(await axeViolations(page), 'with the menu open').toEqual([]);
        expect(problems).toEqual([]);
      });
    }, TEST_TIMEOUT);

    test('search forgives a misspelling and ranks the lesson that teaches the word first', async () => {
      await withPage({}, async (page, url, problems) => {
        await page.goto(url('index.html'));
        await page.locator('#search-input').fill('backpresure');
        const first = page.locator('#search-results a').first();
        await first.waitFor();
        expect(await first.getAttribute('href')).toMatch(/^06-head-and-streaming\.html#/);
        expect(await first.locator('mark').first().textContent()).toMatch(/^backpressure$/i);
        expect(problems).toEqual([]);
      });
    }, TEST_TIMEOUT);

    test('the theme follows the system, switches, and is remembered', async () => {
      await withPage({ colorScheme: 'dark' }, async (page, url, problems) => {
        const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        await page.goto(url('index.html'));
        expect(isDark(await background()), 'dark, like the system').toBe(true);
        await page.locator('.theme-button').click();
        expect(isDark(await background()), 'light after switching').toBe(false);
        expect(await page.locator('.theme-button').getAttribute('aria-pressed')).toBe('false');
        await page.goto(url(pageFile(stages[0]!)));
        expect(isDark(await background()), 'still light on the next page').toBe(false);
        await page.reload();
        expect(isDark(await background()), 'still light after a reload').toBe(false);
        await page.locator('.theme-button').click();
        expect(isDark(await background()), 'dark after switching back').toBe(true);
        // Switching back to the system's theme means following the system again.
        await page.emulateMedia({ colorScheme: 'light' });
        expect(isDark(await background()), 'light when the system turns light').toBe(false);
        expect(problems).toEqual([]);
      });
    }, TEST_TIMEOUT);

    test('next and previous walk the lessons in registry order, by link and by arrow key', async () => {
      const order = ['index.html', ...stages.map(pageFile)];
      await withPage({}, async (page, url, problems) => {
        await page.goto(url(order[0]!));
        for (const [i, file] of order.slice(1).entries()) {
          if (i % 2 === 0) await page.keyboard.press('ArrowRight');
          else await page.locator('.pager a[rel="next"]').click();
          await page.waitForURL(url(file));
        }
        expect(await page.locator('.pager a[rel="next"]').count(), 'the last lesson has no next page').toBe(0);
        for (const [i, file] of order.slice(0, -1).reverse().entries()) {
          if (i % 2 === 0) await page.locator('.pager a[rel="prev"]').click();
          else await page.keyboard.press('ArrowLeft');
          await page.waitForURL(url(file));
        }
        expect(problems).toEqual([]);
      });
    }, TEST_TIMEOUT);

    test('every code block has a copy button, and it copies the code', async () => {
      await withPage({ permissions: ['clipboard-read', 'clipboard-write'] }, async (page, url, problems) => {
        await page.goto(url(pageFile(stages[0]!)));
        const blocks = page.locator('.code-block');
        expect(await blocks.count()).toBeGreaterThan(0);
        expect(await page.locator('.code-block > .copy-button').count()).toBe(await blocks.count());
        const block = blocks.first();
        await block.hover();
        await block.locator('.copy-button').click();
        await block.locator('.copy-button', { hasText: 'Copied' }).waitFor();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await block.locator('code').textContent());
        expect(problems).toEqual([]);
      });
    }, TEST_TIMEOUT);

    test('on a phone, the menu opens the contents and Escape closes it; the skip link reaches the content', async () => {
      await withPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page, url, problems) => {
        await page.goto(url(pageFile(stages[0]!)));
        const sidebar = page.locator('#sidebar');
        expect(await sidebar.isVisible(), 'contents closed at first').toBe(false);
        await page.locator('.menu-button').click();
        await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'visible');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('page');
        await page.keyboard.press('Escape');
        await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'hidden');
        expect(await page.evaluate(() => document.activeElement?.classList.contains('menu-button'))).toBe(true);

        await page.reload();
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
        await page.keyboard.press('Enter');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('content');
        expect(problems).toEqual([]);
      });
    }, TEST_TIMEOUT);
  });

  test('a static server can answer a missing page with 404.html, and its links work', async () => {
    const base = origins[1]!.base();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT);
      const response = await page.goto(`${base}no-such-page.html`);
      expect(response?.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Page not found');
      await page.locator('main a[href="/index.html"]').click();
      await page.waitForURL(`${base}index.html`);
    } finally {
      await context.close();
    }
  }, TEST_TIMEOUT);

  test('404.html served for a missing address in a folder that does not exist is styled, and its sidebar and search lead to real pages', async () => {
    const base = origins[1]!.base();
    const context = await browser.newContext();
    const failed: string[] = [];
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT);
      page.on('response', (response) => void (response.status() >= 400 && !response.url().endsWith('/missing.html') && failed.push(`${response.status()} ${response.url()}`)));
      const response = await page.goto(`${base}lessons/old/missing.html`);
      expect(response?.status()).toBe(404);
      // The stylesheet applied: the top bar sticks to the top, as on every page.
      expect(await page.locator('.topbar').evaluate((bar) => getComputedStyle(bar).position)).toBe('sticky');
      const lesson = pageFile(stages[0]!);
      expect(await page.locator(`#sidebar a[href$="/${lesson}"]`).getAttribute('href')).toBe(`${base}${lesson}`);
      await page.locator('#search-input').fill('keepalive');
      const first = page.locator('#search-results a').first();
      await first.waitFor();
      expect(await first.getAttribute('href')).toMatch(new RegExp(`^${base.replace(/[.]/g, '\\.')}07-keep-alive\\.html#`));
      await first.click();
      await page.waitForURL(/07-keep-alive\.html/);
      expect(await page.locator('h1').count()).toBe(1);
      expect(failed).toEqual([]);
    } finally {
      await context.close();
    }
  }, TEST_TIMEOUT);
});
