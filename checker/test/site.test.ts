/**
 * site/, the course as a static website: the committed files are what `npm run site` builds
 * today (rustlings' outdated-file check), and they hold together without a browser — every
 * link and #anchor lands, every page has a title and one h1, nothing is fetched from another
 * host, and the pages stay small. The browser half is site-browser.test.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, test } from 'vitest';
import { SITE_DIR } from '../core/paths.ts';
import { HTML_BANNER, JS_BANNER } from '../../site/build/banner.ts';
import { generateSite } from '../../site/build/generate-site.ts';
import { pageWeights, weightTable } from '../../site/build/page-weight.ts';
import type { CourseSearch } from '../../site/build/search-index.ts';
import { SiteError } from '../../site/build/site-error.ts';

const STALE = 'site/ is stale: run `npm run site`';

/** The committed top-level files of site/ (build/ and assets/ are hand-written). */
const committed = readdirSync(SITE_DIR).filter((name) => statSync(path.join(SITE_DIR, name)).isFile());
const pages = committed.filter((name) => name.endsWith('.html'));
const read = (name: string) => readFileSync(path.join(SITE_DIR, name), 'utf8').replace(/\r\n/g, '\n');

/** What a script file assigns to `window`, evaluated in a sandbox. */
function windowOf(file: string): Record<string, unknown> {
  const window: Record<string, unknown> = {};
  vm.runInNewContext(read(file), { window });
  return window;
}

let built: Map<string, string> | undefined;

/** The site as `npm run site` would build it now, built once for every test that needs it. */
function build(): Map<string, string> {
  try {
    return (built ??= generateSite());
  } catch (error) {
    if (error instanceof SiteError) throw new Error(`site/ cannot be built: ${error.message}`);
    throw error;
  }
}

describe('site/ is generated', () => {
  test('rebuilding from lessons/ gives exactly the committed files', () => {
    const generated = build();
    const differ = [...generated].filter(([name, text]) => !committed.includes(name) || read(name) !== text).map(([name]) => name);
    const orphans = committed.filter((name) => !generated.has(name)).map((name) => `${name} (nothing generates it any more)`);
    expect([...differ, ...orphans], STALE).toEqual([]);
  }, 30_000);

  test('the generator writes plain files at the top of site/, never into build/ or assets/', () => {
    for (const name of build().keys()) {
      expect(name, `the generator produced ${name}`).toMatch(/^[\w.-]+$/);
      expect(['build', 'assets'], `the generator produced ${name}`).not.toContain(name);
    }
  }, 30_000);

  test('every generated file starts with the banner that says how to regenerate it', () => {
    for (const name of committed) {
      const banner = name.endsWith('.js') ? JS_BANNER : HTML_BANNER;
      expect(read(name).startsWith(banner), `site/${name} does not start with the generated-file banner. ${STALE}`).toBe(true);
    }
  });

  test('a stage without its lesson.md stops the build with a message naming the file', () => {
    const stage = { id: 99, slug: 'no-such-lesson', title: 'Missing', summary: 'Missing.', minutes: 1, hints: ['None.'] };
    expect(() => generateSite([stage])).toThrow(SiteError);
    expect(() => generateSite([stage])).toThrow(/lessons[/\\]99-no-such-lesson[/\\]lesson\.md does not exist/);
  });
});

describe('search', () => {
  /** The committed search-index.js, run as a browser runs it: MiniSearch, the built index and the ranking. */
  let engine: CourseSearch | undefined;
  const search = (query: string) => (engine ??= windowOf('search-index.js').courseSearch as CourseSearch).search(query);
  const firstPage = (query: string) => search(query)[0]?.section.u.split('#')[0];

  test.each([
    ['etag', '05-not-modified.html', 'the lesson that teaches ETags, before one with "ETag" in a heading'],
    ['keepalive', '07-keep-alive.html', 'a hyphenated word written as one'],
    ['backpresure', '06-head-and-streaming.html', 'a misspelling, and the lesson that defines the word before the ones that use it'],
    ['Keep-Alive', '07-keep-alive.html', 'in any case, with its hyphen'],
    ['not modifi', '05-not-modified.html', 'the start of a word'],
  ])('"%s" finds %s first: %s', (query, page) => {
    expect(firstPage(query), `results for "${query}": ${search(query).map((r) => r.section.u).join(', ')}`).toBe(page);
  });

  test('every word of the query must match; nonsense finds nothing', () => {
    expect(search('qqqzzzxxyy')).toEqual([]);
    const both = search('gzip vary');
    expect(both.length).toBeGreaterThan(0);
    expect(both.length).toBeLessThanOrEqual(search('gzip').length);
  });

  test('a result names the index terms it matched, for the highlight', () => {
    const [top] = search('backpresure');
    expect(top?.terms).toContain('backpressure');
  });
});

