/**
 * The check report's layout in a narrow terminal (checker/ui/report.ts): its prose is wrapped to
 * the width, while escaped bytes and commands to copy stay whole. Output to a file or a pipe is
 * not wrapped; the recorded scenario outputs (scenarios.test.ts) guard that.
 */
import { stripVTControlCharacters } from 'node:util';
import { expect, test } from 'vitest';
import { findStage } from '../core/stages.ts';
import { formatReport, type CheckReport } from '../ui/report.ts';

const stage = findStage(2)!;
const sent = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:4321\r\n\r\n';
const received = 'HTTP/1.1 200 OK\r\nX-Powered-By: a server written by hand on node:net, one stage at a time\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 12\r\n\r\nHello there!';

const report: CheckReport = {
  stage,
  entry: 'workspace/02-first-response/server.ts',
  ok: false,
  stages: [
    {
      stage,
      state: 'failed',
      requirements: [
        { name: 'answers GET / with a well-formed status line "HTTP/1.1 200 OK"', state: 'passed' },
        {
          name: 'sends a Date header in the IMF-fixdate format of RFC 9110 §5.6.7',
          state: 'failed',
          failure: {
            problem: 'Expected a Date header (a date like "Sun, 06 Nov 1994 08:49:37 GMT"), but the response has none.',
            hint: 'The Date header uses the IMF-fixdate format of RFC 9110 §5.6.7, like "Sun, 06 Nov 1994 08:49:37 GMT". new Date().toUTCString() produces it.',
            sent,
            received,
          },
        },
      ],
    },
    { stage: findStage(1)!, state: 'not-run', requirements: [] },
  ],
  output: [],
  port: 4321,
  durationMs: 100,
};

const lines = (width?: number) => stripVTControlCharacters(formatReport(report, width)).split('\n');
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

test('in a 60-column terminal, every line of prose fits, and no word is lost', () => {
  const narrow = lines(60);
  const tooWide = narrow.filter((line) => [...line].length > 60);
  // Only the escaped bytes and the curl command, six spaces in, may be wider.
  expect(tooWide.every((line) => line.startsWith('      '))).toBe(true);
  expect(tooWide.length).toBeGreaterThan(0);
  expect(words(narrow.join(' '))).toBe(words(lines().join(' ')));
  expect(narrow).toContain('    Hint: The Date header uses the IMF-fixdate format of RFC');
  // The command to start the server is never split.
  expect(narrow.some((line) => line.includes('npx tsx workspace/02-first-response/server.ts'))).toBe(true);
});

test('without a width, nothing is wrapped but the hint, at 88 columns', () => {
  const wide = lines();
  expect(wide).toContain('    Expected a Date header (a date like "Sun, 06 Nov 1994 08:49:37 GMT"), but the response has none.');
  expect(wide.filter((line) => line.includes('Hint:') || line.startsWith('    1994')).every((line) => line.length <= 92)).toBe(true);
});

test('"Try it by hand" says when the request names a file only the checker\'s folder had', async () => {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  const { scratchDir } = await import('./scratch.ts');
  const { tryByHand } = await import('../ui/try-by-hand.ts');
  const folder = scratchDir('fsts-try-');
  mkdirSync(path.join(folder, 'public'));
  writeFileSync(path.join(folder, 'public', 'style.css'), 'body {}\n');
  const entry = path.join(folder, 'server.ts');
  const note = (sent: string, received: string) => stripVTControlCharacters(tryByHand(sent, received, entry, Infinity, '').join('\n')).includes("The checker's own folder had");
  const get = (target: string) => `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`;
  expect(note(get('/logo.png'), 'HTTP/1.1 404 Not Found\r\n\r\n')).toBe(true);
  expect(note(get('/random-20mb.bin'), 'HTTP/1.1 200 OK\r\n\r\n')).toBe(true);
  expect(note(get('/style.css'), 'HTTP/1.1 200 OK\r\n\r\n')).toBe(false);
  expect(note(get('/no-such-file.html'), 'HTTP/1.1 404 Not Found\r\n\r\n')).toBe(false);
  expect(note(get('/'), 'HTTP/1.1 200 OK\r\n\r\n')).toBe(false);
});
