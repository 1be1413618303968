/**
 * Watch mode as a learner uses it (checker/commands/check-watch.ts): polling where file events do
 * not arrive, and in a terminal the keys — h hint, l list, n next lesson after a pass, q quit —
 * with each run on a clean screen. (cli.test.ts covers a re-check after a save and Ctrl-C.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { describe, test } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { stagePaths, stages } from '../core/stages.ts';
import { serversStartedBy, tempWorkspace } from './run-cli.ts';

const LAUNCH = path.join(REPO_ROOT, 'checker', 'launch.mjs');
const [first, second] = stages;

/** A workspace whose lesson 1 folder holds the stage 1 reference solution. */
function workspaceWithStageOne(): { workspace: string; entry: string } {
  const workspace = tempWorkspace();
  const folder = path.join(workspace, path.basename(stagePaths(first!).workspaceDir));
  mkdirSync(folder);
  const entry = path.join(folder, 'server.ts');
  writeFileSync(entry, readFileSync(stagePaths(first!).solutionEntry));
  return { workspace, entry };
}

function collect(child: ChildProcess): { text: () => string } {
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (piece: string) => (output += piece));
  child.stderr!.setEncoding('utf8').on('data', (piece: string) => (output += piece));
  return { text: () => output };
}

async function until(condition: () => boolean, what: string, output: () => string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await sleep(50);
  if (!condition()) throw new Error(`Waited 20 s for ${what}. Output so far:\n${output()}`);
}

describe.concurrent('watch mode', () => {
  test('--poll re-checks after a save without file events', async ({ expect }) => {
    const { workspace, entry } = workspaceWithStageOne();
    const child = spawn(process.execPath, [LAUNCH, 'check', '1', '--watch', '--poll'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '1', FSTS_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collect(child);
    const reports = () => output.text().split('Watching for changes').length - 1;
    try {
      await until(() => reports() >= 1, 'the first report', output.text);
      expect(output.text()).toContain('looked at every half second');
      writeFileSync(entry, 'import net from "node:net";\nnet.createServer((s) => s.destroy()).listen(Number(process.env.PORT));\n');
      await until(() => reports() >= 2, 'a re-check after the save', output.text);
      expect(output.text().split('Watching for changes')[1]).toContain('✗');
    } finally {
      const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.kill('SIGINT');
      expect(await exit).toBe(130);
    }
    expect(await serversStartedBy(child.pid)).toEqual([]);
  });

  test.runIf(process.platform === 'linux')('in a terminal: h, l, n and q, each run on a clean screen', async ({ expect }) => {
    const { workspace } = workspaceWithStageOne();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FSTS_WORKSPACE: workspace, COLUMNS: '100' };
    delete env.CI;
    // script(1) gives the checker a pseudo-terminal, and passes on what we type.
    const child = spawn('script', ['-qec', `${process.execPath} ${LAUNCH} check --watch`, '/dev/null'], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const output = collect(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      await until(() => output.text().includes('n open lesson 2'), 'the keys after a pass', output.text);
      expect(output.text()).toContain('\x1b[2J');
      child.stdin!.write('h');
      await until(() => output.text().includes('hints 1 of'), 'a hint', output.text);
      child.stdin!.write('l');
      await until(() => output.text().includes('Open a lesson with'), 'the list', output.text);
      child.stdin!.write('n');
      await until(() => output.text().includes(`Checking stage 2 · ${second!.title}`), 'the next lesson\'s check', output.text);
      await until(() => output.text().split('Watching for changes').length - 1 >= 4, 'its report', output.text);
      expect(existsSync(path.join(workspace, path.basename(stagePaths(second!).workspaceDir), 'server.ts'))).toBe(true);
      expect(output.text()).toMatch(/Now watching .*02-first-response/);
      child.stdin!.write('q');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      // The last check was of stage 2, with stage 1's code: a failure.
      expect(code).toBe(1);
    } finally {
      clearTimeout(timer);
      child.kill('SIGKILL');
    }
  });
});
