/**
 * The classroom board: a small node:http server (instructor tooling, not the learner's
 * exercise) that takes learners' check results and shows the room on a live page.
 *
 *   GET  /              the page (page/board.html, board.css, board.js)
 *   GET  /state.json    the room now          } from this machine, or with ?code=<room code>
 *   GET  /events        the room, live (SSE)  }
 *   GET  /export.csv    the room as CSV       }
 *   GET  /api/ping      "a board is here"
 *   POST /api/join | /api/result | /api/leave   from learners' checkers, with the room code
 *   POST /api/remove | /api/settings            from the instructor's own page only (see `manages`)
 *
 * It sits on a shared network, so everything that arrives is untrusted: bodies are capped
 * before they are read, JSON and every field are validated and length-limited, wrong codes and
 * floods are rate-limited per address and per learner, the room and every table have a size
 * cap, and no request can throw past its handler.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { roomCsv } from './board-csv.ts';
import { loadPageAssets, SECURITY_HEADERS } from './board-page.ts';
import { applyJoin, applyLeave, applyResult, isNewLearner, labelOf, MAX_LEARNERS, publicKey, removeLearner, snapshot, STUCK_MINUTES_RANGE, validStuckMinutes, type ChangeOutcome } from './board-state.ts';
import type { BoardStore } from './board-store.ts';
import { ENDPOINTS, INSTRUCTOR_TOKEN_HEADER, LIMITS, parseJoin, parseLeave, parseResult, type JoinPayload, type LeavePayload, type Rejection, type RejectionKind, type ResultPayload } from './protocol.ts';
import { RateLimiter } from './rate-limit.ts';
import { codeMatches } from './room-code.ts';
import { stages } from '../core/stages.ts';

export interface BoardLimits {
  /** Requests per address: a burst, then a steady rate. Generous: a room behind one NAT shares it. */
  perAddress: { capacity: number; perSecond: number };
  /** Results per learner: watch mode re-checks on every save, but a check takes seconds. */
  perLearner: { capacity: number; perSecond: number };
  /**
   * New learners (ids the board has not seen) per address, so one machine with the room code
   * cannot fill the room with made-up learners. A room behind one router reaches the board from
   * one address only when the board is outside that router, so this is a burst a whole room
   * can join in, then a steady rate; the instructor sets it with --new-learners-per-minute.
   */
  newLearners: { capacity: number; perSecond: number };
  /** Wrong room codes per address, so the code cannot be guessed. */
  wrongCodes: { capacity: number; perSecond: number };
  /** Live pages open at once. */
  viewers: number;
}

/** New learners a minute from one address, unless the instructor says otherwise. */
export const DEFAULT_NEW_LEARNERS_PER_MINUTE = 40;

/** A burst of `perMinute` new learners, then `perMinute` more each minute. */
export function newLearnerLimit(perMinute: number): BoardLimits['newLearners'] {
  return { capacity: perMinute, perSecond: perMinute / 60 };
}

export const DEFAULT_LIMITS: BoardLimits = {
  perAddress: { capacity: 60, perSecond: 10 },
  newLearners: newLearnerLimit(DEFAULT_NEW_LEARNERS_PER_MINUTE),
  perLearner: { capacity: 6, perSecond: 0.5 },
  wrongCodes: { capacity: 10, perSecond: 1 / 6 },
  viewers: 32,
};

const LIMITER_KEYS = 4096;
const BROADCAST_EVERY_MS = 200;
const KEEP_ALIVE_MS = 25_000;
/** A live page that stops reading is dropped rather than buffered without bound. */
const VIEWER_BACKLOG_BYTES = 4 * 1024 * 1024;

export type BoardEvent =
  | { kind: 'joined' | 'left' | 'removed'; name: string; learners: number }
  | { kind: 'same-name'; name: string; shownAs: string }
  | { kind: 'stuck-minutes'; minutes: number };

export interface BoardOptions {
  store: BoardStore;
  /** Where to listen; undefined means every interface. */
  host?: string;
  port: number;
  /** When `port` is taken, try the next few and then any free port, instead of failing. */
  portFallback?: boolean;
  /** The stuck threshold to start with; undefined keeps the room's own (saved) one. */
  stuckMinutes?: number;
  /** The addresses learners should type (given the port), shown on the page to the instructor. */
  joinAddresses?: (port: number) => string[];
  limits?: Partial<BoardLimits>;
  now?: () => number;
  onEvent?: (event: BoardEvent) => void;
}

export interface RunningBoard {
  readonly port: number;
  readonly host: string;
  readonly viewers: number;
  close(): Promise<void>;
}

type Access = 'instructor' | 'viewer' | 'denied' | 'too-many-requests';

