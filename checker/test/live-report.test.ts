/**
 * The report is printed while the check runs (checker/ui/live-report.ts): a stage's verdict
 * arrives as soon as its suite is done, before the earlier stages have been checked; in a
 * terminal a status line says what runs now, and it is gone once the report is complete; piped,
 * nothing is redrawn.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { findStage, stagePaths } from '../core/stages.ts';
import { tempWorkspace } from './run-cli.ts';

const LAUNCH = path.join(REPO_ROOT, 'checker', 'launch.mjs');
const CLEAR_LINE = '\r\x1b[2K';

/** Run a command and keep its output as the pieces it arrived in. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; pieces: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...env, FSTS_WORKSPACE: tempWorkspace() }, stdio: ['ignore', 'pipe', 'pipe'] });
    const pieces: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (piece: string) => pieces.push(piece));
    child.stderr.resume();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within 60 s`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, pieces });
    });
  });
}

const entry = (id: number) => path.relative(REPO_ROOT, stagePaths(findStage(id)!).solutionEntry);

describe.concurrent('the report as the check runs', () => {
  test('piped: the current stage\'s verdict comes before the earlier stages are checked, and nothing is redrawn', async ({ expect }) => {
    const { code, pieces } = await run(process.execPath, [LAUNCH, 'check', '3', '--entry', entry(3)], { ...process.env, CI: '1', NO_COLOR: '1' });
    expect(code).toBe(0);
    const verdict = pieces.findIndex((piece) => piece.includes('✓ Stage 3 passes ('));
    const earliest = pieces.findIndex((piece) => piece.includes('Stage 1 · Listen'));
    expect(verdict).toBeGreaterThanOrEqual(0);
    // Printed as a piece of its own, while stages 2 and 1 were still to be checked.
    expect(earliest).toBeGreaterThan(verdict);
    expect(pieces.join('')).not.toContain(CLEAR_LINE);
  });

  test.runIf(process.platform === 'linux')('in a terminal: a status line names the stage, the count and the running requirement, and is cleared at the end', async ({ expect }) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', COLUMNS: '100' };
    delete env.CI;
    // script(1) runs the command in a pseudo-terminal, as a learner's terminal would.
    const command = `${process.execPath} ${LAUNCH} check 2 --entry ${entry(2)}`;
    const { code, pieces } = await run('script', ['-qec', command, '/dev/null'], env);
    expect(code).toBe(0);
    const output = pieces.join('');
    expect(output).toContain(CLEAR_LINE);
    expect(output).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Stage 2 · \d\/7 · [a-z]/);
    // What the screen shows at the end: each line as it was last drawn. No status line is left.
    const screen = output.split('\n').map((line) => line.split(CLEAR_LINE).at(-1)!.replace(/\r$/, ''));
    expect(screen.some((line) => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /.test(line))).toBe(false);
    expect(screen).toContain('✓ Stage 2 passes (7/7)');
  });
});
