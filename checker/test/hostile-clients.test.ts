/**
 * The final reference solutions (stages 9 and 12) against hostile clients: each attack is a
 * small, bounded script from 127.0.0.1 that once took the server down (issue 12), and each test
 * measures what the attack costs the server: its open descriptors (/proc/<pid>/fd), its memory
 * (VmRSS in /proc/<pid>/status), or what its page holds. Linux only, since /proc is.
 *
 * To see the same attacks win against other code, point FSTS_HOSTILE_SOLUTIONS at a folder that
 * holds solution folders of the same names (an older commit's `solutions/`, say).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { freePort } from '../core/run-server.ts';
import { scratchDir } from './scratch.ts';

const SOLUTIONS = process.env.FSTS_HOSTILE_SOLUTIONS ?? path.join(REPO_ROOT, 'solutions');
const FINAL = ['09-capstone', '12-directory-listings'];
const HOST = '127.0.0.1';
const LISTED_FOLDER_ENTRIES = 50_000;

interface Server {
  name: string;
  pid: number;
  port: number;
}

let root: string;
const children = new Set<ChildProcess>();
const clients = new Set<net.Socket>();

beforeAll(() => {
  root = scratchDir('fsts-hostile-');
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>hostile</title><p>hello</p>\n');
  // Under the 64 KiB a server keeps in memory, and big enough that 2,000 of them add up.
  writeFileSync(path.join(root, 'page.bin'), Buffer.alloc(60 * 1024, 'p'));
  // Far more than the kernel's buffers hold for one connection; sparse, so it costs no disk.
  writeFileSync(path.join(root, 'big.bin'), '');
  truncateSync(path.join(root, 'big.bin'), 256 * 1024 * 1024);
  mkdirSync(path.join(root, 'many'));
  for (let i = 0; i < LISTED_FOLDER_ENTRIES; i++) writeFileSync(path.join(root, 'many', `file-${i}.txt`), '');
});

afterEach(() => {
  for (const socket of clients) socket.destroy();
  clients.clear();
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function start(name: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(SOLUTIONS, name, 'server.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), ROOT: root },
    // The access log says a line per request: thousands of them, which nobody here reads.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (await canConnect(port)) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${name} did not listen on port ${port} within 15 s`);
    await sleep(50);
  }
  return { name, pid: child.pid!, port };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A client that never reads (so it never sees the server's FIN) and never closes its side. */
async function silentClient(server: Server, send?: string): Promise<net.Socket> {
  const socket = net.connect({ host: HOST, port: server.port, allowHalfOpen: true });
  clients.add(socket);
  socket.on('error', () => {});
  socket.pause();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  if (send !== undefined) socket.write(send);
  return socket;
}

const descriptors = (server: Server) => readdirSync(`/proc/${server.pid}/fd`).length;
const rssMiB = (server: Server) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;

/** Poll `measure` until `done` says yes or `ms` pass: the last value, and when it got there. */
async function until<T>(ms: number, measure: () => T, done: (value: T) => boolean): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  let value = measure();
  while (!done(value) && Date.now() - started < ms) {
    await sleep(100);
    value = measure();
  }
  return { value, afterMs: Date.now() - started };
}

/** The highest memory the server reaches while `attack` runs, above what it used before. */
async function peakGrowthMiB(server: Server, attack: () => Promise<void>): Promise<number> {
  const before = rssMiB(server);
  let peak = before;
  let running = true;
  const sampling = (async () => {
    while (running) {
      peak = Math.max(peak, rssMiB(server));
      await sleep(50);
    }
  })();
  try {
    await attack();
  } finally {
    running = false;
    await sampling;
  }
  return peak - before;
}

