/**
 * Stage 4 — Static files. The server maps the path to a file under ROOT and sends its exact
 * bytes with the right Content-Type; serves index.html for folders and redirects a folder
 * without its trailing slash; decodes the path once, after splitting off the query; and never,
 * in any encoding, serves a byte from outside ROOT.
 */
import os from 'node:os';
import { describe, test } from 'vitest';
import { FIXTURE_FILES, SECRET_MARKER, UNKNOWN_TYPE_FILE } from '../core/fixture-root.ts';
import { courseRule, should } from '../http/basis.ts';
import { expectBody, expectHeader, expectStatus, expectStatusIn, fail } from '../http/expect.ts';
import type { HttpResponse } from '../http/raw-client.ts';
import { get, target } from '../http/server-under-test.ts';

const fixture = (name: string) => FIXTURE_FILES[name]!;

/** The address the checker asked for, as a browser would see it: host, port, path and query. */
const requestUrl = (path: string) => new URL(path, `http://127.0.0.1:${target().port}/`);

const HINT_BINARY = 'Read files as Buffers and send the Buffer: readFile(file) with no encoding. Turning bytes into a string (readFile(file, "utf8"), or `${body}`) changes every byte that is not valid UTF-8.';
const HINT_TRAVERSAL = 'Decode the path, split it on "/", and resolve "." and ".." yourself: a ".." with no segment left to take back would leave ROOT, so refuse it. Refuse any other segment that starts with "." (a dotfile) or contains a backslash. path.join(ROOT, url) alone lets "/../" climb out of ROOT. Lesson 4 answers every refusal with the same 404 as a missing file; a 403 (RFC 9110 §15.5.4) or a 400 is fine too.';

function expectNoSecret(response: HttpResponse, how: string, hint = HINT_TRAVERSAL): void {
  if (response.raw.includes(SECRET_MARKER)) {
    fail(response, {
      problem: `The response contains a file from outside ROOT (or a dotfile) — reached through ${how}.`,
      caret: response.raw.indexOf(SECRET_MARKER),
      hint,
    });
  }
}

describe('files from ROOT', () => {
  test('serves /index.html for /', courseRule('index-html'), async () => {
    const response = await get('/');
    expectStatus(response, 200, { hint: 'The path "/" names the folder itself: serve ROOT/index.html.' });
    expectBody(response, fixture('index.html'), 'the bytes of ROOT/index.html');
  });

  test('serves a file at its path, byte for byte', courseRule('files-from-root'), async () => {
    const response = await get('/style.css');
    expectStatus(response, 200, { hint: 'Join ROOT and the path\'s segments with path.join, read the file, and send its bytes.' });
    expectBody(response, fixture('style.css'), 'the bytes of ROOT/style.css');
  });

  test('sends a binary file intact', courseRule('files-from-root'), async () => {
    const response = await get('/logo.png');
    expectStatus(response, 200);
    expectBody(response, fixture('logo.png') as Buffer, 'the bytes of ROOT/logo.png, every one of them', HINT_BINARY);
  });

  test('serves a file in a subfolder', courseRule('files-from-root'), async () => {
    const response = await get('/docs/guide.html');
    expectStatus(response, 200);
    expectBody(response, fixture('docs/guide.html'), 'the bytes of ROOT/docs/guide.html');
  });

  test('answers 404 for a file that does not exist', courseRule('routes'), async () => {
    expectStatus(await get('/no-such-file.html'), 404);
  });
});

const TYPES: Array<[path: string, type: RegExp, describe: string]> = [
  ['/index.html', /^text\/html\b/i, 'text/html'],
  ['/style.css', /^text\/css\b/i, 'text/css'],
  // RFC 9239 §6 makes text/javascript the one to send and application/javascript obsolete, but
  // browsers run a script sent as either, and many servers' tables still have the old one.
  ['/app.js', /^(text|application)\/javascript\b/i, 'text/javascript (RFC 9239)'],
  ['/data.json', /^application\/json\b/i, 'application/json'],
  ['/logo.png', /^image\/png$/i, 'image/png'],
  ['/notes.txt', /^text\/plain\b/i, 'text/plain'],
  ['/font.woff2', /^font\/woff2$/i, 'font/woff2'],
  ['/module.wasm', /^application\/wasm$/i, 'application/wasm (browsers refuse to compile WebAssembly sent as anything else)'],
  ['/UPPER.HTML', /^text\/html\b/i, 'text/html — extensions are case-insensitive'],
];