export async function startBoard(options: BoardOptions): Promise<RunningBoard> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const { store } = options;
  const room = store.room;
  const assets = loadPageAssets();
  const perAddress = new RateLimiter({ ...limits.perAddress, maxKeys: LIMITER_KEYS });
  const perLearner = new RateLimiter({ ...limits.perLearner, maxKeys: LIMITER_KEYS });
  const newLearners = new RateLimiter({ ...limits.newLearners, maxKeys: LIMITER_KEYS });
  /** Proves a request comes from the instructor's page: only /state.json on the board's machine hands it out. */
  const instructorToken = randomBytes(16).toString('hex');
  if (options.stuckMinutes !== undefined && options.stuckMinutes !== room.stuckMinutes) {
    room.stuckMinutes = options.stuckMinutes;
    store.changed();
  }
  const wrongCodes = new RateLimiter({ ...limits.wrongCodes, maxKeys: LIMITER_KEYS });
  const viewers = new Set<http.ServerResponse>();

  // --- live updates: coalesced, so a burst of results costs one message per viewer.
  let broadcastTimer: NodeJS.Timeout | undefined;
  let lastBroadcast = 0;
  const sendTo = (res: http.ServerResponse, text: string) => {
    if (res.writableLength > VIEWER_BACKLOG_BYTES) {
      viewers.delete(res);
      res.destroy();
      return;
    }
    res.write(text);
  };
  const broadcastNow = () => {
    broadcastTimer = undefined;
    lastBroadcast = performance.now();
    const text = `data: ${JSON.stringify(snapshot(room, now()))}\n\n`;
    for (const res of viewers) sendTo(res, text);
  };
  const roomChanged = () => {
    store.changed();
    if (broadcastTimer) return;
    const wait = Math.max(0, BROADCAST_EVERY_MS - (performance.now() - lastBroadcast));
    broadcastTimer = setTimeout(broadcastNow, wait);
  };
  const keepAlive = setInterval(() => {
    for (const res of viewers) sendTo(res, ': keep-alive\n\n');
  }, KEEP_ALIVE_MS);

  // --- responses
  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}) => {
    if (res.headersSent) return void res.end();
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...headers });
    res.end(body);
  };
  const sendJson = (res: http.ServerResponse, status: number, value: unknown, headers?: http.OutgoingHttpHeaders) =>
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
  const reject = (res: http.ServerResponse, status: number, error: RejectionKind, message: string, headers?: http.OutgoingHttpHeaders) =>
    sendJson(res, status, { error, message } satisfies Rejection, headers);

  const addressOf = (req: http.IncomingMessage) => req.socket.remoteAddress ?? 'unknown';

  /**
   * The instructor is whoever opens the page on the board's own machine; anyone else needs the
   * room code. The Host check stops a web page from another site reaching the board through
   * DNS rebinding and reading the code as if it were local.
   */
  const access = (req: http.IncomingMessage, url: URL): Access => {
    const remote = addressOf(req);
    const local = remote === '::1' || remote.startsWith('127.') || remote.startsWith('::ffff:127.');
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
    if (local && (hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname))) return 'instructor';
    const code = url.searchParams.get('code');
    if (code === null) return 'denied';
    if (codeMatches(code.slice(0, LIMITS.code), room.code)) return 'viewer';
    return wrongCodes.take(remote) ? 'denied' : 'too-many-requests';
  };
  const denyView = (res: http.ServerResponse, result: Access) =>
    result === 'too-many-requests'
      ? reject(res, 429, 'too-many-requests', 'Too many wrong room codes from this address; wait a minute.', { 'Retry-After': '60' })
      : reject(res, 403, 'wrong-code', 'This board needs the room code: add ?code=<room code> to the address.');

  /**
   * The instructor's page may change the board; nothing else may. Three locks: the request is
   * the instructor's by `access` (the board's own machine, a local Host: no DNS rebinding);
   * it carries the token that only the instructor's /state.json hands out; and a browser
   * that says where the request comes from says it comes from the board's own page (no other
   * site's page in the instructor's browser can post here).
   */
  const manages = (req: http.IncomingMessage, url: URL): boolean => {
    if (access(req, url) !== 'instructor') return false;
    if (req.headers[INSTRUCTOR_TOKEN_HEADER] !== instructorToken) return false;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return false;
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin';
  };

  const readBody = (req: http.IncomingMessage): Promise<string | 'too-large'> =>
    new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > LIMITS.bodyBytes) return resolve('too-large');
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > LIMITS.bodyBytes) {
          req.removeAllListeners('data');
          req.pause();
          resolve('too-large');
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const post = async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    const remote = addressOf(req);
    if (!perAddress.take(remote)) {
      return reject(res, 429, 'too-many-requests', 'Too many requests from this address; slow down.', { 'Retry-After': '5', Connection: 'close' });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return reject(res, 415, 'wrong-content-type', 'Send JSON, with Content-Type: application/json.', { Connection: 'close' });
    }
    const body = await readBody(req);
    if (body === 'too-large') {
      // Close the connection: the rest of an oversized body is never read.
      return reject(res, 413, 'too-large', `The body is larger than ${LIMITS.bodyBytes} bytes.`, { Connection: 'close' });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      return reject(res, 400, 'bad-json', 'The body is not valid JSON.');
    }
    const parsed = parseIncoming(path, raw);
    if (!parsed.ok) return reject(res, 400, 'bad-field', `The body is not a result this board understands: ${parsed.message}.`);
    const incoming = parsed.value;
    if (!codeMatches(incoming.value.code, room.code)) {
      if (!wrongCodes.take(remote)) return reject(res, 429, 'too-many-requests', 'Too many wrong room codes from this address; wait a minute.', { 'Retry-After': '60' });
      return reject(res, 403, 'wrong-code', 'That is not this room\'s code.');
    }
    if (!perLearner.take(incoming.value.learnerId)) {
      return reject(res, 429, 'too-many-requests', 'Too many results from this learner; this one was not recorded.', { 'Retry-After': '5' });
    }
    if (incoming.kind !== 'leave' && isNewLearner(room, incoming.value.learnerId) && room.learners.length < MAX_LEARNERS && !newLearners.take(remote)) {
      const perMinute = Math.round(limits.newLearners.perSecond * 60);
      return reject(res, 429, 'too-many-new-learners', `Too many new learners from this address: the board takes ${perMinute} a minute from one address. Wait a minute.`, { 'Retry-After': '60' });
    }

    const wasActive = room.learners.some((l) => l.id === incoming.value.learnerId && !l.left);
    let outcome: ChangeOutcome | 'unchanged';
    if (incoming.kind === 'leave') {
      const learner = room.learners.find((l) => l.id === incoming.value.learnerId);
      outcome = applyLeave(room, incoming.value, now()) ? 'changed' : 'unchanged';
      if (outcome === 'changed' && learner) options.onEvent?.({ kind: 'left', name: learner.name, learners: activeLearners() });
    } else {
      outcome = incoming.kind === 'join' ? applyJoin(room, incoming.value, now()) : applyResult(room, incoming.value, now());
      if (outcome === 'changed' && !wasActive) options.onEvent?.({ kind: 'joined', name: incoming.value.name, learners: activeLearners() });
    }
    if (outcome === 'room-full') return reject(res, 403, 'room-full', `The room is full: this board takes at most ${MAX_LEARNERS} learners.`);
    if (outcome === 'removed') return reject(res, 403, 'removed', 'The instructor removed this learner from the board.');
    if (outcome === 'changed') roomChanged();
    if (incoming.kind === 'leave') return sendJson(res, 200, { ok: true });
    const label = labelOf(room, incoming.value.learnerId);
    if (label?.sameName && !wasActive && outcome === 'changed') options.onEvent?.({ kind: 'same-name', name: incoming.value.name, shownAs: label.shownAs });
    sendJson(res, 200, { ok: true, ...label });
  };

  const manage = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    if (!manages(req, url)) {
      return reject(res, 403, 'not-instructor', 'Only the instructor\'s page, open on the board\'s own machine, can change the board.');
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return reject(res, 415, 'wrong-content-type', 'Send JSON, with Content-Type: application/json.', { Connection: 'close' });
    const body = await readBody(req);
    if (body === 'too-large') return reject(res, 413, 'too-large', `The body is larger than ${LIMITS.bodyBytes} bytes.`, { Connection: 'close' });
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(body);
    } catch {
      return reject(res, 400, 'bad-json', 'The body is not valid JSON.');
    }
    if (typeof raw !== 'object' || raw === null) return reject(res, 400, 'bad-field', 'The body must be a JSON object.');
    if (url.pathname === ENDPOINTS.remove) {
      if (typeof raw.key !== 'string' || !/^[0-9a-f]{12}$/.test(raw.key)) return reject(res, 400, 'bad-field', '"key" must be a learner\'s key from /state.json.');
      const target = room.learners.find((l) => publicKey(l.id) === raw.key);
      const shownAs = target ? labelOf(room, target.id)?.shownAs : undefined;
      const removed = removeLearner(room, raw.key);
      if (!removed) return reject(res, 404, 'not-found', 'No learner on the board has that key (removed already?).');
      roomChanged();
      options.onEvent?.({ kind: 'removed', name: shownAs ?? removed.name, learners: activeLearners() });
      return sendJson(res, 200, { ok: true });
    }
    if (!validStuckMinutes(raw.stuckMinutes)) {
      return reject(res, 400, 'bad-field', `"stuckMinutes" must be a whole number of minutes from ${STUCK_MINUTES_RANGE.min} to ${STUCK_MINUTES_RANGE.max}.`);
    }
    if (raw.stuckMinutes !== room.stuckMinutes) {
      room.stuckMinutes = raw.stuckMinutes;
      roomChanged();
      options.onEvent?.({ kind: 'stuck-minutes', minutes: raw.stuckMinutes });
    }
    return sendJson(res, 200, { ok: true, stuckMinutes: room.stuckMinutes });
  };
  const activeLearners = () => room.learners.filter((l) => !l.left).length;

  const instructorInfo = () => ({ code: room.code, joinAddresses: options.joinAddresses?.(boundPort) ?? [], token: instructorToken });

  const get = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const page = assets.get(url.pathname);
    if (page) return send(res, 200, page.type, page.body);
    if (url.pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
    if (url.pathname === ENDPOINTS.ping) return sendJson(res, 200, { ok: true, board: 'from-socket-to-server classroom', v: 1 });
    if (url.pathname !== '/state.json' && url.pathname !== '/events' && url.pathname !== '/export.csv') {
      return reject(res, 404, 'not-found', 'Nothing here. The board is at /.');
    }
    const who = access(req, url);
    if (who !== 'instructor' && who !== 'viewer') return denyView(res, who);

    if (url.pathname === '/state.json') {
      return sendJson(res, 200, { ...snapshot(room, now()), room: who === 'instructor' ? instructorInfo() : null });
    }
    if (url.pathname === '/export.csv') {
      const day = new Date(now()).toISOString().slice(0, 10);
      return send(res, 200, 'text/csv; charset=utf-8', roomCsv(room, now()), {
        'Content-Disposition': `attachment; filename="classroom-${day}.csv"`,
      });
    }
    // /events
    if (viewers.size >= limits.viewers) return reject(res, 503 as number, 'too-many-requests', 'Too many pages are watching this board.');
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...SECURITY_HEADERS });
    res.write(`retry: 2000\ndata: ${JSON.stringify(snapshot(room, now()))}\n\n`);
    viewers.add(res);
    const forget = () => viewers.delete(res);
    req.on('close', forget);
    res.on('error', forget);
  };

  const server = http.createServer({ maxHeaderSize: 8 * 1024, requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 }, (req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://board.invalid');
    } catch {
      return reject(res, 400, 'not-found', 'That is not a path.');
    }
    const handled = (async () => {
      if (req.method === 'GET' || req.method === 'HEAD') return get(req, res, url);
      if (req.method === 'POST' && (url.pathname === ENDPOINTS.join || url.pathname === ENDPOINTS.result || url.pathname === ENDPOINTS.leave)) {
        return post(req, res, url.pathname);
      }
      if (req.method === 'POST' && (url.pathname === ENDPOINTS.remove || url.pathname === ENDPOINTS.settings)) return manage(req, res, url);
      return reject(res, 405, 'method-not-allowed', 'The board answers GET, and POST on /api/join, /api/result and /api/leave.', { Allow: 'GET, POST' });
    })();
    handled.catch(() => {
      // A bug must cost one request, never the board.
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'The board could not handle this request.');
      else res.destroy();
    });
  });
  server.maxConnections = 512;

  const boundPort = await listen(server, options.host, options.port, options.portFallback ?? false);
  const address = server.address() as AddressInfo;

  return {
    port: boundPort,
    host: address.address,
    get viewers() {
      return viewers.size;
    },
    async close() {
      clearInterval(keepAlive);
      clearTimeout(broadcastTimer);
      for (const res of viewers) res.end();
      viewers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.flushSync();
    },
  };
}

/** Listen on `port`; with fallback, the next nine ports and then any free one when it is taken. */
async function listen(server: http.Server, host: string | undefined, port: number, fallback: boolean): Promise<number> {
  const candidates = fallback && port !== 0 ? [...Array.from({ length: 10 }, (_, i) => port + i), 0] : [port];
  let lastError: unknown;
  for (const candidate of candidates) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(candidate, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    } catch (error) {
      lastError = error;
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
    }
  }
  throw lastError;
}

type Incoming = { kind: 'join'; value: JoinPayload } | { kind: 'result'; value: ResultPayload } | { kind: 'leave'; value: LeavePayload };

function parseIncoming(path: string, raw: unknown): { ok: true; value: Incoming } | { ok: false; message: string } {
  const wrap = <K extends Incoming['kind'], T>(kind: K, parsed: { ok: true; value: T } | { ok: false; message: string }) =>
    parsed.ok ? { ok: true as const, value: { kind, value: parsed.value } as Incoming } : parsed;
  if (path === ENDPOINTS.join) return wrap('join', parseJoin(raw, stages.length));
  if (path === ENDPOINTS.result) return wrap('result', parseResult(raw, stages.length));
  return wrap('leave', parseLeave(raw));
}