/** One GET /index.html on a new connection: how long until the whole response was there. */
async function timedGet(server: Server, target = '/index.html', timeoutMs = 10_000): Promise<{ ms: number; body: string }> {
  const started = Date.now();
  const socket = net.connect({ host: HOST, port: server.port });
  clients.add(socket);
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (text: string) => (received += text));
  socket.write(`GET ${target} HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', () => {});
  });
  socket.destroy();
  return { ms: Date.now() - started, body: received };
}

/**
 * Run `attack` against each final solution at once, and wait for all of them before failing, so
 * that no attack is still polling a server that the cleanup has stopped.
 */
async function onEach(attack: (name: string) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(FINAL.map(attack));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

function report(server: Server, what: string): void {
  console.log(`${server.name}: ${what}`);
}

const onLinux = existsSync('/proc/self/fd');

describe.runIf(onLinux)('hostile clients cannot exhaust the final reference solutions', () => {
  test('clients that never close their side get their sockets destroyed within seconds (bounded lingering close)', { timeout: 30_000 }, async () => {
    await onEach(async (name) => {
      const server = await start(name);
      const before = descriptors(server);
      // A hundred each: silent from the start (idle timeout), "Connection: close", and half a head (408).
      for (let i = 0; i < 100; i++) {
        await silentClient(server);
        await silentClient(server, `GET /index.html HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`);
        await silentClient(server, `GET /index.html HTTP/1.1\r\nHost: ${HOST}\r\n`);
      }
      const held = await until(3000, () => descriptors(server), (count) => count >= before + 290);
      expect(held.value, `${name} never had the 300 connections open`).toBeGreaterThanOrEqual(before + 290);
      // Idle (2 s) or 408 (2 s of silence) then 2 s of lingering: about 4 s. Allow twice that.
      const after = await until(8000, () => descriptors(server), (count) => count <= before + 10);
      report(server, `300 clients that never close: ${before} → ${held.value} → ${after.value} descriptors after ${(after.afterMs / 1000).toFixed(1)} s more`);
      expect(after.value, `${name} still held ${after.value - before} of the 300 sockets 8 s after it was done with them`).toBeLessThanOrEqual(before + 10);
    });
  });

  test('a client that asks for a large file and never reads is abandoned (send timeout)', { timeout: 30_000 }, async () => {
    await onEach(async (name) => {
      const server = await start(name);
      const before = descriptors(server);
      for (let i = 0; i < 4; i++) {
        await silentClient(server, `GET /big.bin HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
        await silentClient(server, `GET /big.bin HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`);
      }
      // Each one holds its socket and the open file.
      const held = await until(3000, () => descriptors(server), (count) => count >= before + 16);
      const after = await until(9000, () => descriptors(server), (count) => count <= before + 2);
      report(server, `8 downloads nobody reads: ${before} → ${held.value} → ${after.value} descriptors after ${(after.afterMs / 1000).toFixed(1)} s more`);
      expect(after.value, `${name} still held ${after.value - before} descriptors for 8 downloads nobody reads, 9 s on`).toBeLessThanOrEqual(before + 2);
    });
  });

  test('bytes poured in while a response waits for the client are not read into memory', { timeout: 30_000 }, async () => {
    await onEach(async (name) => {
      const server = await start(name);
      await timedGet(server);
      let poured = 0;
      const growth = await peakGrowthMiB(server, async () => {
        const socket = await silentClient(server, `GET /big.bin HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
        const junk = Buffer.alloc(64 * 1024, 'x');
        const stop = Date.now() + 3500;
        // Our own writes wait for room, so the only memory that can grow is the server's.
        while (Date.now() < stop && poured < 58 * 1024 * 1024 && !socket.destroyed) {
          poured += junk.length;
          if (!socket.write(junk)) {
            await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), sleep(stop - Date.now())]);
          }
        }
      });
      const other = await timedGet(server);
      report(server, `pouring bytes behind a stalled response: +${growth.toFixed(0)} MiB at the peak, another client's GET ${other.ms} ms`);
      expect(growth, `${name} grew by ${growth.toFixed(0)} MiB holding what a client sent while its response waited`).toBeLessThan(40);
      expect(other.body, `${name} did not answer another client after the attack`).toMatch(/^HTTP\/1\.1 200 /);
      expect(other.ms, `another client waited ${other.ms} ms for a tiny file after the attack`).toBeLessThan(2000);
    });
  });

  test('2,000 pipelined requests from a client that never reads cost one response, not 2,000', { timeout: 30_000 }, async () => {
    await onEach(async (name) => {
      const server = await start(name);
      await timedGet(server, '/page.bin');
      const growth = await peakGrowthMiB(server, async () => {
        await silentClient(server, `GET /page.bin HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`.repeat(2000));
        await sleep(3000);
      });
      report(server, `2,000 pipelined GETs of 60 KiB, never read: +${growth.toFixed(0)} MiB at the peak`);
      expect(growth, `${name} grew by ${growth.toFixed(0)} MiB of responses nobody reads`).toBeLessThan(30);
    });
  });

  test('a body trickled one byte at a time is cut off within seconds', { timeout: 30_000 }, async () => {
    await onEach(async (name) => {
      const server = await start(name);
      const socket = net.connect({ host: HOST, port: server.port });
      clients.add(socket);
      socket.on('error', () => {});
      socket.resume();
      let closedAfter: number | undefined;
      const started = Date.now();
      socket.on('close', () => (closedAfter = Date.now() - started));
      socket.write(`POST /index.html HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 100000\r\n\r\n`);
      while (closedAfter === undefined && Date.now() - started < 8000) {
        socket.write('x');
        await sleep(150);
      }
      report(server, closedAfter === undefined ? 'a trickled body: still open after 8 s' : `a trickled body: closed after ${(closedAfter / 1000).toFixed(1)} s`);
      expect(closedAfter, `${name} kept reading a body sent a byte every 150 ms for 8 s`).toBeDefined();
    });
  });

  test('a folder of 50,000 entries gets a capped listing that says so, and other clients are not kept waiting', { timeout: 30_000 }, async () => {
    const server = await start('12-directory-listings');
    await timedGet(server);
    const listing = timedGet(server, '/many/');
    // Another client asks for a tiny file every 30 ms while the folder is listed: the slowest
    // answer shows how long the event loop was kept from it.
    const others: Array<Promise<{ ms: number }>> = [];
    for (let i = 0; i < 15; i++) {
      others.push(timedGet(server));
      await sleep(30);
    }
    const page = await listing;
    const other = { ms: Math.max(...(await Promise.all(others)).map((answer) => answer.ms)) };
    const links = page.body.match(/<li>/g)?.length ?? 0;
    report(server, `a folder of ${LISTED_FOLDER_ENTRIES} entries: ${links} links, ${page.body.length} bytes, in ${page.ms} ms; another client's slowest GET meanwhile ${other.ms} ms`);
    expect(page.body).toMatch(/^HTTP\/1\.1 200 /);
    expect(links, 'the listing of a folder of 50,000 entries lists them all').toBeLessThanOrEqual(1001);
    expect(page.body, 'a capped listing says that names were left out').toMatch(/only \d+ of them are listed/);
    expect(other.ms, `another client waited ${other.ms} ms while a large folder was listed`).toBeLessThan(1000);
  });
});
