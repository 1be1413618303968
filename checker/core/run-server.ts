/**
 * Start a server the way every stage's server is started — its file run by Node with tsx from
 * the course folder, PORT and ROOT in the environment — and wait, with a deadline, until it
 * listens. The process (server-process.mjs) has its own process group so stop() ends it and
 * anything it started, on pass, failure, Ctrl-C or SIGTERM; on Windows taskkill /T does the same.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import net from 'node:net';
import { HOST } from '../http/raw-client.ts';
import { stopLeftBehind, type PortHolder } from './port-holders.ts';
import { canConnect } from './port-probe.ts';
import type { GuardMessage } from './server-guard.ts';
import type { StartMessage } from './server-host.ts';
import { takeServerProcess } from './server-process.mjs';
import { onShutdown } from './shutdown.ts';

const OUTPUT_LIMIT = 400;
/** The longest line of the server's output that is kept whole; the rest of a longer one is counted. */
const LINE_LIMIT = 2000;

function endLine(partial: string, last: string, dropped: number): string {
  const line = partial + last;
  const more = dropped + Math.max(0, line.length - LINE_LIMIT);
  return more === 0 ? line : `${line.slice(0, LINE_LIMIT)}… (${more} more characters)`;
}

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Why a server could not be checked at all. */
export type StartProblem =
  | { kind: 'exited'; exit: Exit }
  | { kind: 'never-listened'; waitedMs: number }
  | { kind: 'wrong-port'; listenedOn: number | undefined }
  | { kind: 'unreachable-address'; address: string }
  | { kind: 'uses-node-http' };

export interface ServerRun {
  readonly port: number;
  readonly pid: number | undefined;
  readonly output: readonly OutputLine[];
  /** Set once the process has exited. */
  readonly exit: Exit | undefined;
  /** Set by stop(): processes still listening on the port after the server's group was stopped. */
  readonly leftBehind: readonly PortHolder[];
  /** Wait up to `timeoutMs` for the process to exit by itself. */
  exited(timeoutMs: number): Promise<Exit | undefined>;
  /** Stop the server and everything it started; safe to call twice. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, HOST, resolve);
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface StartOptions {
  entry: string;
  root: string;
  /** Also append every output line to this file, for suites that read what the server prints. */
  outputFile?: string;
  /** How long the server may take to listen. */
  listenTimeoutMs?: number;
  /** Called once if the server has not listened after a second, so the wait is not silent. */
  onSlowStart?: (port: number) => void;
}

export type StartResult = { ok: true; server: ServerRun } | { ok: false; problem: StartProblem; server: ServerRun };

export async function startServer(options: StartOptions): Promise<StartResult> {
  const port = await freePort();
  const server = new RunningServer(port, options);
  const problem = await server.waitUntilListening(options.listenTimeoutMs ?? 8000, options.onSlowStart);
  if (problem) {
    // A server that listened where it should not usually says so in its listen callback, which
    // runs just after the guard reports; a moment's grace lets the learner see their own words.
    if (problem.kind !== 'exited') await server.exited(300);
    await server.stop();
    return { ok: false, problem, server };
  }
  return { ok: true, server };
}

class RunningServer implements ServerRun {
  readonly port: number;
  readonly output: OutputLine[] = [];
  exit: Exit | undefined;
  leftBehind: PortHolder[] = [];
  private stopped = false;
  private readonly child: ChildProcess;
  private readonly exitPromise: Promise<Exit>;
  private listening: GuardMessage | undefined;
  private onEvent: (() => void) | undefined;
  private readonly forgetShutdown: () => void;
  private outputFile: string | undefined;

