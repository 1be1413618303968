/**
 * Stage 4 — Static files. The server maps the path to a file under ROOT and sends its exact
 * bytes with the right Content-Type; serves index.html for folders and redirects a folder
 * without its trailing slash; decodes the path once, after splitting off the query; and never,
 * in any encoding, serves a byte from outside ROOT.
 */
import os from 'node:os';
import { describe, test } from 'vitest';
import { FIXTURE_FILES, SECRET_MARKER } from '../core/fixture-root.ts';
import { expectBody, expectHeader, expectStatus, fail } from '../http/expect.ts';
import type { HttpResponse } from '../http/raw-client.ts';
import { get, target } from '../http/server-under-test.ts';

const fixture = (name: string) => FIXTURE_FILES[name]!;

const HINT_BINARY = 'Read files as Buffers and send the Buffer: readFile(file) with no encoding. Turning bytes into a string (readFile(file, "utf8"), or `${body}`) changes every byte that is not valid UTF-8.';
const HINT_TRAVERSAL = 'Decode the path, split it on "/", and refuse any segment that starts with "." (that covers "..", "." and dotfiles) or contains a backslash. path.join(ROOT, url) alone lets "/../" climb out of ROOT.';

function expectNoSecret(response: HttpResponse, how: string): void {
  if (response.raw.includes(SECRET_MARKER)) {
    fail(response, {
      problem: `The response contains a file from outside ROOT (or a dotfile) — reached through ${how}.`,
      caret: response.raw.indexOf(SECRET_MARKER),
      hint: HINT_TRAVERSAL,
    });
  }
}

describe('files from ROOT', () => {
  test('serves /index.html for /', async () => {
    const response = await get('/');
    expectStatus(response, 200, { hint: 'The path "/" names the folder itself: serve ROOT/index.html.' });
    expectBody(response, fixture('index.html'), 'the bytes of ROOT/index.html');
  });

  test('serves a file at its path, byte for byte', async () => {
    const response = await get('/style.css');
    expectStatus(response, 200, { hint: 'Join ROOT and the path\'s segments with path.join, read the file, and send its bytes.' });
    expectBody(response, fixture('style.css'), 'the bytes of ROOT/style.css');
  });

  test('sends a binary file intact', async () => {
    const response = await get('/logo.png');
    expectStatus(response, 200);
    expectBody(response, fixture('logo.png') as Buffer, 'the bytes of ROOT/logo.png, every one of them', HINT_BINARY);
  });

  test('serves a file in a subfolder', async () => {
    const response = await get('/docs/guide.html');
    expectStatus(response, 200);
    expectBody(response, fixture('docs/guide.html'), 'the bytes of ROOT/docs/guide.html');
  });

  test('answers 404 for a file that does not exist', async () => {
    expectStatus(await get('/no-such-file.html'), 404);
  });
});

const TYPES: Array<[path: string, type: RegExp, describe: string]> = [
  ['/index.html', /^text\/html\b/i, 'text/html'],
  ['/style.css', /^text\/css\b/i, 'text/css'],
  ['/app.js', /^text\/javascript\b/i, 'text/javascript (RFC 9239)'],
  ['/data.json', /^application\/json\b/i, 'application/json'],
  ['/logo.png', /^image\/png$/i, 'image/png'],
  ['/notes.txt', /^text\/plain\b/i, 'text/plain'],
  ['/font.woff2', /^font\/woff2$/i, 'font/woff2'],
  ['/module.wasm', /^application\/wasm$/i, 'application/wasm (browsers refuse to compile WebAssembly sent as anything else)'],
  ['/UPPER.HTML', /^text\/html\b/i, 'text/html — extensions are case-insensitive'],
  ['/unknown.xyz', /^application\/octet-stream$/i, 'application/octet-stream, for an extension the server does not know'],
  ['/old.html.bak', /^application\/octet-stream$/i, 'application/octet-stream: the name contains ".html", but the extension is ".bak"'],
];

