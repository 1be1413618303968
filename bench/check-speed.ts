/**
 * How long a learner waits for `npm run check`, side by side with a bare `vitest run` of one
 * trivial test file, in the same invocation; and how long watch mode takes to re-check after
 * a save. Medians of several passes. Writes nothing: copy the printed table into
 * bench/results.md with the machine it ran on.
 *
 * Run: npx tsx bench/check-speed.ts [passes=7]
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../checker/core/paths.ts';

const passes = Number(process.argv[2] ?? 7);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'fsts-bench-'));
const vitestBin = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const launch = path.join(REPO_ROOT, 'checker', 'launch.mjs');
const env = { ...process.env, NO_COLOR: '1', CI: '1', FSTS_WORKSPACE: path.join(scratch, 'workspace') };

function timed(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, env, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return performance.now() - started;
}

/** Start watch mode on a copy of solution 2, touch the file, and time until the report is out. */
async function watchRecheck(): Promise<number> {
  const folder = path.join(scratch, 'workspace', '02-first-response');
  mkdirSync(folder, { recursive: true });
  cpSync(path.join(REPO_ROOT, 'solutions', '02-first-response'), folder, { recursive: true });
  writeFileSync(path.join(scratch, 'workspace', 'progress.json'), JSON.stringify({ current: 2, passed: [1], hintsShown: {} }));
  const child = spawn(process.execPath, [launch, 'check', '2', '--watch'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const reports = () => output.split('Watching for changes').length - 1;
  const waitForReport = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (reports() >= n ? resolve() : setTimeout(check, 5));
      check();
    });
  child.stdout.on('data', (chunk) => (output += chunk));
  await waitForReport(1);
  // A save a second after the report, as a person makes one: by then the server process and the
  // worker thread that watch mode starts after each report (0.4 s to start here) are ready.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const entry = path.join(folder, 'server.ts');
  const started = performance.now();
  writeFileSync(entry, readFileSync(entry)); // a save, as an editor makes it
  await waitForReport(2);
  const elapsed = performance.now() - started;
  child.kill('SIGINT');
  await new Promise((resolve) => child.once('close', resolve));
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: Record<string, number[]> = { bare: [], check2: [], check5: [], watch: [] };
for (let pass = 0; pass < passes; pass++) {
  rows.bare!.push(timed([vitestBin, 'run', '--root', path.join(REPO_ROOT, 'bench', 'fixtures'), '--config', path.join(REPO_ROOT, 'bench', 'fixtures', 'vitest.config.ts')]));
  rows.check2!.push(timed([launch, 'check', '2', '--entry', path.join(REPO_ROOT, 'solutions', '02-first-response', 'server.ts')]));
  rows.check5!.push(timed([launch, 'check', '5', '--entry', path.join(REPO_ROOT, 'solutions', '05-not-modified', 'server.ts')]));
  rows.watch!.push(await watchRecheck());
}
const bare = median(rows.bare!);
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${passes} passes`);
console.log('| what | median | × bare vitest |');
console.log('|---|---|---|');
for (const [name, label] of [['bare', 'bare `vitest run` of one trivial file'], ['check2', '`npm run check 2` (suites 2, 1)'], ['check5', '`npm run check 5` (suites 5…1)'], ['watch', 'watch mode: save → report printed (stage 2)']] as const) {
  const value = median(rows[name]!);
  console.log(`| ${label} | ${(value / 1000).toFixed(2)} s | ${(value / bare).toFixed(2)} |`);
}
rmSync(scratch, { recursive: true, force: true });