describe('site/ holds together', () => {
  const ids = new Map(pages.map((page) => [page, [...read(page).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)]));

  /** Problems with one URL found in `from`; none when it is external or lands on an existing file and id. */
  function checkUrl(from: string, url: string): string[] {
    if (/^(https?:|mailto:|data:)/.test(url)) return [];
    if (/^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('/')) return [`${from}: "${url}" is not relative, so it breaks from file:// or under another folder`];
    const [file = '', anchor] = url.split('#');
    const target = file || from;
    if (file && (file.includes('..') || !existsSync(path.join(SITE_DIR, file)))) return [`${from}: "${url}" names a file that is not in site/`];
    if (anchor !== undefined && target.endsWith('.html') && !ids.get(target)?.includes(decodeURIComponent(anchor))) {
      return [`${from}: "${url}" names #${anchor}, which ${target} does not have`];
    }
    return [];
  }

  test('every link and #anchor in every page lands on a page and an id that exist', () => {
    const problems = pages.filter((page) => page !== '404.html').flatMap((page) =>
      [...read(page).matchAll(/\s(?:href|src)="([^"]*)"/g)].flatMap((m) => checkUrl(page, m[1]!.replace(/&amp;/g, '&'))),
    );
    expect(problems).toEqual([]);
  });

  test('404.html, which a server sends for any missing address however deep, names the site from its root', () => {
    const urls = [...read('404.html').matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    const own = urls.filter((url) => !/^(https?:|mailto:|data:|#)/.test(url));
    expect(own.length).toBeGreaterThan(5);
    const problems = own.flatMap((url) => {
      if (!url.startsWith('/') || url.startsWith('//')) return [`404.html: "${url}" is relative, so it breaks when the page is served for /a/b/missing.html`];
      return checkUrl('404.html', url.slice(1));
    });
    expect(problems).toEqual([]);
    expect(read('404.html')).toContain('href="/assets/site.css"');
  });

  test('every entry of toc.js and search-index.js links to a page and an id that exist', () => {
    const toc = windowOf('toc.js').courseToc as Array<{ pages: Array<{ href: string }> }>;
    const index = (windowOf('search-index.js').courseSearch as CourseSearch).sections;
    expect(toc.length).toBeGreaterThan(0);
    expect(index.length).toBeGreaterThan(0);
    const problems = [
      ...toc.flatMap((group) => group.pages.flatMap((page) => checkUrl('toc.js', page.href))),
      ...index.flatMap((entry) => checkUrl('search-index.js', entry.u)),
    ];
    expect(problems).toEqual([]);
  });

  test('no page repeats an id', () => {
    for (const [page, list] of ids) {
      expect(list.filter((id, i) => list.indexOf(id) !== i), `${page} repeats these ids`).toEqual([]);
    }
  });

  test('every page has a title, one h1, a language, landmarks and a skip link', () => {
    for (const page of pages) {
      const html = read(page);
      expect(html, `${page}: <title>`).toMatch(/<title>[^<]+<\/title>/);
      expect(html.match(/<h1[\s>]/g)?.length, `${page}: the number of <h1>`).toBe(1);
      expect(html, `${page}: <html lang>`).toMatch(/<html lang="en">/);
      for (const landmark of ['<header', '<nav', '<main id="content"', '<footer']) expect(html, `${page}: ${landmark}`).toContain(landmark);
      expect(html, `${page}: skip link`).toContain('<a class="skip-link" href="#content">');
    }
  });

  test('nothing is loaded from another host: no remote scripts, styles, images or fonts', () => {
    for (const page of pages) {
      for (const m of read(page).matchAll(/<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)="([^"]+)"/g)) {
        expect(m[1], `${page} loads ${m[1]}`).not.toMatch(/^(https?:)?\/\//);
      }
    }
    const css = readFileSync(path.join(SITE_DIR, 'assets', 'site.css'), 'utf8');
    for (const m of css.matchAll(/url\(\s*["']?([^"')]+)/g)) expect(m[1], `site.css loads ${m[1]}`).toMatch(/^data:/);
    expect(css, 'site.css imports another stylesheet').not.toMatch(/@import|@font-face/);
  });

  test('pages stay small: the theme and scripts every page loads weigh under 40 KB together', () => {
    const weights = pageWeights(pages, read);
    console.log(weightTable(weights));
    for (const weight of weights) expect(weight.assets, `${weight.page} loads ${weight.assets} bytes of CSS and JS`).toBeLessThan(40 * 1024);
  });

  test('text in both themes has at least the 4.5:1 contrast of WCAG AA; the two dark palettes agree', () => {
    const css = readFileSync(path.join(SITE_DIR, 'assets', 'site.css'), 'utf8');
    const palette = (selector: string) => {
      const start = css.indexOf(`${selector} {`);
      expect(start, `site.css has no "${selector} {" block`).not.toBe(-1);
      return Object.fromEntries([...css.slice(start, css.indexOf('}', start)).matchAll(/--([\w-]+):\s*(#[\da-f]{6})/g)].map((m) => [m[1]!, m[2]!]));
    };
    const luminance = (hex: string) => {
      const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string) => {
      const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (high + 0.05) / (low + 0.05);
    };
    const dark = palette(':root[data-theme="dark"]');
    expect(palette(':root:not([data-theme="light"])'), 'the dark palette for the OS and for a reader who chose dark must be the same').toEqual(dark);
    const text = ['fg', 'muted', 'link'].flatMap((fg) => ['bg', 'surface', 'code-bg', 'current'].map((bg) => [fg, bg]));
    const code = ['keyword', 'title', 'number', 'string', 'builtin', 'comment', 'tag'].map((token) => [`hl-${token}`, 'code-bg']);
    for (const [name, colours] of [['light', palette(':root')], ['dark', dark]] as const) {
      for (const [fg, bg] of [...text, ...code, ['fg', 'mark']] as Array<[string, string]>) {
        expect(contrast(colours[fg]!, colours[bg]!), `${name} theme: --${fg} on --${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});