const HINT_TYPES = 'Take the extension with path.extname(file).toLowerCase() and look it up in a table; anything not in the table is application/octet-stream (or gets no Content-Type at all). Testing name.includes(".html") matches "old.html.bak" too.';

describe('Content-Type', () => {
  for (const [path, type, describe] of TYPES) {
    test(`says ${describe} for ${path}`, courseRule('content-types'), async () => {
      const response = await get(path);
      expectStatus(response, 200, { basis: courseRule('files-from-root').meta.basis });
      expectHeader(response, 'Content-Type', { test: (value) => type.test(value), describe, hint: HINT_TYPES });
    });
  }

  // RFC 9110 §8.3: a sender SHOULD send a Content-Type when it knows the type, and may leave it
  // out when it does not; application/octet-stream says "just bytes" outright.
  test(`sends application/octet-stream, or no Content-Type, for an extension the server does not know: /${UNKNOWN_TYPE_FILE}`, courseRule('content-types'), async () => {
    const response = await get(`/${UNKNOWN_TYPE_FILE}`);
    expectStatus(response, 200, { basis: courseRule('files-from-root').meta.basis });
    const value = response.header('Content-Type');
    if (value !== undefined && !/^application\/octet-stream\s*(;|$)/i.test(value)) {
      fail(response, { problem: `Expected application/octet-stream, or no Content-Type, for an extension no table knows; got "Content-Type: ${value}".`, hint: HINT_TYPES });
    }
  });

  // The point is the extension, not the table: ".bak" is in some tables (Debian's /etc/mime.types
  // calls it application/x-trash), and any type is fine as long as it is not HTML's.
  test('does not call /old.html.bak HTML: the name contains ".html", but the extension is ".bak"', courseRule('content-types'), async () => {
    const response = await get('/old.html.bak');
    expectStatus(response, 200, { basis: courseRule('files-from-root').meta.basis });
    const value = response.header('Content-Type');
    if (value !== undefined && /^text\/html\b/i.test(value)) {
      fail(response, { problem: `Expected application/octet-stream (or any type but HTML's) for a ".bak" file, got "Content-Type: ${value}".`, hint: HINT_TYPES });
    }
  });
});

