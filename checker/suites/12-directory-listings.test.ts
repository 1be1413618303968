/**
 * Stage 12 (bonus) — Directory listings. A folder without index.html gets an HTML page listing
 * it: every name shown as text (HTML-escaped, so a file name can never become markup), every
 * link percent-encoded (so it leads back to the very file it names), files sorted by name,
 * dotfiles left out, and nothing listed from outside ROOT.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, test } from 'vitest';
import { courseRule, must, should } from '../http/basis.ts';
import { expectHeader, expectStatus, expectStatusIn, fail } from '../http/expect.ts';
import type { HttpResponse } from '../http/raw-client.ts';
import { get, request, send, target } from '../http/server-under-test.ts';

const HINT_LIST = 'When a folder has no index.html, answer 200 with an HTML page that lists it: readdir(folder, { withFileTypes: true }), one <a href="…">name</a> per entry, a "/" after each folder\'s name.';
const HINT_HREF = 'Put each name in its link percent-encoded: href="./" + encodeURIComponent(name). Unencoded, a "#" starts a fragment, a "?" a query, and a "%" an escape, so the link leads somewhere else.';
const HINT_ESCAPE = 'A file name is text chosen by whoever made the file. Put it into the page HTML-escaped — & < > " \' become &amp; &lt; &gt; &quot; &#39; — so that it is shown, never parsed as markup.';

/** Names every file system allows, each testing something: spaces, "#", "%", "&", "'", non-ASCII, numbers. */
const SAFE_NAMES = ['a b#2.txt', '100%.txt', "it's & more.txt", 'café.txt', 'file2.txt', 'file10.txt', 'Notes.txt'];
/** A name that is markup. Windows does not allow < > in file names: there it is left out. */
const MARKUP_NAME = '<img src=x onerror=alert(1)>.txt';
const SUBFOLDER = 'sub folder';

let folder: string;
let names: string[];

beforeAll(async () => {
  folder = `listing-${randomUUID()}`;
  const dir = path.join(target().root, folder);
  await mkdir(path.join(dir, SUBFOLDER), { recursive: true });
  await writeFile(path.join(dir, SUBFOLDER, 'inside.txt'), 'In the subfolder.\n');
  names = [...SAFE_NAMES];
  try {
    await writeFile(path.join(dir, MARKUP_NAME), 'A file whose name is HTML.\n');
    names.push(MARKUP_NAME);
  } catch {
    // Not on this file system.
  }
  for (const name of names) await writeFile(path.join(dir, name), `The file called ${name}.\n`);
  await writeFile(path.join(dir, '.secret-dotfile'), 'Never listed.\n');
});

/** The links of a listing page: [href, text] pairs, the text with its character references undone. */
function links(response: HttpResponse): Array<{ href: string; text: string }> {
  const html = response.body.toString('utf8');
  return [...html.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a>/gi)].map((match) => ({
    href: unescapeHtml(match[1] ?? match[2] ?? match[3] ?? ''),
    text: unescapeHtml(match[4]!.replace(/<[^>]*>/g, '')).trim(),
  }));
}

function unescapeHtml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return named[ref.toLowerCase()] ?? whole;
  });
}

/** The listing of our folder, checked to be a 200 HTML page. */
async function listing(): Promise<HttpResponse> {
  const response = await get(`/${folder}/`);
  // Whatever the requirement, a folder that is not listed at all breaks the course's rule.
  const basis = courseRule('directory-listing').meta.basis;
  expectStatus(response, 200, { because: 'a folder without index.html is listed in this stage.', hint: HINT_LIST, basis });
  expectHeader(response, 'Content-Type', { test: (value) => /^text\/html\b/i.test(value), describe: 'text/html', hint: 'A listing is a page: "Content-Type: text/html; charset=utf-8".', basis });
  return response;
}

/**
 * The link whose text is this name (a folder's with or without its "/"). Compared in one Unicode
 * form: some file systems (macOS's older HFS+) give back "é" as "e" plus an accent.
 */
function linkFor(response: HttpResponse, name: string): { href: string; text: string } | undefined {
  const wanted = name.normalize('NFC');
  return links(response).find((link) => [wanted, `${wanted}/`].includes(link.text.normalize('NFC')));
}

