/**
 * The checker against misbehaving servers (checker/test/scenarios/). Each scenario runs through
 * the real CLI; what a learner would see is compared with a recorded file in fixtures/
 * (normalised for ports, paths and times; refresh with `npx vitest run -u` after a deliberate
 * change, and read the diff). After every scenario, no process is left running.
 */
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { runCli, serversStartedBy } from './run-cli.ts';
import { scratchDir } from './scratch.ts';

interface Scenario {
  file: string;
  stage: number;
  /** What the recorded output must say, checked even when fixtures are refreshed. */
  says: RegExp;
  extraArgs?: string[];
}

const SCENARIOS: Scenario[] = [
  { file: 'exits-at-once.ts', stage: 1, says: /exited \(exit code 3\) before it listened[\s\S]*Could not read config\.json/ },
  { file: 'never-listens.ts', stage: 1, says: /nothing listened on port PORT within 2 s[\s\S]*process\.env\.PORT/, extraArgs: ['--listen-timeout', '2'] },
  { file: 'hard-coded-port.ts', stage: 2, says: /listens on port 8000, but the checker started it with PORT=PORT/ },
  { file: 'never-answers.ts', stage: 2, says: /No response arrived within 3 s[\s\S]*not checked: your server stopped answering/ },
  { file: 'writes-garbage.ts', stage: 2, says: /does not start with "HTTP\/"[\s\S]*\\0/ },
  { file: 'closes-mid-response.ts', stage: 2, says: /Content-Length says 100 bytes, but the connection closed after 7 body bytes/ },
  { file: 'crashes-on-request.ts', stage: 2, says: /Your server stopped during the check \(exit code 1\)[\s\S]*TypeError: Cannot handle GET/ },
  { file: 'uses-node-http.ts', stage: 2, says: /built on node:http/ },
  { file: 'lf-line-endings.ts', stage: 2, says: /bare LF[\s\S]*\^[\s\S]*CR LF/ },
  { file: 'content-length-in-characters.ts', stage: 2, says: /Content-Length counts bytes, not characters/ },
  { file: 'answers-first-chunk.ts', stage: 2, says: /already answered[\s\S]*one 'data' event can hold part of a request/ },
  { file: 'closes-server-after-one.ts', stage: 1, says: /a later one was refused[\s\S]*server\.close\(\)/ },
];

/** Make output comparable between runs: ephemeral ports, absolute paths, Node's own stack frames. */
export function normalise(output: string): string {
  return output
    .replaceAll(REPO_ROOT, '<course>')
    // The slow-start notice depends on how busy the machine is.
    .replace(/^Waiting for your server to listen on port \d+…\n/m, '')
    .replace(/(127\.0\.0\.1:|port |PORT=)(?!8000\b)\d{2,5}/g, '$1PORT')
    .replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT/g, '<date>')
    .replace(/^(\s*│\s+at ).*$/gm, '$1…')
    .replace(/(^\s*│\s+at …\n)+/gm, (frames) => frames.split('\n')[0] + '\n')
    // Node versions differ in how many blank lines they print around an uncaught error.
    .replace(/(^ *│ *\n)+/gm, (blanks) => blanks.split('\n')[0] + '\n')
    .replace(/Node\.js v[\d.]+/g, 'Node.js vX')
    .replace(/node:[\w/]+:\d+(:\d+)?/g, 'node:internal');
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

describe.concurrent('the checker explains a misbehaving server, and leaves nothing running', () => {
  for (const scenario of SCENARIOS) {
    test(scenario.file.replace(/\.ts$/, ''), async ({ expect }) => {
      if (scenario.file === 'hard-coded-port.ts' && !(await portIsFree(8000))) {
        throw new Error('Port 8000 is in use on this machine, so the hard-coded-port scenario cannot run. Free it and run again.');
      }
      const entry = path.join('checker', 'test', 'scenarios', scenario.file);
      const result = await runCli(['check', String(scenario.stage), '--entry', entry, ...(scenario.extraArgs ?? [])]);
      const output = normalise(result.stdout + result.stderr);
      expect(result.code, output).toBe(1);
      expect(output).toMatch(scenario.says);
      await expect(output).toMatchFileSnapshot(path.join('fixtures', scenario.file.replace(/\.ts$/, '.txt')));
      expect(await serversStartedBy(result.pid)).toEqual([]);
    });
  }

  test('a syntax error in the learner\'s file', async ({ expect }) => {
    const folder = scratchDir('fsts-syntax-');
    const entry = path.join(folder, 'server.ts');
    writeFileSync(entry, "import net from 'node:net';\nconst port = Number(process.env.PORT ?? 8000;\nnet.createServer().listen(port);\n");
    const result = await runCli(['check', '1', '--entry', entry]);
    const output = normalise((result.stdout + result.stderr).replaceAll(folder, '<folder>'));
    expect(result.code).toBe(1);
    expect(output).toMatch(/has a syntax error[\s\S]*server\.ts:2:44: Expected "\)" but found ";"[\s\S]*> 2 \| const port/);
    expect(output, 'the stack of esbuild and Node internals is left out').not.toMatch(/node:internal|TransformError|triggerUncaughtException/);
    await expect(output).toMatchFileSnapshot(path.join('fixtures', 'syntax-error.txt'));
  });
});
