/**
 * The shared half of every wrapper in this folder: it runs a real, outside web server (nginx,
 * lighttpd, Apache httpd, Caddy) as if it were a learner's server, so the checker can be run on
 * it (`npm run check -- N --entry checker/test/outside-servers/nginx.ts`). A wrapper only says
 * how to configure its server; this module keeps the learner-server contract:
 *
 * - PORT (default 8000) and ROOT (default: this folder's `public/`) come from the environment;
 * - the server's config is written into a fresh temporary folder, removed when the wrapper ends;
 * - the server runs in the foreground as a child process, in the wrapper's own process group (so
 *   the checker, which kills that group when a check ends, kills the server too);
 * - its output (the access log) goes to the wrapper's stdout and stderr;
 * - "serving at port N" is printed once the port accepts connections;
 * - SIGTERM, SIGINT, or the wrapper exiting stops the server; the server exiting ends the wrapper
 *   with its exit code.
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const HOST = '127.0.0.1';

/** What a wrapper is given to write its server's configuration. */
export interface ServerSetup {
  port: number;
  /** The folder to serve, absolute. */
  root: string;
  /** A fresh temporary folder for config, pid file, lock files; removed afterwards. */
  dir: string;
  /**
   * Where the server writes its access log: a named pipe whose lines the wrapper copies to its
   * stdout. (The server's stdout is a Unix socket, since Node makes a child's pipes from socket
   * pairs, and opening /dev/stdout on a socket fails with ENXIO; a FIFO opens like a file.)
   */
  accessLog: string;
  /** The same for a server that can only write its error log to a file: copied to stderr. */
  errorLog: string;
  /** OUTSIDE_LISTINGS=1: list folders without an index.html (stage 12), else refuse them. */
  listings: boolean;
}

export interface OutsideServer {
  /** For messages: "nginx". */
  name: string;
  /** The server's binary, absolute. */
  binary: string;
  /** Write the config into setup.dir and say how to start the server in the foreground. */
  configure(setup: ServerSetup): { args: string[]; env?: NodeJS.ProcessEnv };
}

/** A server's binary is there and can be run: the kit test skips a server that is not installed. */
export function isInstalled(binary: string): boolean {
  try {
    accessSync(binary, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const DEFAULT_ROOT = fileURLToPath(new URL('./public/', import.meta.url));

/** How long a server may take to accept connections. */
const START_TIMEOUT_MS = 10_000;

export async function runOutsideServer(server: OutsideServer): Promise<void> {
  const port = Number(process.env.PORT ?? 8000);
  const root = path.resolve(process.env.ROOT ?? DEFAULT_ROOT);
  removeOrphanedFolders();
  // The process id in the name lets a later wrapper remove the folder of one that was killed
  // outright (SIGKILL, as the checker's Ctrl-C does), which had no chance to remove its own.
  const dir = mkdtempSync(path.join(os.tmpdir(), `outside-${server.name}-${process.pid}-`));
  const accessLog = forwardFifo(path.join(dir, 'access.log'), process.stdout);
  const errorLog = forwardFifo(path.join(dir, 'error.log'), process.stderr);
  const { args, env } = server.configure({ port, root, dir, accessLog, errorLog, listings: process.env.OUTSIDE_LISTINGS === '1' });

  const child = spawn(server.binary, args, {
    cwd: dir,
    env: { ...process.env, ...env },
    // stdin closed; output through pipes, forwarded below. Not detached: the server stays in
    // this process's group, which is what the checker kills.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(process.stdout);
  child.stderr.pipe(process.stderr);

  const running = () => child.exitCode === null && child.signalCode === null;
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let stopping = false;
  // On SIGTERM or Ctrl-C: stop the server, wait for it (its 'exit' below ends this process),
  // and kill it outright if it takes more than 2 s.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      if (!running()) process.exit(0);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }
  // However this process ends (process.exit included, which runs only synchronous listeners),
  // the server goes with it and the temporary folder is removed. SIGTERM, not SIGKILL: a master
  // process (nginx, Apache) stops its workers on SIGTERM, where SIGKILL would orphan them. (When
  // the checker stops a check, it kills this whole process group anyway.)
  process.on('exit', () => {
    if (running()) child.kill('SIGTERM');
    removeDir();
  });

  child.on('error', (error) => {
    console.error(`${server.name}: could not start ${server.binary}: ${error.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${server.name} exited (${signal ?? `code ${code}`})`);
    process.exit(stopping ? 0 : (code ?? 1));
  });

  const started = Date.now();
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (Date.now() - started > START_TIMEOUT_MS) {
      console.error(`${server.name} did not accept connections on ${HOST}:${port} within ${START_TIMEOUT_MS / 1000} s`);
      process.exit(1);
    }
    await sleep(50);
  }
  console.log(`serving at port ${port}`);
}

/** Remove the temporary folders of wrappers that are no longer running. */
function removeOrphanedFolders(): void {
  for (const name of readdirSync(os.tmpdir())) {
    const pid = Number(/^outside-[a-z]+-(\d+)-/.exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Make a named pipe at `file` whose lines are copied to `to`. */
function forwardFifo(file: string, to: NodeJS.WritableStream): string {
  execFileSync('mkfifo', ['-m', '600', file]);
  // Read and write: opening a FIFO this way never waits for a writer, and never sees an end.
  const reader = new net.Socket({ fd: openSync(file, constants.O_RDWR | constants.O_NONBLOCK), readable: true, writable: false });
  reader.pipe(to);
  // It must not keep this process alive once the server has gone.
  reader.unref();
  return file;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A file or folder path written inside a config file's double quotes. */
export function quoted(value: string): string {
  if (/["\\\n]/.test(value)) throw new Error(`a path with a quote, backslash or newline cannot go into the config: ${value}`);
  return `"${value}"`;
}