describe('a folder without index.html', () => {
  test('gets an HTML page with a link for every file and subfolder in it', courseRule('directory-listing'), async () => {
    const response = await listing();
    for (const name of [...names, SUBFOLDER]) {
      if (!linkFor(response, name)) {
        const plain = response.body.toString('utf8').includes(name);
        fail(response, {
          problem: plain
            ? `The listing contains "${name}", but not as the text of a link (<a href="…">${name}</a>).`
            : `The listing has no link named "${name}", a ${name === SUBFOLDER ? 'subfolder' : 'file'} in that folder.`,
          hint: HINT_LIST,
        });
      }
    }
  });

  test('links each name so that following the link reaches that very file or folder', courseRule('directory-listing'), async () => {
    const response = await listing();
    const base = new URL(`http://127.0.0.1/${folder}/`);
    for (const name of [...names, SUBFOLDER]) {
      const link = linkFor(response, name);
      if (!link) fail(response, { problem: `The listing has no link named "${name}".`, hint: HINT_LIST });
      // Exactly what a browser does with the link: resolve it against the page's address (RFC 3986 §5).
      const url = new URL(link.href, base);
      const expected = `/${folder}/${encodeURIComponent(name)}${name === SUBFOLDER ? '/' : ''}`;
      const followed = await get(`${url.pathname}${url.search}`);
      const bodyNames = followed.body.toString('utf8');
      // A folder's link without its "/" costs a redirect, but a browser still gets there.
      const reached = name === SUBFOLDER
        ? (followed.status === 200 && bodyNames.includes('inside.txt')) || ([301, 308].includes(followed.status) && url.pathname === expected.slice(0, -1))
        : followed.status === 200 && bodyNames === `The file called ${name}.\n`;
      if (!reached) {
        fail(response, {
          problem: `The link for "${name}" is href="${link.href}". A browser resolves it to ${url.pathname}${url.search}${url.hash}, which ${followed.status === 200 ? 'is another resource' : `got ${followed.status}`}, not the ${name === SUBFOLDER ? 'folder' : 'file'} (${expected} would be).`,
          hint: HINT_HREF,
        });
      }
    }
  });

  test('shows every name as text, HTML-escaped, never as markup', courseRule('directory-listing'), async () => {
    const response = await listing();
    const html = response.body.toString('utf8');
    if (names.includes(MARKUP_NAME) && html.includes('<img')) {
      fail(response, { problem: `The file name "${MARKUP_NAME}" reached the page as a tag: a browser would run its onerror script.`, caret: response.head.length + Buffer.byteLength(html.slice(0, html.indexOf('<img'))), hint: HINT_ESCAPE });
    }
    if (/& more/.test(html)) {
      fail(response, { problem: `The "&" of "it's & more.txt" is in the page as a bare "&"; in HTML it starts a character reference, so it must be written "&amp;".`, caret: response.head.length + Buffer.byteLength(html.slice(0, html.indexOf('& more'))), hint: HINT_ESCAPE });
    }
  });

  test('lists files sorted by name, capitals among the small letters', courseRule('listing-sorted'), async () => {
    const response = await listing();
    const listed = links(response).map((link) => link.text).filter((text) => names.includes(text));
    // Alphabetical with case ignored, in any of the usual ways: the lesson's numeric collator,
    // a collator without numbers, or lower-cased code points (Python's and Caddy's order).
    const codePoints = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const orders = [
      new Intl.Collator('en', { numeric: true }).compare,
      new Intl.Collator('en').compare,
      (a: string, b: string) => codePoints(a.toLowerCase(), b.toLowerCase()),
      (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase()),
    ];
    const sorted = orders.some((order) => listed.every((name, i) => i === 0 || order(listed[i - 1]!, name) <= 0));
    if (!sorted) {
      const capitalsFirst = listed.every((name, i) => i === 0 || codePoints(listed[i - 1]!, name) <= 0);
      fail(response, {
        problem: capitalsFirst
          ? `The files are listed in this order: ${listed.join(', ')}. That is the order of plain sort(), by UTF-16 code units: "Notes.txt" comes before every name in small letters, and "file10.txt" before "file2.txt".`
          : `The files are listed in this order: ${listed.join(', ')}. That is not sorted by name in any usual way.`,
        hint: capitalsFirst
          ? 'Plain sort() compares code units, so every capital comes before every small letter. Sort with new Intl.Collator(\'en\', { numeric: true }).compare: case only breaks ties, and file2 comes before file10.'
          : 'readdir returns names in whatever order the file system keeps them. Sort them: new Intl.Collator(\'en\', { numeric: true }).compare puts file2 before file10.',
      });
    }
  });

  test('leaves out dotfiles, which the server never serves', courseRule('directory-listing'), async () => {
    const response = await listing();
    if (response.body.toString('utf8').includes('.secret-dotfile')) {
      fail(response, { problem: 'The listing shows ".secret-dotfile". Names starting with "." are hidden files (.env, .git…): the server refuses to serve them, and should not advertise them either.', hint: 'Filter out every name that starts with "." before building the page.' });
    }
  });

  test('answers HEAD with the listing\'s headers and no body', should('RFC 9110 §9.3.2'), async () => {
    const whole = await listing();
    const response = await send(request('HEAD', `/${folder}/`, { Connection: 'close' }), { method: 'HEAD' });
    expectStatus(response, 200, { because: 'HEAD gets what GET would, without the body.', hint: HINT_LIST });
    for (const name of ['Content-Type', 'Content-Length']) {
      const [wanted, got] = [whole.header(name), response.header(name)];
      // The length of a page made for the request is known only once it is made, and §9.3.2 lets
      // HEAD leave out such a header; if it is sent, it must be the GET's (§8.6).
      if (got === wanted || (name === 'Content-Length' && got === undefined)) continue;
      fail(response, {
        problem: `Expected HEAD to send ${name}: ${wanted} like GET does, got ${got === undefined ? 'none' : `"${got}"`}.`,
        hint: 'HEAD describes the response GET would get (RFC 9110 §9.3.2): build the listing as for GET, send its head with the Content-Length the page has, and leave the page out.',
        ...(name === 'Content-Length' && got !== undefined ? { basis: must('RFC 9110 §8.6').meta.basis } : {}),
      });
    }
    const body = await response.connection.leftover(500);
    if (body.length > 0) {
      throw response.connection.failure({
        problem: `A HEAD response carries no body, but ${body.length} bytes followed the head.`,
        caret: response.raw.length,
        hint: 'The listing is a body like any other: sendResponse leaves it out for HEAD.',
        basis: must('RFC 9110 §9.3.2').meta.basis,
      }, Buffer.concat([response.raw, body]));
    }
  });
});

