/**
 * The CLI as a learner meets it without a terminal (CI, a pipe): no prompts, plain text,
 * exit codes that mean something, and a workspace that never loses their code.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { stagePaths, stages } from '../core/stages.ts';
import { runCli, tempWorkspace } from './run-cli.ts';

const [first, second] = stages;
const starterEntry = (n: 0 | 1) => path.join(stagePaths(stages[n]).starterDir, 'server.ts');
const read = (file: string) => readFileSync(file, 'utf8');

describe('calling the CLI wrongly', () => {
  test('help lists every command, exit 0', async () => {
    const result = await runCli(['help']);
    expect(result.code).toBe(0);
    for (const name of ['lesson', 'check', 'hint', 'list', 'solution']) expect(result.stdout).toContain(`npm run ${name}`);
  });

  test('an unknown command: exit 2 and the way to the list', async () => {
    const result = await runCli(['chekc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('There is no command "chekc". Did you mean npm run check? Run npm run help');
  });

  test('an unknown stage number: exit 2, saying which stages exist', async () => {
    const result = await runCli(['check', '99']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`There is no stage "99". The stages are numbered 1 to ${stages.length}`);
  });

  test('an unknown option: exit 2', async () => {
    const result = await runCli(['check', '--wacth']);
    expect(result.code).toBe(2);
    // Not parseArgs's own words, which would tell a learner to put --wacth after "--".
    expect(result.stderr).toMatch(/^Unknown option --wacth\. Did you mean --watch\? Run npm run help/);
    const far = await runCli(['check', '--zzzz']);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/^Unknown option --zzzz\. Run npm run help/);
  });

  test('check with no workspace yet: exit 1, naming the command that creates it', async () => {
    const result = await runCli(['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/There is no code for stage 1 yet .* Run npm run lesson 1 to create it\./);
  });

  test('an --entry that does not exist: exit 1', async () => {
    const result = await runCli(['check', '1', '--entry', 'no/such/server.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no/such/server.ts does not exist');
  });
});

describe('lessons and the workspace', () => {
  test('lesson without a number and without a terminal prints the list instead of a menu', async () => {
    const result = await runCli(['lesson']);
    expect(result.code).toBe(0);
    for (const stage of stages) expect(result.stdout).toContain(stage.title);
  });

  test('lesson 1 prints the lesson and creates the folder from the starter', async () => {
    const workspace = tempWorkspace();
    const result = await runCli(['lesson', '1'], { workspace });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(first!.title.toUpperCase());
    expect(result.stdout).toMatch(/01-listen[\\/]server\.ts\. Edit it, then run npm run check/);
    expect(read(path.join(workspace, '01-listen', 'server.ts'))).toBe(read(starterEntry(0)));
    expect(JSON.parse(read(path.join(workspace, 'progress.json')))).toMatchObject({ current: 1 });
  });

  test('opening a lesson again leaves the learner\'s code exactly as it was', async () => {
    const workspace = tempWorkspace();
    await runCli(['lesson', '1', '--quiet'], { workspace });
    writeFileSync(path.join(workspace, '01-listen', 'server.ts'), '// my own work\n');
    const result = await runCli(['lesson', '1', '--quiet'], { workspace });
    expect(result.stdout).toContain('left exactly as it was');
    expect(read(path.join(workspace, '01-listen', 'server.ts'))).toBe('// my own work\n');
  });

  test('a passed check is saved, names the next lesson, and the next lesson starts from the learner\'s own code', async () => {
    const workspace = tempWorkspace();
    mkdirSync(path.join(workspace, '01-listen'));
    const mine = `${read(stagePaths(first!).solutionEntry)}\n// written by the learner\n`;
    writeFileSync(path.join(workspace, '01-listen', 'server.ts'), mine);
    const check = await runCli(['check', '1'], { workspace });
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toContain(`Next: npm run lesson 2 — ${second!.title}.`);
    expect(check.stdout).toContain('npm run solution 1');
    expect(JSON.parse(read(path.join(workspace, 'progress.json')))).toMatchObject({ passed: [1] });

    const lesson = await runCli(['lesson', '2', '--quiet'], { workspace });
    expect(lesson.stdout).toContain('from your own stage 1 code, which passed');
    expect(read(path.join(workspace, '02-first-response', 'server.ts'))).toBe(mine);
  });

  test('a check of someone else\'s file (--entry) never marks the learner\'s progress', async () => {
    const workspace = tempWorkspace();
    const result = await runCli(['check', '1', '--entry', stagePaths(first!).solutionEntry], { workspace });
    expect(result.code).toBe(0);
    expect(existsSync(path.join(workspace, 'progress.json'))).toBe(false);
  });

  test('jumping ahead without a terminal needs --catch-up: the starter holds the previous stage\'s reference solution', async () => {
    const workspace = tempWorkspace();
    const refused = await runCli(['lesson', '2', '--quiet'], { workspace });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Lesson 2 was not set up[\s\S]*npm run lesson 2 -- --catch-up/);
    expect(existsSync(path.join(workspace, '02-first-response'))).toBe(false);
    const result = await runCli(['lesson', '2', '--quiet', '--catch-up'], { workspace });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('reference solution of stage 1, with TODOs');
    expect(read(path.join(workspace, '02-first-response', 'server.ts'))).toBe(read(starterEntry(1)));
  });

  test('catch-up moves the learner\'s code to a backup it names, and deletes nothing', async () => {
    const workspace = tempWorkspace();
    await runCli(['lesson', '2', '--quiet', '--catch-up'], { workspace });
    writeFileSync(path.join(workspace, '02-first-response', 'server.ts'), '// half-done work\n');
    writeFileSync(path.join(workspace, '02-first-response', 'notes.md'), 'my notes\n');
    const result = await runCli(['lesson', '2', '--quiet', '--catch-up'], { workspace });
    expect(result.code).toBe(0);
    const backups = readdirSync(path.join(workspace, 'backups'));
    expect(backups).toHaveLength(1);
    expect(result.stdout).toContain(backups[0]);
    expect(read(path.join(workspace, 'backups', backups[0]!, 'server.ts'))).toBe('// half-done work\n');
    expect(read(path.join(workspace, 'backups', backups[0]!, 'notes.md'))).toBe('my notes\n');
    expect(read(path.join(workspace, '02-first-response', 'server.ts'))).toBe(read(starterEntry(1)));

    await runCli(['lesson', '2', '--quiet', '--catch-up'], { workspace });
    expect(readdirSync(path.join(workspace, 'backups'))).toHaveLength(2);
  });

  test('reset puts a lesson folder back as the lesson made it, after moving the code to a backup it names', async () => {
    const workspace = tempWorkspace();
    await runCli(['lesson', '1', '--quiet'], { workspace });
    const entry = path.join(workspace, '01-listen', 'server.ts');
    writeFileSync(entry, '// my attempt\n');
    const result = await runCli(['reset', '1'], { workspace });
    expect(result.code).toBe(0);
    const backups = readdirSync(path.join(workspace, 'backups'));
    expect(backups).toHaveLength(1);
    expect(result.stdout).toContain(backups[0]);
    expect(result.stdout).toContain('back to how npm run lesson 1 made it: the lesson\'s starter files');
    expect(read(path.join(workspace, 'backups', backups[0]!, 'server.ts'))).toBe('// my attempt\n');
    expect(read(entry)).toBe(read(starterEntry(0)));
    const missing = await runCli(['reset', '3'], { workspace });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('npm run lesson 3');
  });

  test('next opens the lesson after the last one passed', async () => {
    const workspace = tempWorkspace();
    mkdirSync(path.join(workspace, '01-listen'));
    writeFileSync(path.join(workspace, '01-listen', 'server.ts'), read(stagePaths(first!).solutionEntry));
    expect((await runCli(['check', '1'], { workspace })).code).toBe(0);
    const result = await runCli(['next', '--quiet'], { workspace });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('from your own stage 1 code, which passed');
    expect(existsSync(path.join(workspace, '02-first-response', 'server.ts'))).toBe(true);
    expect(JSON.parse(read(path.join(workspace, 'progress.json')))).toMatchObject({ current: 2 });
  });

  test('a corrupted progress file is rebuilt, never a crash', async () => {
    const workspace = tempWorkspace();
    cpSync(stagePaths(first!).starterDir, path.join(workspace, '01-listen'), { recursive: true });
    cpSync(stagePaths(second!).starterDir, path.join(workspace, '02-first-response'), { recursive: true });
    writeFileSync(path.join(workspace, 'progress.json'), '{"current": "two", "passed": [1, ');
    const list = await runCli(['list'], { workspace });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/→\s+2\s+First response/);
    const hint = await runCli(['hint'], { workspace });
    expect(hint.code).toBe(0);
    expect(JSON.parse(read(path.join(workspace, 'progress.json')))).toMatchObject({ current: 2, hintsShown: { 2: 1 } });
  });
});

describe('hints and the reference solution', () => {
  test('hints come one at a time, least revealing first', async () => {
    const workspace = tempWorkspace();
    // Hints are wrapped to the terminal's width: compare them with every run of spaces as one.
    const words = (text: string) => text.replace(/\s+/g, ' ');
    const once = words((await runCli(['hint', '2'], { workspace })).stdout);
    expect(once).toContain(words(second!.hints[0]!));
    expect(once).not.toContain(words(second!.hints[1]!));
    const twice = words((await runCli(['hint', '2'], { workspace })).stdout);
    expect(twice).toContain(words(second!.hints[1]!));
    const all = words((await runCli(['hint', '2', '--all'], { workspace })).stdout);
    expect(all).toContain(words(second!.hints.at(-1)!));
    expect(all).toContain('That was the last of');
  });

  test('the reference solution stays locked until the stage passes', async () => {
    const workspace = tempWorkspace();
    await runCli(['lesson', '1', '--quiet'], { workspace });
    const locked = await runCli(['solution', '1'], { workspace });
    expect(locked.code).toBe(1);
    expect(locked.stdout).toContain('unlocks when your code passes it');

    writeFileSync(path.join(workspace, 'progress.json'), JSON.stringify({ current: 1, passed: [1], hintsShown: {} }));
    const diff = await runCli(['solution', '1'], { workspace });
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/--- yours\/server\.ts\n\+\+\+ reference\/server\.ts/);
  });
});

describe('watch mode', () => {
  test('re-checks after a save, and Ctrl-C stops it with exit 130 and no server left behind', async () => {
    const { spawn } = await import('node:child_process');
    const { REPO_ROOT } = await import('../core/paths.ts');
    const { serversStartedBy } = await import('./run-cli.ts');
    const workspace = tempWorkspace();
    const folder = path.join(workspace, '01-listen');
    mkdirSync(folder);
    const entry = path.join(folder, 'server.ts');
    writeFileSync(entry, read(stagePaths(first!).solutionEntry));
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'checker', 'launch.mjs'), 'check', '1', '--watch'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '1', FSTS_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const reports = () => output.split('Watching for changes').length - 1;
    const waitFor = async (n: number) => {
      for (let i = 0; i < 600 && reports() < n; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reports(), output).toBeGreaterThanOrEqual(n);
    };
    await waitFor(1);
    expect(output).toContain('✓ Stage 1 passes');
    writeFileSync(entry, read(starterEntry(0)));
    await waitFor(2);
    expect(output.split('Watching for changes')[1]).toContain('✗');
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(await serversStartedBy(child.pid)).toEqual([]);
  });
});