describe('folders', () => {
  test('serves a folder\'s index.html when the path ends with "/"', courseRule('index-html'), async () => {
    const response = await get('/docs/');
    const hint = 'A path ending in "/" names a folder: when stat says it is a directory, serve the index.html inside it. Reading the folder itself fails with EISDIR.';
    expectStatus(response, 200, { hint });
    expectBody(response, fixture('docs/index.html'), 'the bytes of ROOT/docs/index.html', hint);
  });

  test('redirects a folder without its trailing slash (301 or 308), keeping the query', courseRule('folder-redirect'), async () => {
    const response = await get('/docs?tab=2');
    expectStatusIn(response, [301, 308], {
      because: 'ROOT/docs is a folder: relative links in its index.html only work once the address ends with "/".',
      hint: 'When the path names a folder but does not end with "/", answer 301 (or 308, RFC 9110 §15.4.9) with a Location that adds the slash, such as "./docs/" plus the query string.',
    });
    const location = expectHeader(response, 'Location', { test: () => true, describe: 'where the folder really is' });
    // Resolved as a browser would: against the address it asked for, port included. A relative
    // "./docs/?tab=2" and an absolute "http://127.0.0.1:PORT/docs/?tab=2" both lead there (RFC 9110 §10.2.2).
    const asked = requestUrl('/docs?tab=2');
    const resolved = new URL(location, asked);
    if (resolved.origin !== asked.origin || resolved.pathname !== '/docs/' || resolved.search !== '?tab=2') {
      fail(response, { problem: `Expected Location to lead to ${asked.origin}/docs/?tab=2, but "${location}" leads to ${resolved.href}.` });
    }
  });

  test('never redirects to another site, whatever slashes the path starts with', courseRule('folder-redirect'), async () => {
    for (const path of ['//docs', '//docs?x=1', '/%2Fdocs']) {
      const response = await get(path);
      const location = response.header('Location');
      // Resolve as a browser would, against the address it asked for (port included); the URL
      // parser would read "//docs" as a host, so the path is set on its own.
      const base = requestUrl('/');
      base.pathname = path.split('?')[0]!;
      if (location && (/^[/\\]{2}/.test(location) || new URL(location, base).origin !== base.origin)) {
        fail(response, {
          problem: `For ${path}, the Location "${location}" sends the browser to another host.`,
          hint: 'A Location starting with "//" is read as "another host" — the open redirect of Python\'s http.server (CVE-2021-28861). Build the Location from the last segment only, as "./name/".',
        });
      }
    }
  });

  test('answers 404 or 403 for a folder without an index.html', courseRule('index-html'), async () => {
    const response = await get('/assets/');
    // Bonus lesson 12 lists such a folder on purpose: a page naming its file is no accident.
    const listed = response.status === 200 && /^text\/html\b/i.test(response.header('Content-Type') ?? '') && response.body.toString('utf8').includes('readme.txt');
    // 403 is RFC 9110 §15.5.4's answer for "there, but not for you"; 404 may hide it (§15.5.5).
    if (!listed) expectStatusIn(response, [404, 403], { hint: 'A folder with no index.html has nothing to serve: lesson 4 answers 404, and 403 is fine too (listing the files is a choice a server makes deliberately, not by accident).' });
  });

  // 404 (nothing there) or 403 (RFC 9110 §15.5.4; lighttpd's answer): both say "not served".
  test('answers 404 (or 403) when a file is used as a folder', courseRule('routes'), async () => {
    expectStatusIn(await get('/notes.txt/'), [404, 403], { hint: 'Opening "notes.txt/" fails with ENOTDIR; any file-system error means there is nothing to serve: 404.' });
    expectStatusIn(await get('/notes.txt/more'), [404, 403]);
  });
});

describe('paths, queries and percent-encoding', () => {
  test('ignores the query string when finding the file', courseRule('files-from-root'), async () => {
    const response = await get('/style.css?v=3');
    expectStatus(response, 200, { hint: 'Split the target at the first "?": the path is before it, the query after it, and the query plays no part in finding the file.' });
    expectBody(response, fixture('style.css'), 'the bytes of ROOT/style.css');
  });

  test('decodes percent-escapes in the path', courseRule('files-from-root'), async () => {
    const response = await get('/file%20with%20spaces.txt');
    expectStatus(response, 200, { hint: 'Browsers encode a space as %20: decode the path with decodeURIComponent before you look for the file.' });
    expectBody(response, fixture('file with spaces.txt'), 'the bytes of "ROOT/file with spaces.txt"');
  });

  test('serves a file whose name contains ".." without being a parent folder', courseRule('files-from-root'), async () => {
    expectStatus(await get('/do..ts.txt'), 200, { hint: 'Refusing any path that contains ".." also refuses names like "do..ts.txt". Look at whole segments: only a segment that is exactly ".." climbs out.' });
  });

  // RFC 3986 §6.2.2.3: a normaliser should remove dot segments (§5.2.4), and nginx, Apache,
  // lighttpd and Caddy all serve "/docs/../style.css" as "/style.css". A redirect to the clean
  // path is an answer a client follows to the same file, so it is accepted too.
  test('serves /docs/../style.css as /style.css: dot segments that stay inside ROOT are resolved', should('RFC 3986 §6.2.2.3'), async () => {
    const hint = 'Resolve "." and ".." segments as RFC 3986 §5.2.4 does: a ".." takes back the segment before it, so "/docs/../style.css" is "/style.css". Only a ".." with nothing left to take back would leave ROOT: refuse that one, not every "..".';
    for (const [path, file] of [['/docs/../style.css', 'style.css'], ['/docs/./guide.html', 'docs/guide.html']] as const) {
      const response = await get(path);
      const location = response.header('Location');
      if (response.status >= 300 && response.status < 400 && location !== undefined && new URL(location, `http://127.0.0.1${path}`).pathname === `/${file}`) continue;
      expectStatus(response, 200, { because: `"${path}" names ROOT/${file}: its dot segments resolve inside ROOT.`, hint });
      expectBody(response, fixture(file), `the bytes of ROOT/${file}`);
    }
  });

  test('splits off the query before decoding, so an encoded "?" stays part of the name', courseRule('files-from-root'), async () => {
    expectStatus(await get('/notes.txt%3Fdownload'), 404, {
      because: '"%3F" is a literal "?" in the file name "notes.txt?download", which does not exist.',
      hint: 'Decode after splitting off the query: decoding first turns %3F into a "?" that then splits the name in two.',
    });
  });

  for (const [path, what] of [['/%zz', 'a "%" not followed by two hex digits'], ['/%E0%A4%A', 'a cut-off UTF-8 sequence'], ['/notes.txt%00.html', 'an encoded NUL byte']] as const) {
    test(`answers 400 or 404 to a path with ${what}`, courseRule('bad-paths'), async () => {
      expectStatusIn(await get(path), [400, 404], { hint: 'decodeURIComponent throws on a malformed escape: catch it and answer 400 (RFC 9112 §3), as lesson 4 does; 404 is fine too. A decoded NUL byte is never part of a file name: 400 or 404 too.' });
    });
  }
});

