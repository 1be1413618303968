/**
 * Fair verdicts for stages 5 to 12: servers that make a choice the RFCs allow, each a small patch
 * to a copy of a reference solution, must pass the requirement the choice touches. (Their
 * opposite, the planted mistakes that must fail, are in mistakes.test.ts.) Each of these once got
 * a ✗ it did not deserve.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';
import { findChromium } from '../core/browser.ts';
import { findStage, stagePaths } from '../core/stages.ts';
import { runCli } from './run-cli.ts';
import { scratchDir } from './scratch.ts';

interface AllowedChoice {
  what: string;
  stage: number;
  /** [file in the solution folder, text to find, text to put instead]. */
  patches: Array<[file: string, from: string, to: string]>;
  /** The requirements that must pass with this choice made. */
  passes: string[];
  /** And, for a mistake kept beside the choices to show the requirement still has teeth: the requirements that must fail. */
  fails?: string[];
  /** Skip where the requirement cannot be checked at all. */
  needs?: 'chromium';
}

const CHOICES: AllowedChoice[] = [
  {
    // RFC 9112 §9.6 asks a server to close in stages, and sets no time: this one closes its side
    // 3 s after a small response, so the checker's own request is still open when it counts.
    what: 'a server that closes each connection a while after its response (a lingering close)',
    stage: 6,
    patches: [
      ['http/response.ts', "socket.end(method === 'HEAD' ? head : Buffer.concat([head, body]));", "socket.write(method === 'HEAD' ? head : Buffer.concat([head, body]));\n    setTimeout(() => socket.end(), 3000);"],
      ['http/response.ts', 'socket.end(Buffer.concat([head, whole.subarray(0, size)]));', 'socket.write(Buffer.concat([head, whole.subarray(0, size)]));\n    setTimeout(() => socket.end(), 3000);'],
    ],
    passes: ['keeps serving when a client leaves mid-file, and closes the file'],
  },
  {
    // A freshness time instead of no-cache breaks the course's rule (stage 5 says so), not the
    // protocol: the browser reuses the stylesheets and scripts without asking, but still
    // revalidates the page itself on reload, and the server answers that with a 304.
    what: 'a server that lets the browser keep files for an hour, and answers a revalidation with 304',
    stage: 9,
    patches: [['files/serve-file.ts', "'Cache-Control': 'no-cache',", "'Cache-Control': 'max-age=3600',"]],
    passes: ['lets the browser revalidate on reload, and answers 304'],
    needs: 'chromium',
  },
  {
    // The same requirement still fails a server that never answers 304: the fix above must not
    // have made it pass everything.
    what: 'a server that never answers 304 (its teeth: this one must fail)',
    stage: 9,
    patches: [
      ['files/preconditions.ts', "return method === 'GET' || method === 'HEAD' ? 304 : 412;", "return method === 'GET' || method === 'HEAD' ? 200 : 412;"],
      ['files/preconditions.ts', 'if (seconds(file.lastModified) <= seconds(ifModifiedSince)) return 304;', 'if (seconds(file.lastModified) <= seconds(ifModifiedSince)) return 200;'],
    ],
    passes: [],
    fails: ['lets the browser revalidate on reload, and answers 304'],
    needs: 'chromium',
  },
  {
    // RFC 9110 §14.2: a server MAY ignore or reject an invalid ranges-specifier; nginx rejects.
    what: 'a server that refuses an invalid byte range with 416 instead of ignoring it',
    stage: 10,
    patches: [
      ['files/range.ts', 'if (!match) return WHOLE;', 'if (!match) return UNSATISFIABLE;'],
      ['files/range.ts', "if (last !== '' && Number(last) < start) return WHOLE;", "if (last !== '' && Number(last) < start) return UNSATISFIABLE;"],
    ],
    passes: ['ignores a Range it cannot read (the whole file, 200) or refuses it (416), and never sends a part of it'],
  },
  {
    // RFC 9110 §14.2: a server MAY ignore Range; this one does whenever it compresses.
    what: 'a server that ignores a Range when it compresses, and sends the whole file with gzip',
    stage: 11,
    patches: [
      ['files/compression.ts', "!request.headers.has('range') &&", ''],
      ['files/serve-file.ts', "const range = request.method === 'GET' && ifRangeHolds(", "const range = !gzip && request.method === 'GET' && ifRangeHolds("],
    ],
    passes: ['answers a Range request from the file as it is, not from gzip\'s output'],
  },
  {
    // No RFC orders a listing; the course asks for case ignored, and Python and Caddy do just that.
    what: 'a listing in lower-cased code-point order, as Python\'s http.server and Caddy sort',
    stage: 12,
    patches: [['files/directory-listing.ts', 'const byName = new Intl.Collator(\'en\', { numeric: true }).compare;', 'const byName = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);']],
    passes: ['lists files sorted by name, capitals among the small letters'],
  },
];

interface JsonReport {
  stages: Array<{ id: number; requirements: Array<{ name: string; state: string; failure?: { problem: string } }> }>;
}

describe.concurrent('a choice the RFCs allow passes the requirement it touches', () => {
  for (const choice of CHOICES) {
    test.skipIf(choice.needs === 'chromium' && !findChromium())(choice.what, async ({ expect }) => {
      const folder = scratchDir('fsts-choice-');
      cpSync(stagePaths(findStage(choice.stage)!).solutionDir, folder, { recursive: true });
      for (const [file, from, to] of choice.patches) {
        const full = path.join(folder, file);
        const source = readFileSync(full, 'utf8');
        expect(source.includes(from), `the patch for "${choice.what}" no longer applies to ${file}: update it to the solution's current code`).toBe(true);
        writeFileSync(full, source.replace(from, to));
      }
      const result = await runCli(['check', String(choice.stage), '--entry', path.join(folder, 'server.ts'), '--json'], { timeoutMs: 240_000 });
      const report = JSON.parse(result.stdout) as JsonReport;
      const requirements = report.stages.find((s) => s.id === choice.stage)?.requirements ?? [];
      for (const name of choice.passes) {
        const requirement = requirements.find((r) => r.name === name);
        expect(requirement, `no requirement named "${name}" in stage ${choice.stage}`).toBeDefined();
        expect(requirement!.state, `"${choice.what}" failed "${name}": ${requirement!.failure?.problem}`).toBe('passed');
      }
      for (const name of choice.fails ?? []) {
        expect(requirements.find((r) => r.name === name)?.state, `"${choice.what}" slipped through "${name}"`).toBe('failed');
      }
    }, 300_000);
  }
});
