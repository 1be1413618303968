/**
 * Helpers for the classroom tests: a board on 127.0.0.1 with an ephemeral port and its own
 * state file, simulated learners that post to it, a reader for its live event stream, and the
 * two stand-ins for a board that is not there (a closed port, and a "black hole" that accepts
 * connections and never answers). Everything talks to 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { startBoard, type BoardOptions, type RunningBoard } from '../classroom/board-server.ts';
import { openBoardStore, type BoardStore } from '../classroom/board-store.ts';
import { PROTOCOL_VERSION, type ResultPayload } from '../classroom/protocol.ts';
import { scratchDir } from './scratch.ts';

export interface TestBoard {
  board: RunningBoard;
  store: BoardStore;
  file: string;
  origin: string;
  code: string;
  close(): Promise<void>;
}

export function tempStateFile(): string {
  return path.join(scratchDir('fsts-board-'), 'classroom-board.json');
}

export async function startTestBoard(options: Partial<Omit<BoardOptions, 'store'>> & { file?: string } = {}): Promise<TestBoard> {
  const file = options.file ?? tempStateFile();
  const { store } = openBoardStore(file);
  const board = await startBoard({ stuckMinutes: 10, ...options, store, host: '127.0.0.1', port: 0 });
  const origin = `http://127.0.0.1:${board.port}`;
  return { board, store, file, origin, code: store.room.code, close: () => board.close() };
}

export interface Answer {
  status: number;
  body: string;
  json: unknown;
  headers: http.IncomingHttpHeaders;
}

/** One request with full control of method, headers and body (a string or chunks sent in turn). */
export function request(origin: string, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string | string[]; timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(pathname, origin), { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, json, headers: res.headers });
      });
    });
    req.setTimeout(options.timeoutMs ?? 5000, () => req.destroy(new Error(`${pathname} did not answer in time`)));
    req.on('error', reject);
    const chunks = Array.isArray(options.body) ? options.body : options.body === undefined ? [] : [options.body];
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

export function postJson(origin: string, pathname: string, value: unknown): Promise<Answer> {
  return request(origin, pathname, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) });
}

export const learnerId = () => randomBytes(8).toString('hex');

/** A result as a learner's checker sends it. */
export function result(code: string, id: string, name: string, fields: Partial<ResultPayload> = {}): ResultPayload {
  return {
    v: PROTOCOL_VERSION,
    code,
    learnerId: id,
    name,
    stage: 1,
    ok: true,
    failedStage: null,
    failed: [],
    problem: null,
    startProblem: null,
    ...fields,
  };
}

export function failing(code: string, id: string, name: string, stage: number, requirement: string, problem: string): ResultPayload {
  return result(code, id, name, { stage, ok: false, failedStage: stage, failed: [requirement], problem });
}

/** Read the board's live stream until `until` accepts a snapshot (or time runs out). */
export function waitForEvent<T>(origin: string, until: (snapshot: T) => boolean, timeoutMs = 5000, pathname = '/events'): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(pathname, origin), { agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (!data) continue;
          const snapshot = JSON.parse(data) as T;
          if (until(snapshot)) {
            clearTimeout(timer);
            req.destroy();
            resolve(snapshot);
          }
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('the board sent no matching event in time'));
    }, timeoutMs);
    req.on('error', () => undefined);
  });
}

/** A TCP port on 127.0.0.1 that accepts connections and never says a word: a board that hangs. */
export async function blackHole(): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening: a board that is down. */
export async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A stand-in board that accepts everything and remembers the raw bodies it was sent. */
export async function recordingBoard(): Promise<{ origin: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST') bodies.push(body);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The instructor's token, as the board hands it to its own page (from 127.0.0.1, local Host). */
export async function instructorToken(origin: string): Promise<string> {
  const state = (await request(origin, '/state.json')).json as { room: { token?: string } | null };
  if (!state.room?.token) throw new Error('the board gave no instructor token to its own machine');
  return state.room.token;
}

/** A request as the instructor's page sends it: JSON, the token header, the board's own Origin. */
export function asInstructor(origin: string, pathname: string, value: unknown, token: string, headers: Record<string, string> = {}): Promise<Answer> {
  return request(origin, pathname, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Board-Token': token, Origin: origin, 'Sec-Fetch-Site': 'same-origin', ...headers },
    body: JSON.stringify(value),
  });
}
