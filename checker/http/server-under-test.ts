/**
 * What a stage suite knows about the server it checks, and the three moves every suite makes:
 * build a request, open a connection, send and read a response. The checker passes the port
 * and ROOT folder in through vitest's provide/inject.
 */
import { inject } from 'vitest';
import { Connection, HOST, type HttpResponse } from './raw-client.ts';

export interface Target {
  port: number;
  /** The fixture folder the server was given as ROOT (see checker/core/fixture-root.ts). */
  root: string;
  /** The server's process id, for suites that look at its memory or open files. */
  pid: number | undefined;
  /** Everything the server has printed so far, one line per line, kept up to date as it runs. */
  outputFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** One server per lane: the earlier stages' suites may run side by side (run-suites.ts). */
    targets: Target[];
  }
}

/** The server this worker thread's suites check: each lane (VITEST_POOL_ID 1, 2, …) has its own. */
export function target(): Target {
  const targets = inject('targets');
  const lane = Number(process.env.VITEST_POOL_ID ?? 1) - 1;
  return targets[lane] ?? targets[0]!;
}

/** A request head as a browser would send it, with CRLF line endings and a Host header. */
export function request(method: string, path: string, headers: Record<string, string> = {}): string {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${HOST}:${target().port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export function connect(): Promise<Connection> {
  return Connection.open(target().port);
}

/** Open a connection, send `bytes`, and read one response. */
export async function send(bytes: string | Buffer, options: { method?: string } = {}): Promise<HttpResponse> {
  const connection = await connect();
  await connection.send(bytes);
  return connection.readResponse(options);
}

export function get(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return send(request('GET', path, headers));
}