describe('Content-Type', () => {
  for (const [path, type, describe] of TYPES) {
    test(`says ${describe} for ${path}`, async () => {
      const response = await get(path);
      expectStatus(response, 200);
      expectHeader(response, 'Content-Type', {
        test: (value) => type.test(value),
        describe,
        hint: 'Take the extension with path.extname(file).toLowerCase() and look it up in a table; anything not in the table is application/octet-stream. Testing name.includes(".html") matches "old.html.bak" too.',
      });
    });
  }
});

describe('folders', () => {
  test('serves a folder\'s index.html when the path ends with "/"', async () => {
    const response = await get('/docs/');
    const hint = 'A path ending in "/" names a folder: when stat says it is a directory, serve the index.html inside it. Reading the folder itself fails with EISDIR.';
    expectStatus(response, 200, { hint });
    expectBody(response, fixture('docs/index.html'), 'the bytes of ROOT/docs/index.html', hint);
  });

  test('redirects a folder without its trailing slash with 301, keeping the query', async () => {
    const response = await get('/docs?tab=2');
    expectStatus(response, 301, {
      because: 'ROOT/docs is a folder: relative links in its index.html only work once the address ends with "/".',
      hint: 'When the path names a folder but does not end with "/", answer 301 with a Location that adds the slash, such as "./docs/" plus the query string.',
    });
    const location = expectHeader(response, 'Location', { test: () => true, describe: 'where the folder really is' });
    const resolved = new URL(location, 'http://127.0.0.1/docs?tab=2');
    if (resolved.host !== '127.0.0.1' || resolved.pathname !== '/docs/' || resolved.search !== '?tab=2') {
      fail(response, { problem: `Expected Location to lead to /docs/?tab=2, but "${location}" leads to ${resolved.href}.` });
    }
  });

  test('never redirects to another site, whatever slashes the path starts with', async () => {
    for (const path of ['//docs', '//docs?x=1', '/%2Fdocs']) {
      const response = await get(path);
      const location = response.header('Location');
      // Resolve as a browser would, against the address it asked for.
      const base = new URL('http://127.0.0.1/');
      base.pathname = path.split('?')[0]!;
      if (location && (/^[/\\]{2}/.test(location) || new URL(location, base).host !== '127.0.0.1')) {
        fail(response, {
          problem: `For ${path}, the Location "${location}" sends the browser to another host.`,
          hint: 'A Location starting with "//" is read as "another host" — the open redirect of Python\'s http.server (CVE-2021-28861). Build the Location from the last segment only, as "./name/".',
        });
      }
    }
  });

  test('answers 404 for a folder without an index.html', async () => {
    const response = await get('/assets/');
    // Bonus lesson 12 lists such a folder on purpose: a page naming its file is no accident.
    const listed = response.status === 200 && /^text\/html\b/i.test(response.header('Content-Type') ?? '') && response.body.toString('utf8').includes('readme.txt');
    if (!listed) expectStatus(response, 404, { hint: 'A folder with no index.html has nothing to serve: 404 (listing the files is a choice a server makes deliberately, not by accident).' });
  });

  test('answers 404 when a file is used as a folder', async () => {
    expectStatus(await get('/notes.txt/'), 404, { hint: 'Opening "notes.txt/" fails with ENOTDIR; any file-system error means there is nothing to serve: 404.' });
    expectStatus(await get('/notes.txt/more'), 404);
  });
});

