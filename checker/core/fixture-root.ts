/**
 * The folder a server under check is given as ROOT. The checker makes a fresh one for every run,
 * so the suites know every file name, every byte and every modification time in it — and what
 * lies just outside it, which a server must never serve.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { SITE_DIR } from './paths.ts';
import { fixturePrefix, removeStaleFixtures } from './stale-fixtures.ts';
import { onShutdown } from './shutdown.ts';

/** Every fixture file has this modification time, so Last-Modified is predictable. */
export const FIXTURE_MTIME = new Date('2024-03-01T12:00:00Z');

/** A marker that only appears in files outside ROOT: a response containing it leaked a file. */
export const SECRET_MARKER = 'FSTS-SECRET-7f3a9c';

/** A small PNG followed by every byte value, so any text decoding on the way corrupts it visibly. */
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2f3a1d50000000049454e44ae426082', 'hex'),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
]);

/**
 * A file whose extension no registry or server table has (".xyz" is in Debian's /etc/mime.types,
 * as chemical/x-xyz): the one file whose type a server does not know.
 */
export const UNKNOWN_TYPE_FILE = 'unknown.fsts-unknown-type';

export const FIXTURE_FILES: Readonly<Record<string, string | Buffer>> = {
  'index.html': '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Fixture home</title><link rel="stylesheet" href="style.css"></head>\n<body><h1>Home — café ☕</h1><p>The checker made this page.</p><script src="app.js"></script></body>\n</html>\n',
  'style.css': 'body { font-family: sans-serif; }\nh1 { color: #333; }\n',
  'app.js': 'document.title += " ✓";\n',
  'logo.png': PNG,
  'data.json': '{"ok":true,"name":"fixture"}\n',
  'notes.txt': 'Plain text, with a non-ASCII character: ü.\n',
  'do..ts.txt': 'Two dots in a file name are not a parent folder.\n',
  'file with spaces.txt': 'A name with spaces, requested as file%20with%20spaces.txt.\n',
  'UPPER.HTML': '<!doctype html><title>Upper</title><p>An upper-case extension.</p>\n',
  'font.woff2': Buffer.from('774f46320001000000000000', 'hex'),
  'module.wasm': Buffer.from('0061736d01000000', 'hex'),
  [UNKNOWN_TYPE_FILE]: 'A file whose extension no table knows.\n',
  'old.html.bak': 'A backup whose name contains ".html" but is not HTML.\n',
  '.env': `A dotfile: must not be served. ${SECRET_MARKER}\n`,
  'docs/index.html': '<!doctype html><title>Docs</title><h1>Docs index</h1>\n',
  'docs/guide.html': '<!doctype html><title>Guide</title><h1>The guide</h1>\n',
  'assets/readme.txt': 'A folder with no index.html.\n',
};

/** Where the course's own website is copied inside ROOT, for the capstone's browser checks. */
export const COURSE_FOLDER = 'course';

export interface FixtureRoot {
  /** The folder to serve. */
  root: string;
  /** A file outside ROOT where the checker writes the server's output as it runs. */
  outputFile: string;
  /** Whether every file the checker wrote is still there: a server that deletes them spoils the check. */
  intact(): boolean;
  /** Remove the whole fixture, including what lies outside ROOT. */
  cleanup(): Promise<void>;
}

export async function createFixtureRoot(): Promise<FixtureRoot> {
  // Synchronous calls: a few dozen small files are written faster this way than by as many
  // round trips to Node's thread pool, and a check has nothing else to do meanwhile.
  removeStaleFixtures();
  const base = mkdtempSync(fixturePrefix());
  const forget = onShutdown(() => rmSync(base, { recursive: true, force: true }));
  const root = path.join(base, 'root');
  for (const [name, content] of Object.entries(FIXTURE_FILES)) {
    const file = path.join(root, ...name.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    utimesSync(file, FIXTURE_MTIME, FIXTURE_MTIME);
  }
  // Outside ROOT: next to it, and in a sibling whose name starts with the root's name.
  writeFileSync(path.join(base, 'secret.txt'), `Outside ROOT. ${SECRET_MARKER}\n`);
  mkdirSync(path.join(base, 'root-sibling'));
  writeFileSync(path.join(base, 'root-sibling', 'secret.txt'), `In a sibling folder. ${SECRET_MARKER}\n`);
  if (existsSync(path.join(SITE_DIR, 'index.html'))) {
    // The site's generator and theme sources are not part of the website.
    cpSync(SITE_DIR, path.join(root, COURSE_FOLDER), { recursive: true, filter: (source) => path.basename(source) !== 'build' });
  }
  try {
    symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'escape.txt'));
    // Into the sibling: its real path starts with ROOT's, but not with ROOT and a separator.
    symlinkSync(path.join(base, 'root-sibling', 'secret.txt'), path.join(root, 'sibling-link.txt'));
  } catch {
    // Windows without developer mode cannot make symlinks; the symlink test then has nothing to check.
  }
  return {
    root,
    outputFile: path.join(base, 'server-output.log'),
    intact: () => Object.keys(FIXTURE_FILES).every((name) => existsSync(path.join(root, ...name.split('/')))),
    async cleanup() {
      forget();
      await rm(base, { recursive: true, force: true });
    },
  };
}