describe('nothing outside ROOT, ever', () => {
  const HINT_SEPARATOR = 'Compare real paths with the separator: realpath(file).startsWith(ROOT + path.sep). Without it, a link to "/srv/site-secrets/key.txt" passes for a file of "/srv/site", since the one name starts with the other.';
  const ATTEMPTS: Array<[path: string, how: string, hint?: string]> = [
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
    ['/sibling-link.txt', 'a symbolic link inside ROOT into a sibling folder whose name starts with ROOT\'s name', HINT_SEPARATOR],
    ['/.env', 'a dotfile'],
  ];
  for (const [path, how, hint = HINT_TRAVERSAL] of ATTEMPTS) {
    test(`refuses ${how} with a 4xx: ${path}`, courseRule('nothing-outside-root'), async () => {
      const response = await get(path);
      expectNoSecret(response, how, hint);
      // 404 (lesson 4's choice, which hides what exists), 403 (RFC 9110 §15.5.4), 400: all refuse.
      if (response.status < 400 || response.status >= 500) {
        fail(response, { problem: `Expected a refusal, a 4xx such as 404, 403 or 400, for ${how}; got ${response.status}.`, caret: 9, hint });
      }
    });
  }

  test('gives the same answer for a refused file that exists and one that does not', courseRule('nothing-outside-root'), async () => {
    for (const [existing, absent, where] of [['/%2e%2e/secret.txt', '/%2e%2e/no-such-secret.txt', 'outside ROOT'], ['/.env', '/.no-such-dotfile', 'among the dotfiles']] as const) {
      const exists = await get(existing);
      const missing = await get(absent);
      if (exists.status !== missing.status) {
        fail(exists, {
          problem: `"${decodeURIComponent(existing)}" (which exists) got ${exists.status}, but "${decodeURIComponent(absent)}" got ${missing.status}: the difference tells an attacker what exists ${where}.`,
          hint: 'Answer a refused file and a missing one alike: lesson 4 gives every one the same 404.',
        });
      }
    }
  });

  test('never shows a path of the machine in a response', courseRule('no-paths-in-errors'), async () => {
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

  test('answers a file name too long for the file system with a 4xx and keeps serving', courseRule('bad-paths'), async () => {
    const response = await get(`/${'a'.repeat(5000)}.html`);
    if (response.status < 400 || response.status >= 500) {
      fail(response, { problem: `Expected a 4xx for a 5000-character file name, got ${response.status}.`, hint: 'stat() fails with ENAMETOOLONG: like every file-system error, it means there is no file to serve, not that the server broke.' });
    }
    expectStatus(await get('/'), 200, { because: 'the server must keep serving after an odd request.', basis: courseRule('stays-up').meta.basis });
  });
});
