/**
 * Is anything listening on a port of 127.0.0.1? For the checker's start-up wait and for the
 * benchmarks, which start servers they cannot see inside.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOST } from '../http/raw-client.ts';

/** One connection attempt, given at most half a second. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.setTimeout(500);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** Try every 100 ms until something accepts a connection: false if nothing did within `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(port)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}
