/**
 * How a learner's checker talks to the board: one request, a hard deadline, and an outcome
 * instead of an exception. A board that is down, asleep or behind a firewall must cost a check
 * at most the deadline, so the timer covers everything — name lookup, connecting, the answer —
 * and no connection is kept open for the process to wait on.
 */
import http from 'node:http';
import type { Rejection, RejectionKind } from './protocol.ts';

export type BoardOutcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'rejected'; status: number; error: RejectionKind | 'unknown' }
  | { kind: 'unreachable'; reason: 'timeout' | 'refused' | 'no-such-host' | 'other'; detail: string };

const ANSWER_LIMIT = 16 * 1024;

export function askBoard(origin: string, path: string, options: { body?: unknown; timeoutMs: number }): Promise<BoardOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: BoardOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    let request: http.ClientRequest;
    try {
      request = http.request(new URL(path, origin), {
        method: payload === undefined ? 'GET' : 'POST',
        agent: false,
        headers: payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      });
    } catch (error) {
      return resolve({ kind: 'unreachable', reason: 'other', detail: (error as Error).message });
    }
    const timer = setTimeout(() => {
      finish({ kind: 'unreachable', reason: 'timeout', detail: `no answer within ${options.timeoutMs} ms` });
      request.destroy();
    }, options.timeoutMs);

    request.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ECONNREFUSED' ? 'refused' : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' ? 'no-such-host' : 'other';
      finish({ kind: 'unreachable', reason, detail: error.code ?? error.message });
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= ANSWER_LIMIT) chunks.push(chunk);
      });
      response.on('error', () => finish({ kind: 'unreachable', reason: 'other', detail: 'the answer was cut off' }));
      response.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        const status = response.statusCode ?? 0;
        if (status === 200 && typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true) {
          finish({ kind: 'ok', body });
        } else {
          const error = typeof body === 'object' && body !== null ? (body as Partial<Rejection>).error : undefined;
          finish({ kind: 'rejected', status, error: typeof error === 'string' ? (error as RejectionKind) : 'unknown' });
        }
      });
    });
    request.end(payload);
  });
}
