/**
 * The suite runner's pool (checker/core/warm-threads.ts): a thread prepared between runs is the
 * one the next run gets, a thread prepared for other settings is not, and a prepared thread that
 * is never used is stopped. The pool starts a stand-in for vitest's worker script that only
 * notes each thread it runs in.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import type { PoolOptions } from 'vitest/node';
import { warmThreads } from '../core/warm-threads.ts';
import { scratchDir } from './scratch.ts';

function standIn() {
  const distPath = scratchDir('fsts-warm-threads-');
  const log = path.join(distPath, 'threads.log');
  mkdirSync(path.join(distPath, 'workers'));
  writeFileSync(path.join(distPath, 'workers', 'threads.js'), [
    "import { appendFileSync, existsSync } from 'node:fs';",
    "import { parentPort, threadId } from 'node:worker_threads';",
    'appendFileSync(process.env.THREAD_LOG, `${threadId}\\n`);',
    "if (existsSync(process.env.THREAD_LOG + '.crash')) throw new Error('a thread that fails as it starts');",
    "parentPort.on('message', () => parentPort.postMessage(threadId));",
    // A heartbeat, so a test can tell whether any of these threads is still running.
    "setInterval(() => appendFileSync(process.env.THREAD_LOG + '.beats', '.'), 10);",
  ].join('\n'));
  const options = (env: Record<string, string> = {}) => ({
    distPath,
    env: { THREAD_LOG: log, ...env },
    execArgv: [],
    project: { vitest: { logger: { outputStream: new PassThrough(), errorStream: new PassThrough() } } },
  }) as unknown as PoolOptions;
  const started = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  const beats = () => (existsSync(`${log}.beats`) ? readFileSync(`${log}.beats`, 'utf8').length : 0);
  const crashing = (on: boolean) => (on ? writeFileSync(`${log}.crash`, '') : rmSync(`${log}.crash`));
  return { options, started, beats, crashing };
}

/** Start a pool worker, ask its thread which it is, stop it. */
async function oneRun(worker: ReturnType<ReturnType<typeof warmThreads>['createPoolWorker']>): Promise<string> {
  await worker.start();
  const id = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the run\'s thread never answered')), 3000);
    worker.on('message', (threadId) => {
      clearTimeout(timer);
      resolve(String(threadId));
    });
    worker.send({} as never);
  });
  await worker.stop();
  return id;
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
};

test('the next run gets the thread prepared after the last one, already started', async () => {
  const { options, started } = standIn();
  const pool = warmThreads();
  const first = await oneRun(pool.createPoolWorker(options()));
  pool.prepare();
  await until(() => started().length === 2);
  expect(started()).toHaveLength(2);
  const second = await oneRun(pool.createPoolWorker(options()));
  expect(second).not.toBe(first);
  // No thread was started for the second run: it ran in the prepared one.
  expect(started()).toEqual([first, second]);
});

test('a thread prepared for other settings is stopped, and the run gets a thread of its own', async () => {
  const { options, started } = standIn();
  const pool = warmThreads();
  await oneRun(pool.createPoolWorker(options()));
  pool.prepare();
  await until(() => started().length === 2);
  const other = await oneRun(pool.createPoolWorker(options({ NODE_ENV: 'other' })));
  expect(started()).toHaveLength(3);
  expect(started().at(-1)).toBe(other);
});

test('without prepare, each run starts its thread; discard stops a prepared one', async () => {
  const { options, started, beats } = standIn();
  const pool = warmThreads();
  await oneRun(pool.createPoolWorker(options()));
  await oneRun(pool.createPoolWorker(options()));
  expect(started()).toHaveLength(2);
  pool.prepare();
  await until(() => started().length === 3);
  const beating = beats();
  await until(() => beats() > beating);
  expect(beats()).toBeGreaterThan(beating);
  await pool.discard();
  const stopped = beats();
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(beats()).toBe(stopped);
});

test('a prepared thread that failed while it waited is not handed to the next run', async () => {
  const { options, started, crashing } = standIn();
  const pool = warmThreads();
  await oneRun(pool.createPoolWorker(options()));
  crashing(true);
  pool.prepare();
  await until(() => started().length === 2);
  // Time for the thread to fail and end after it logged its start.
  await new Promise((resolve) => setTimeout(resolve, 500));
  crashing(false);
  const next = await oneRun(pool.createPoolWorker(options()));
  expect(started()).toHaveLength(3);
  expect(started().at(-1)).toBe(next);
});