describe('paths, queries and percent-encoding', () => {
  test('ignores the query string when finding the file', async () => {
    const response = await get('/style.css?v=3');
    expectStatus(response, 200, { hint: 'Split the target at the first "?": the path is before it, the query after it, and the query plays no part in finding the file.' });
    expectBody(response, fixture('style.css'), 'the bytes of ROOT/style.css');
  });

  test('decodes percent-escapes in the path', async () => {
    const response = await get('/file%20with%20spaces.txt');
    expectStatus(response, 200, { hint: 'Browsers encode a space as %20: decode the path with decodeURIComponent before you look for the file.' });
    expectBody(response, fixture('file with spaces.txt'), 'the bytes of "ROOT/file with spaces.txt"');
  });

  test('serves a file whose name contains ".." without being a parent folder', async () => {
    expectStatus(await get('/do..ts.txt'), 200, { hint: 'Refusing any path that contains ".." also refuses names like "do..ts.txt". Look at whole segments: only a segment that is exactly ".." climbs out.' });
  });

  test('splits off the query before decoding, so an encoded "?" stays part of the name', async () => {
    expectStatus(await get('/notes.txt%3Fdownload'), 404, {
      because: '"%3F" is a literal "?" in the file name "notes.txt?download", which does not exist.',
      hint: 'Decode after splitting off the query: decoding first turns %3F into a "?" that then splits the name in two.',
    });
  });

  for (const [path, what] of [['/%zz', 'a "%" not followed by two hex digits'], ['/%E0%A4%A', 'a cut-off UTF-8 sequence'], ['/notes.txt%00.html', 'an encoded NUL byte']] as const) {
    test(`answers 400 to a path with ${what}`, async () => {
      expectStatus(await get(path), 400, { hint: 'decodeURIComponent throws on a malformed escape: catch it and answer 400. A decoded NUL byte is never part of a file name: 400 too.' });
    });
  }
});

describe('nothing outside ROOT, ever', () => {
  const ATTEMPTS: Array<[path: string, how: string]> = [
    ['/../secret.txt', 'a plain "/../"'],
    ['/docs/../../secret.txt', '"../" inside the path'],
    ['/%2e%2e/secret.txt', 'an encoded ".."'],
    ['/%2E%2E%2Fsecret.txt', 'an encoded "../" in capitals'],
    ['/..%2fsecret.txt', 'a "../" with an encoded slash'],
    ['/..%5csecret.txt', 'an encoded backslash'],
    ['/..%255csecret.txt', 'a double-encoded backslash'],
    ['/%252e%252e/secret.txt', 'a double-encoded ".."'],
    ['/../root-sibling/secret.txt', 'a sibling folder whose name starts with ROOT\'s name'],
    ['/escape.txt', 'a symbolic link inside ROOT that points outside it'],
    ['/.env', 'a dotfile'],
  ];
  for (const [path, how] of ATTEMPTS) {
    test(`answers 404 to ${how}: ${path}`, async () => {
      const response = await get(path);
      expectNoSecret(response, how);
      if (response.status !== 404 && response.status !== 400) {
        fail(response, { problem: `Expected 404 (or 400) for ${how}, got ${response.status}.`, caret: 9, hint: HINT_TRAVERSAL });
      }
    });
  }

  test('gives the same answer for an outside file that exists and one that does not', async () => {
    const exists = await get('/%2e%2e/secret.txt');
    const missing = await get('/%2e%2e/no-such-secret.txt');
    if (exists.status !== missing.status) {
      fail(exists, {
        problem: `"/../secret.txt" (which exists) got ${exists.status}, but "/../no-such-secret.txt" got ${missing.status}: the difference tells an attacker what exists outside ROOT.`,
        hint: 'Answer every refusal and every missing file with the same 404.',
      });
    }
  });

  test('never shows a path of the machine in a response', async () => {
    const { root } = target();
    const responses = [await get('/no-such-file'), await get('/%2e%2e/secret.txt'), await get('/%zz'), await get(`/${'n'.repeat(300)}.txt`)];
    for (const response of responses) {
      for (const leak of [root, os.tmpdir(), root.replaceAll('\\', '/')]) {
        if (response.raw.toString('utf8').includes(leak)) {
          fail(response, { problem: `The response shows the server's folder "${leak}".`, caret: response.raw.indexOf(leak), hint: 'Error pages say what went wrong in words; the file-system path (or an error message that contains it) tells strangers how your machine is laid out.' });
        }
      }
    }
  });

  test('answers a file name too long for the file system with a 4xx and keeps serving', async () => {
    const response = await get(`/${'a'.repeat(5000)}.html`);
    if (response.status < 400 || response.status >= 500) {
      fail(response, { problem: `Expected a 4xx for a 5000-character file name, got ${response.status}.`, hint: 'stat() fails with ENAMETOOLONG: like every file-system error, it means there is no file to serve, not that the server broke.' });
    }
    expectStatus(await get('/'), 200, { because: 'the server must keep serving after an odd request.' });
  });
});
