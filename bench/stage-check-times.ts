/**
 * How long a learner waits at every stage: for each stage N, `npm run check N` on the stage's
 * reference solution, timed to the moment the stage's own verdict is printed and to the end of
 * the whole check (N and every earlier stage); a watch re-check, from a save to the verdict; and
 * a bare one-file `vitest run`, in the same pass, as the yardstick the targets are written in.
 * Medians of several passes, stages interleaved within a pass so a busy minute hits all alike.
 * Writes nothing: copy the printed table into bench/results.md with the machine it ran on.
 *
 * Run: npx tsx bench/stage-check-times.ts [passes=3] [first stage=1] [last stage=12]
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../checker/core/paths.ts';
import { stageKey, stagePaths, stages, type Stage } from '../checker/core/stages.ts';

const passes = Number(process.argv[2] ?? 3);
const first = Number(process.argv[3] ?? 1);
const last = Number(process.argv[4] ?? stages.length);
const chosen = stages.filter((stage) => stage.id >= first && stage.id <= last);
/** Watch mode is timed where its targets are set: stages 1 to 8. */
const WATCHED = (stage: Stage) => stage.id <= 8;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'fsts-bench-'));
const vitestBin = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const launch = path.join(REPO_ROOT, 'checker', 'launch.mjs');
const env = { ...process.env, NO_COLOR: '1', CI: '1', FSTS_WORKSPACE: path.join(scratch, 'workspace') };

function bare(): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [vitestBin, 'run', '--root', path.join(REPO_ROOT, 'bench', 'fixtures'), '--config', path.join(REPO_ROOT, 'bench', 'fixtures', 'vitest.config.ts')], { cwd: REPO_ROOT, env, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`a bare vitest run exited with ${result.status}`);
  return performance.now() - started;
}

/** One check: milliseconds to the stage's own verdict, and to the end. */
function check(stage: Stage): Promise<{ verdict: number; total: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [launch, 'check', String(stage.id), '--entry', stagePaths(stage).solutionEntry], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    let verdict: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (piece: string) => {
      output += piece;
      verdict ??= output.includes(`✓ Stage ${stage.id} passes (`) ? performance.now() - started : undefined;
    });
    child.on('close', (code) => {
      if (code !== 0 || verdict === undefined) reject(new Error(`check ${stage.id} on its reference solution did not pass:\n${output.slice(-2000)}`));
      else resolve({ verdict, total: performance.now() - started });
    });
  });
}

/** Watch mode on a copy of the solution: a save a second after a report, timed to the stage's verdict. */
async function watchRecheck(stage: Stage): Promise<number> {
  const folder = path.join(scratch, 'workspace', stageKey(stage));
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  cpSync(stagePaths(stage).solutionDir, folder, { recursive: true });
  writeFileSync(path.join(scratch, 'workspace', 'progress.json'), JSON.stringify({ current: stage.id, passed: [], hintsShown: {} }));
  const child = spawn(process.execPath, [launch, 'check', String(stage.id), '--watch'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (piece: string) => (output += piece));
  const verdicts = () => output.split(`✓ Stage ${stage.id} passes (`).length - 1;
  const reports = () => output.split('Watching for changes').length - 1;
  const until = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      const look = () => (condition() ? resolve() : setTimeout(look, 5));
      look();
    });
  await until(() => reports() >= 1);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const entry = path.join(folder, 'server.ts');
  const started = performance.now();
  writeFileSync(entry, readFileSync(entry));
  await until(() => verdicts() >= 2);
  const elapsed = performance.now() - started;
  await until(() => reports() >= 2);
  child.kill('SIGINT');
  await new Promise((resolve) => child.once('close', resolve));
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const bares: number[] = [];
const rows = new Map(chosen.map((stage) => [stage.id, { verdict: [] as number[], total: [] as number[], watch: [] as number[] }]));
for (let pass = 0; pass < passes; pass++) {
  bares.push(bare());
  for (const stage of chosen) {
    const row = rows.get(stage.id)!;
    const { verdict, total } = await check(stage);
    row.verdict.push(verdict);
    row.total.push(total);
    if (WATCHED(stage)) row.watch.push(await watchRecheck(stage));
  }
  console.error(`pass ${pass + 1} of ${passes} done`);
}
rmSync(scratch, { recursive: true, force: true });

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const bareMedian = median(bares);
console.log(`Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${passes} passes; bare vitest run: ${s(bareMedian)}\n`);
console.log('| stage | own verdict | whole check | × bare vitest | watch re-check (save → verdict) |');
console.log('|---|---|---|---|---|');
for (const stage of chosen) {
  const row = rows.get(stage.id)!;
  const total = median(row.total);
  console.log(`| ${stage.id} | ${s(median(row.verdict))} | ${s(total)} | ${(total / bareMedian).toFixed(1)}× | ${row.watch.length ? s(median(row.watch)) : '—'} |`);
}