  constructor(port: number, options: StartOptions) {
    this.port = port;
    this.outputFile = options.outputFile;
    this.child = takeServerProcess();
    this.forgetShutdown = onShutdown(() => this.killTree('SIGKILL'));
    this.capture('stdout');
    this.capture('stderr');
    this.child.on('message', (message: GuardMessage) => {
      if (message?.type === 'listening') {
        this.listening ??= message;
        this.onEvent?.();
      }
    });
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.onEvent?.();
        resolve(this.exit);
      });
      this.child.once('error', () => {
        this.exit ??= { code: null, signal: null };
        this.onEvent?.();
        resolve(this.exit);
      });
    });
    const start: StartMessage = { type: 'start', entry: options.entry, port, root: options.root };
    // A process that has died meanwhile is reported by its exit event, not by a failed send.
    this.child.send(start, () => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async waitUntilListening(timeoutMs: number, onSlowStart?: (port: number) => void): Promise<StartProblem | undefined> {
    const started = Date.now();
    const slowTimer = setTimeout(() => onSlowStart?.(this.port), 1000);
    try {
      for (;;) {
        if (this.listening) return this.judgeListening(this.listening);
        if (this.exit) return { kind: 'exited', exit: this.exit };
        const waited = Date.now() - started;
        if (waited >= timeoutMs) return { kind: 'never-listened', waitedMs: waited };
        // The guard reports the moment the server listens; probing the port as well covers a
        // server that listens some way the guard cannot see.
        if (waited > 1000 && (await canConnect(this.port))) {
          // On a busy machine the guard's report can trail the open port: give it a moment, so
          // a node:http server or a wrong address is still named for what it is.
          await this.settle(500);
          return this.listening ? this.judgeListening(this.listening) : undefined;
        }
        await this.settle(100);
      }
    } finally {
      clearTimeout(slowTimer);
      this.onEvent = undefined;
    }
  }

  /** Wait until the guard reports or the server exits, for at most `ms`. */
  private async settle(ms: number): Promise<void> {
    if (this.listening || this.exit) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.onEvent = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private judgeListening(message: GuardMessage): StartProblem | undefined {
    if (message.usesNodeHttp) return { kind: 'uses-node-http' };
    if (message.port !== this.port) return { kind: 'wrong-port', listenedOn: message.port };
    const reachable = message.address === undefined || ['0.0.0.0', '::', '127.0.0.1', '::ffff:127.0.0.1'].includes(message.address);
    return reachable ? undefined : { kind: 'unreachable-address', address: message.address! };
  }

  async exited(timeoutMs: number): Promise<Exit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const exit = await Promise.race([this.exitPromise, deadline]);
    clearTimeout(timer);
    return exit;
  }

  async stop(): Promise<void> {
    if (!this.exit) {
      this.killTree('SIGTERM');
      const forced = setTimeout(() => this.killTree('SIGKILL'), 1500);
      await this.exitPromise;
      clearTimeout(forced);
    }
    // Anything the server started in its own group goes too, even after the server itself has gone.
    this.killTree('SIGKILL');
    this.forgetShutdown();
    if (!this.stopped) {
      this.stopped = true;
      this.leftBehind = await stopLeftBehind(this.port, this.child.pid);
    }
  }

  killTree(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    if (process.platform === 'win32') {
      if (!this.exit) spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      return;
    }
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private capture(stream: 'stdout' | 'stderr'): void {
    // Only the line being written is kept between chunks, and at most LINE_LIMIT of it: a server
    // that prints megabytes without a newline costs the checker neither time nor memory.
    let partial = '';
    let dropped = 0;
    const source = this.child[stream];
    source?.setEncoding('utf8');
    source?.on('data', (text: string) => {
      const lines = text.split(/\r?\n/);
      const rest = lines.pop() ?? '';
      if (partial.endsWith('\r') && lines.length > 0 && lines[0] === '') partial = partial.slice(0, -1);
      for (const line of lines) {
        this.push(stream, endLine(partial, line, dropped));
        partial = '';
        dropped = 0;
      }
      const grown = partial + rest;
      partial = grown.slice(0, LINE_LIMIT);
      dropped += grown.length - partial.length;
    });
    source?.on('end', () => {
      if (partial || dropped) this.push(stream, endLine(partial, '', dropped));
    });
  }

  private push(stream: 'stdout' | 'stderr', text: string): void {
    this.output.push({ stream, text });
    if (this.outputFile) {
      try {
        appendFileSync(this.outputFile, `${text}\n`);
      } catch {
        // The server deleted the check's folder (run-check.ts says so); its output is still kept here.
        this.outputFile = undefined;
      }
    }
    if (this.output.length > OUTPUT_LIMIT) this.output.splice(0, this.output.length - OUTPUT_LIMIT);
  }
}