describe('what is never listed', () => {
  test('a folder with an index.html still gets its index.html', courseRule('index-html'), async () => {
    const response = await get('/docs/');
    expectStatus(response, 200);
    if (!response.body.toString('utf8').includes('Docs index')) {
      fail(response, { problem: 'GET /docs/ should answer with ROOT/docs/index.html, which exists, but the body is something else.', hint: 'Look for index.html first; list the folder only when there is none.' });
    }
  });

  test('a folder reached through a symbolic link that leads outside ROOT is refused with a 4xx, and not listed', courseRule('nothing-outside-root'), async (context) => {
    const outside = path.join(path.dirname(target().root), `outside-${randomUUID()}`);
    await mkdir(outside);
    await writeFile(path.join(outside, 'private-name.txt'), 'Outside ROOT.\n');
    const link = `linked-${randomUUID()}`;
    try {
      await symlink(outside, path.join(target().root, link), 'dir');
    } catch {
      context.skip('this system cannot make symbolic links (Windows without developer mode)');
    }
    const response = await get(`/${link}/`);
    if (response.body.toString('utf8').includes('private-name.txt')) {
      fail(response, { problem: `GET /${link}/ listed a folder outside ROOT: its file names are in the page.`, hint: 'Before listing, take realpath(folder): it must be the root itself or start with root + path.sep, as for files.' });
    }
    // 404 (the reference's, which hides what is there) or 403 (RFC 9110 §15.5.4): both refuse, as in stage 4.
    expectStatusIn(response, { test: (status) => status >= 400 && status < 500, describe: 'a refusal, a 4xx such as 404 or 403' }, { because: 'the link leads outside ROOT.' });
  });
});
