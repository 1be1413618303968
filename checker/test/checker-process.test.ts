/**
 * The checker's own handling of what it starts and what it leaves: a server that hands its port
 * to a process outside its group, floods its output without a newline, or deletes the folder it
 * serves; a workspace that cannot be written; a damaged progress file; the fixture folder of a
 * checker that was killed outright. Each gets a plain sentence and nothing left behind — never
 * a crash, a hang or a silent loss.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'vitest';
import { canConnect } from '../core/port-probe.ts';
import { CHECKER_MARK } from '../core/port-holders.ts';
import { stagePaths, stages } from '../core/stages.ts';
import { runCli, serversStartedBy, tempWorkspace } from './run-cli.ts';

const scenario = (file: string) => path.join('checker', 'test', 'scenarios', file);

/** Processes, anywhere on the machine, that carry the mark of the CLI with this pid. */
function markedBy(cliPid: number | undefined): number[] {
  const marked: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`${CHECKER_MARK}=${cliPid}`)) marked.push(Number(entry));
    } catch {
      // Gone, or not ours.
    }
  }
  return marked;
}

describe.concurrent('what a server leaves behind', () => {
  test.runIf(process.platform === 'linux')('a process the server started outside its group, still listening, is stopped and named', async ({ expect }) => {
    const result = await runCli(['check', '1', '--entry', scenario('leaves-a-listener-behind.ts'), '--json'], { timeoutMs: 60_000 });
    const report = JSON.parse(result.stdout) as { ok: boolean; port: number; leftBehind: Array<{ pid: number; command: string; stopped: boolean }> };
    expect(report.ok).toBe(true);
    expect(report.leftBehind).toHaveLength(1);
    expect(report.leftBehind[0]).toMatchObject({ stopped: true, command: expect.stringContaining('createServer') });
    expect(markedBy(result.pid)).toEqual([]);
    expect(await canConnect(report.port)).toBe(false);
    const text = await runCli(['check', '1', '--entry', scenario('leaves-a-listener-behind.ts')], { timeoutMs: 60_000 });
    expect(text.stdout).toMatch(/a process your server had started \(pid \d+: .*\) was still listening[\s\S]*The checker stopped it/);
    expect(markedBy(text.pid)).toEqual([]);
  });

  test('50 MB of output without a newline is kept as one shortened line', async ({ expect }) => {
    const result = await runCli(['check', '1', '--entry', scenario('prints-without-newline.ts'), '--json'], { timeoutMs: 60_000 });
    const report = JSON.parse(result.stdout) as { ok: boolean; output: Array<{ text: string }> };
    expect(report.ok).toBe(true);
    expect(report.output).toHaveLength(1);
    expect(report.output[0]!.text.length).toBeLessThan(2100);
    expect(report.output[0]!.text).toMatch(/… \(52426800 more characters\)$/);
  });

  test('a server that deletes the folder it serves is told so, and the checker carries on', async ({ expect }) => {
    const result = await runCli(['check', '4', '--entry', scenario('deletes-its-root.ts')], { timeoutMs: 90_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/files the checker had put in the folder your server serves \(ROOT\) disappeared/);
    expect(result.stdout + result.stderr).not.toMatch(/Something went wrong inside the checker|ENOENT|node:internal/);
    expect(await serversStartedBy(result.pid)).toEqual([]);
  });
});

describe.concurrent('the learner\'s progress file', () => {
  const first = stages[0]!;

  /** A workspace holding the stage 1 reference solution as the learner's own code. */
  function workspaceWithStageOne(): string {
    const workspace = tempWorkspace();
    const folder = path.join(workspace, path.basename(stagePaths(first).workspaceDir));
    mkdirSync(folder, { recursive: true });
    copyFileSync(stagePaths(first).solutionEntry, path.join(folder, 'server.ts'));
    return workspace;
  }

  test('a pass that cannot be saved is said so, and still a pass', async ({ expect }) => {
    const workspace = workspaceWithStageOne();
    // A folder where the file's temporary copy goes makes the save fail, even for root.
    mkdirSync(path.join(workspace, 'progress.json.tmp'));
    const result = await runCli(['check', '1'], { workspace, timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Stage 1 passes/);
    expect(result.stderr).toMatch(/Your progress could not be saved in .*progress\.json \(EISDIR\)/);
    expect(result.stdout + result.stderr).not.toMatch(/Something went wrong inside the checker/);
  });

  test('a damaged file is set aside with a message, not silently replaced', async ({ expect }) => {
    const workspace = workspaceWithStageOne();
    writeFileSync(path.join(workspace, 'progress.json'), '{"current": 1, "passed": [1');
    const result = await runCli(['list'], { workspace, timeoutMs: 30_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/progress\.json could not be read, so it was set aside as .*progress\.json\.damaged/);
    expect(readFileSync(path.join(workspace, 'progress.json.damaged'), 'utf8')).toBe('{"current": 1, "passed": [1');
  });
});

test('the fixture folder of a checker that was killed outright is removed by the next check', async ({ expect }) => {
  // The pid of a process that has certainly ended: one that just ran and exited.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const leftover = mkdtempSync(path.join(os.tmpdir(), `fsts-check-${dead}-`));
  writeFileSync(path.join(leftover, 'server-output.log'), 'from a checker that was killed\n');
  const result = await runCli(['check', '1', '--entry', stagePaths(stages[0]!).solutionEntry], { timeoutMs: 60_000 });
  expect(result.code).toBe(0);
  expect(existsSync(leftover)).toBe(false);
});
