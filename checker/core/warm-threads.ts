/**
 * A vitest pool that runs suites in worker threads, as vitest's own 'threads' pool does, but can
 * start the next run's thread ahead of time. vitest starts a new thread for every run, even in a
 * long-lived instance, and a thread takes about 0.15 s to boot (bench/results.md). Watch mode
 * asks for the next thread as soon as a re-check is printed, so it has booted by the time the
 * learner saves again.
 *
 * Built on vitest's custom pool API, experimental in vitest 4: package-lock.json pins the version
 * it was written against, and the kit's tests run every check through it.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from 'vitest/node';

const NAME = 'warm-threads';

export interface WarmThreads extends PoolRunnerInitializer {
  /** Start the thread for the next run now, like the last run's. */
  prepare(): void;
  /** Stop a thread that was prepared and never used. */
  discard(): Promise<void>;
}

interface ThreadSpec {
  entrypoint: string;
  env: PoolOptions['env'];
  execArgv: string[];
}

export function warmThreads(): WarmThreads {
  let last: ThreadSpec | undefined;
  let spare: { spec: ThreadSpec; thread: Worker } | undefined;

  const take = (spec: ThreadSpec): Worker => {
    const ready = spare && isDeepStrictEqual(spare.spec, spec) ? spare.thread : undefined;
    if (!ready) void spare?.thread.terminate();
    spare = undefined;
    last = spec;
    const thread = ready ?? startThread(spec);
    thread.ref();
    return thread;
  };

  return {
    name: NAME,
    createPoolWorker: (options) => new WarmThread(options, take),
    prepare() {
      if (spare || !last) return;
      const thread = startThread(last);
      // A prepared thread never keeps the checker running.
      thread.unref();
      spare = { spec: last, thread };
      // One that failed while it waited is not handed to a run, whose start would then wait in vain.
      const forget = () => {
        if (spare?.thread === thread) spare = undefined;
      };
      thread.once('error', forget);
      thread.once('exit', forget);
    },
    async discard() {
      const thread = spare?.thread;
      spare = undefined;
      await thread?.terminate();
    },
  };
}

function startThread({ entrypoint, env, execArgv }: ThreadSpec): Worker {
  return new Worker(entrypoint, { env, execArgv, stdout: true, stderr: true });
}

/** One run's worker: vitest's ThreadsPoolWorker, except that its thread may already be running. */
class WarmThread implements PoolWorker {
  readonly name = NAME;
  private thread: Worker | undefined;
  private readonly spec: ThreadSpec;
  private readonly take: (spec: ThreadSpec) => Worker;
  private readonly stdout: NodeJS.WritableStream & { getMaxListeners(): number; setMaxListeners(n: number): unknown };
  private readonly stderr: NodeJS.WritableStream & { getMaxListeners(): number; setMaxListeners(n: number): unknown };

  constructor(options: PoolOptions, take: (spec: ThreadSpec) => Worker) {
    this.take = take;
    // The file vitest's own threads pool runs: the test runner's side of its protocol.
    this.spec = { entrypoint: path.resolve(options.distPath, 'workers/threads.js'), env: options.env, execArgv: options.execArgv };
    this.stdout = options.project.vitest.logger.outputStream as typeof this.stdout;
    this.stderr = options.project.vitest.logger.errorStream as typeof this.stderr;
  }

  async start(): Promise<void> {
    this.thread ??= this.take(this.spec);
    // Many runs pipe into the same streams over a watch session: as vitest does, allow for it.
    for (const [from, to] of [[this.thread.stdout, this.stdout], [this.thread.stderr, this.stderr]] as const) {
      to.setMaxListeners(to.getMaxListeners() + 1);
      from.pipe(to);
    }
  }

  async stop(): Promise<void> {
    const thread = this.running();
    await thread.terminate();
    for (const [from, to] of [[thread.stdout, this.stdout], [thread.stderr, this.stderr]] as const) {
      from.unpipe(to);
      to.setMaxListeners(to.getMaxListeners() - 1);
    }
    this.thread = undefined;
  }

  send(message: WorkerRequest): void {
    this.running().postMessage(message);
  }

  on(event: string, callback: (arg: unknown) => void): void {
    this.running().on(event, callback);
  }

  off(event: string, callback: (arg: unknown) => void): void {
    this.running().off(event, callback);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  private running(): Worker {
    if (!this.thread) throw new Error('The suite runner\'s worker thread was used before it started or after it stopped.');
    return this.thread;
  }
}
