/**
 * A deliberately small HTTP/1.1 client on a raw TCP socket, so the suites see exactly the bytes
 * a server writes and can send exactly the bytes they mean to (including broken ones).
 * Every wait has a deadline; every failure is a CheckFailure carrying the bytes.
 * It always talks to 127.0.0.1: Node may resolve "localhost" to ::1 while the server listens on IPv4.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { holdsSocket } from '../core/process-stats.ts';
import { serverEnd } from '../core/tcp-table.ts';
import { CheckFailure, type FailureDetails } from './check-failure.ts';
import { headerValue, parseResponseHead, type ResponseHead } from './parse-response.ts';
import type { Symptom } from './hints.ts';

export const HOST = '127.0.0.1';

const TRANSCRIPT_LIMIT = 1024 * 1024;

/** How long to wait for a server before calling it stuck. Generous: a first request may wait for tsx to compile. */
export const DEADLINE_MS = 3000;

export interface HttpResponse {
  head: ResponseHead;
  status: number;
  body: Buffer;
  /** Exactly the bytes of this response, head and body. */
  raw: Buffer;
  header(name: string): string | undefined;
  connection: Connection;
}

const open = new Set<Connection>();

/**
 * Set when the server let a deadline pass. Every later test would wait out its own deadline
 * too, so the suites' setup skips them instead: a hung server costs one deadline, not one per test.
 */
let stalled = false;

export function serverStalled(): boolean {
  return stalled;
}

export function forgetStall(): void {
  stalled = false;
}

/** Destroy every connection the current test opened (the suites' setup file calls it after each test). */
export function closeAllConnections(): void {
  for (const connection of open) connection.close();
}

/** How often to look at the kernel's connection table while waiting for the server to act. */
const POLL_MS = 2;

/**
 * Wait for evidence that the server has acted: `seen()` says true once the system shows it,
 * false while it does not yet, undefined where the system shows nothing. True once seen; false
 * after `pauseMs`, the fixed pause that stands in where there is no evidence to wait for.
 */
async function evidenceOrPause(seen: () => boolean | undefined, pauseMs: number): Promise<boolean> {
  const deadline = Date.now() + pauseMs;
  for (let now = seen(); now !== undefined; now = seen()) {
    if (now) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  await sleep(deadline - Date.now());
  return false;
}

export class Connection {
  private readonly socket: net.Socket;
  /** The server's port, to find its end of this connection in the kernel's table. */
  private readonly port: number;
  /** Bytes received and not yet taken by readResponse, as chunks: joined only when looked at. */
  private unreadChunks: Buffer[] = [];
  private unreadLength = 0;
  private readonly sentChunks: Buffer[] = [];
  /** What the report can show: the start of everything received, capped so a 200 MB body costs nothing. */
  private readonly transcript: Buffer[] = [];
  private transcriptLength = 0;
  private ended = false;
  private resetError: NodeJS.ErrnoException | undefined;
  private wake: (() => void) | undefined;

  private constructor(socket: net.Socket, port: number) {
    this.socket = socket;
    this.port = port;
    socket.on('data', (chunk: Buffer) => {
      this.unreadChunks.push(chunk);
      this.unreadLength += chunk.length;
      if (this.transcriptLength < TRANSCRIPT_LIMIT) {
        this.transcript.push(chunk);
        this.transcriptLength += chunk.length;
      }
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.resetError = error;
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    open.add(this);
  }

  static async open(port: number, timeoutMs = DEADLINE_MS): Promise<Connection> {
    const socket = net.connect({ host: HOST, port });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new CheckFailure({ problem: `Connecting to ${HOST}:${port} did not complete within ${timeoutMs / 1000} s.`, symptom: 'nothing-listening' }));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new CheckFailure({
          problem: error.code === 'ECONNREFUSED'
            ? `Nothing is listening on ${HOST}:${port} any more: the connection was refused.`
            : `Connecting to ${HOST}:${port} failed (${error.code ?? error.message}).`,
          symptom: 'nothing-listening',
        }));
      });
    });
    return new Connection(socket, port);
  }

  /** Everything sent on this connection so far. */
  get sent(): Buffer {
    return Buffer.concat(this.sentChunks);
  }

  /** The bytes received on this connection so far (the first megabyte of them). */
  get received(): Buffer {
    return Buffer.concat(this.transcript);
  }

  /** The port this connection comes from, as the server sees it. */
  get localPort(): number | undefined {
    return this.socket.localPort;
  }

  /** True once the server has closed (or reset) its side. */
  get closed(): boolean {
    return this.ended || this.resetError !== undefined;
  }

  async send(data: string | Buffer): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.sentChunks.push(bytes);
    if (this.socket.destroyed || this.socket.writableEnded) return;
    await new Promise<void>((resolve) => {
      // A write error (the server already closed) shows up as a reset when we read.
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Half-close: tell the server we are done sending, as `curl` does not but some clients do. */
  endSending(): void {
    this.socket.end();
  }

  /**
   * Read one whole response, framed as RFC 9112 §6.3 says. With `limit`, a body announced or
   * arriving longer than `limit.bytes` fails at once with `limit.hint`, instead of being read:
   * a server that sends a whole 4 GiB file where a few bytes were asked for costs nothing.
   */
  async readResponse(options: { method?: string; timeoutMs?: number; limit?: { bytes: number; hint: string } } = {}): Promise<HttpResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? DEADLINE_MS);
    let head: ResponseHead;
    for (;;) {
      const parsed = parseResponseHead(this.unread);
      if (parsed.kind === 'error') {
        throw this.failure({ problem: parsed.problem, symptom: parsed.symptom, caret: parsed.offset }, this.unread);
      }
      if (parsed.kind === 'head') {
        head = parsed.head;
        break;
      }
      if (this.closed) throw this.endedTooSoon('head');
      if (!(await this.waitForData(deadline))) throw this.timedOut('head');
    }

    const noBody = options.method === 'HEAD' || head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200);
    const lengthHeader = headerValue(head, 'content-length');
    if (!noBody && lengthHeader !== undefined && !/^\d+$/.test(lengthHeader)) {
      throw this.failure({ problem: `Content-Length must be a number of bytes, got "${lengthHeader}".`, symptom: 'bad-header-line' }, this.unread.subarray(0, head.length));
    }
    const bodyLength = noBody ? 0 : lengthHeader === undefined ? undefined : Number(lengthHeader);
    const limit = options.limit;
    const overLimit = (length: number) => this.failure({
      problem: `Expected a body of at most ${limit!.bytes} bytes, but the response ${bodyLength === undefined ? 'kept going past that' : `announces ${length} (Content-Length)`}.`,
      hint: limit!.hint,
      caret: head.length - 2,
    }, this.unread.subarray(0, head.length));
    if (limit && bodyLength !== undefined && bodyLength > limit.bytes) throw overLimit(bodyLength);

    const transferEncoding = noBody ? undefined : headerValue(head, 'transfer-encoding');
    if (transferEncoding !== undefined) {
      if (lengthHeader !== undefined) {
        throw this.failure({
          problem: 'The response has both Transfer-Encoding and Content-Length. A server must never send both (RFC 9112 §6.2): the client cannot tell which one frames the body.',
          symptom: 'length-and-chunked',
          caret: head.length - 2,
        }, this.unread.subarray(0, head.length));
      }
      // Chunked as the last coding frames the body (RFC 9112 §6.3); anything else runs until close.
      if (/(^|,)\s*chunked\s*$/i.test(transferEncoding)) return this.readChunked(head, deadline, limit && { bytes: limit.bytes, failure: overLimit });
    }

    if (bodyLength === undefined) {
      // No Content-Length: the body runs until the server closes the connection.
      while (!this.closed) {
        if (limit && this.unreadLength - head.length > limit.bytes) throw overLimit(this.unreadLength - head.length);
        if (!(await this.waitForData(deadline))) {
          stalled = true;
          throw this.failure({
            problem: 'The response has no Content-Length and the connection stayed open, so the client cannot tell where the body ends.',
            symptom: 'missing-header',
          }, this.unread);
        }
      }
      return this.take(head, this.unreadLength - head.length);
    }

    while (this.unreadLength < head.length + bodyLength) {
      if (this.closed) throw this.bodyTooShort(head, bodyLength, 'closed');
      if (!(await this.waitForData(deadline))) throw this.bodyTooShort(head, bodyLength, 'timeout');
    }
    const extra = this.unread.subarray(head.length + bodyLength);
    if (extra.length > 0 && !looksLikeNextResponse(extra)) {
      const body = this.unread.subarray(head.length);
      const countedCharacters = body.toString('utf8').length === bodyLength;
      throw this.failure({
        problem: `Content-Length says ${bodyLength} bytes, but ${extra.length} more bytes followed them.`,
        expected: countedCharacters ? `Content-Length: ${body.length} (the body's length in bytes)` : undefined,
        symptom: countedCharacters ? 'content-length-chars' : 'body-too-long',
        caret: head.length + bodyLength,
      }, this.unread);
    }
    return this.take(head, bodyLength);
  }

  /**
   * A chunked body (RFC 9112 §7.1): each chunk is its size in hex, CR LF, that many bytes, CR LF;
   * a chunk of size 0, any trailer lines and an empty line end it. The response's body is the
   * bytes of the chunks joined; its raw bytes are the chunks as they came.
   */
  private async readChunked(head: ResponseHead, deadline: number, limit?: { bytes: number; failure: (length: number) => CheckFailure }): Promise<HttpResponse> {
    const pieces: Buffer[] = [];
    let decoded = 0;
    /** Offset in the unread bytes of the next chunk-size line. */
    let at = head.length;
    const more = async (where: string): Promise<void> => {
      if (this.closed) {
        throw this.failure({ problem: `The connection closed in the middle of a chunked body, ${where}.`, symptom: 'bad-chunk', caret: this.unreadLength }, this.unread);
      }
      if (!(await this.waitForData(deadline))) {
        stalled = true;
        throw this.failure({ problem: `The chunked body did not end within ${DEADLINE_MS / 1000} s: nothing more arrived ${where}.`, symptom: 'bad-chunk', caret: this.unreadLength }, this.unread);
      }
    };
    for (;;) {
      const lineEnd = this.unread.indexOf('\r\n', at);
      if (lineEnd === -1) {
        await more('while waiting for the next chunk\'s size line');
        continue;
      }
      const line = this.unread.subarray(at, lineEnd).toString('latin1');
      const match = /^([0-9a-fA-F]{1,15})(?:[ \t]*;.*)?$/.exec(line);
      if (!match) throw this.failure({ problem: `Expected a chunk size in hexadecimal, got "${line}".`, symptom: 'bad-chunk', caret: at }, this.unread);
      const size = parseInt(match[1]!, 16);
      if (size === 0) {
        // The last chunk: trailer lines (usually none), then the empty line that ends the body.
        let lineStart = lineEnd + 2;
        for (;;) {
          const end = this.unread.indexOf('\r\n', lineStart);
          if (end === -1) {
            await more('after the last chunk ("0\\r\\n"): the empty line that ends the body never came');
            continue;
          }
          if (end === lineStart) return this.take(head, end + 2 - head.length, Buffer.concat(pieces));
          lineStart = end + 2;
        }
      }
      decoded += size;
      if (limit && decoded > limit.bytes) throw limit.failure(decoded);
      const dataEnd = lineEnd + 2 + size;
      while (this.unreadLength < dataEnd + 2) await more(`inside a chunk that announced ${size} bytes`);
      if (this.unread[dataEnd] !== 0x0d || this.unread[dataEnd + 1] !== 0x0a) {
        throw this.failure({ problem: `A chunk announced ${size} bytes, but what follows them is not CR LF: the size is not the number of bytes sent.`, symptom: 'bad-chunk', caret: dataEnd }, this.unread);
      }
      pieces.push(this.unread.subarray(lineEnd + 2, dataEnd));
      at = dataEnd + 2;
    }
  }

  /** Bytes that arrive within `timeoutMs` (without consuming them), or undefined if none do. */
  async peek(timeoutMs: number): Promise<Buffer | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.unreadLength === 0 && !this.closed) {
      if (!(await this.waitForData(deadline))) break;
    }
    return this.unreadLength > 0 ? this.unread : undefined;
  }

  /** Wait until `bytes` have arrived (unread in all): false if the server closed or went quiet first. */
  async waitForBytes(bytes: number, timeoutMs = DEADLINE_MS): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.unreadLength < bytes) {
      if (this.closed || !(await this.waitForData(deadline))) return false;
    }
    return true;
  }

  /**
   * Bytes that arrive before the server closes its side, or before `timeoutMs` if it keeps the
   * connection open. A server that closes promptly costs no waiting at all.
   */
  async leftover(timeoutMs: number): Promise<Buffer> {
    await this.waitForClose(timeoutMs);
    return this.unread;
  }

  /** Wait for the server to close its side: 'closed', 'reset', or 'open' if it had not by the deadline. */
  async waitForClose(timeoutMs = DEADLINE_MS): Promise<'closed' | 'reset' | 'open'> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (!(await this.waitForData(deadline))) return 'open';
    }
    return this.resetError ? 'reset' : 'closed';
  }

  /** Leave this connection open after the current test; whoever calls this closes it. */
  keepAcrossTests(): void {
    open.delete(this);
  }

  /**
   * Wait until the server has read every byte sent on this connection: where the kernel shows it
   * (tcp-table.ts) that takes a moment, and the result is true; elsewhere, or if the server has
   * not read them by then, this waits `pauseMs` and says false.
   */
  async untilServerHasRead(pauseMs: number): Promise<boolean> {
    return evidenceOrPause(() => {
      const end = this.serverEnd();
      return end === undefined || end === 'gone' ? undefined : end.unread === 0;
    }, pauseMs);
  }

  /**
   * Leave, and wait until the server process `pid` has closed its end of the connection (it has
   * noticed), and a moment more for what it does then (a 'close' handler); or `pauseMs` where
   * that cannot be seen.
   */
  async leave(pid: number | undefined, pauseMs: number): Promise<void> {
    const end = this.serverEnd();
    this.close();
    if (await this.untilReleased(pid, end, pauseMs)) await sleep(10);
  }

  /**
   * Reset the connection, and wait until the server process `pid` has let go of its end (it has
   * handled the reset: shrugged it off, or died of it), or `pauseMs` where that cannot be seen.
   */
  async resetAndWaitForServer(pid: number | undefined, pauseMs: number): Promise<void> {
    const end = this.serverEnd();
    this.reset();
    await this.untilReleased(pid, end, pauseMs);
  }

  private serverEnd(): ReturnType<typeof serverEnd> {
    return this.localPort === undefined ? undefined : serverEnd(this.port, this.localPort);
  }

  /** Until the process no longer holds the socket `end` names: true once seen, false after `pauseMs`. */
  private untilReleased(pid: number | undefined, end: ReturnType<typeof serverEnd>, pauseMs: number): Promise<boolean> {
    // Inode 0: the socket is still in the listener's queue, not yet the server's to let go of.
    if (pid === undefined || end === undefined || end === 'gone' || end.inode === '0') return evidenceOrPause(() => undefined, pauseMs);
    return evidenceOrPause(() => {
      const holds = holdsSocket(pid, end.inode);
      return holds === undefined ? undefined : !holds;
    }, pauseMs);
  }

  /** Stop reading: the server's writes back up, as they would behind a slow network. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** How many bytes have arrived and not been taken by readResponse. */
  get pendingBytes(): number {
    return this.unreadLength;
  }

  /** Abort the connection with a TCP reset, as a crashed client or a dropped network would. */
  reset(): void {
    // Once the server has closed, Node has ended our side too, and a reset is refused: the socket
    // would then never close, and vitest's worker would wait for it for ever. Closing is enough.
    if (this.socket.writableEnded) this.socket.destroy();
    else this.socket.resetAndDestroy();
    open.delete(this);
  }

  close(): void {
    this.socket.destroy();
    open.delete(this);
  }

  /** A CheckFailure that shows this connection's bytes. */
  failure(details: FailureDetails, received: Buffer = this.received): CheckFailure {
    return new CheckFailure({ sent: this.sent.toString('latin1'), received: received.toString('latin1'), ...details });
  }

  /** Take one response off the unread bytes: its head and `bodyLength` raw bytes (`decoded`: the body they carry, when chunked). */
  private take(head: ResponseHead, bodyLength: number, decoded?: Buffer): HttpResponse {
    const all = this.unread;
    const raw = all.subarray(0, head.length + bodyLength);
    this.unreadChunks = raw.length < all.length ? [all.subarray(raw.length)] : [];
    this.unreadLength = all.length - raw.length;
    return {
      head,
      status: head.status,
      body: decoded ?? raw.subarray(head.length),
      raw,
      header: (name) => headerValue(head, name),
      connection: this,
    };
  }

  private endedTooSoon(part: 'head'): CheckFailure {
    const reset = this.resetError !== undefined;
    const symptom: Symptom = reset ? 'reset' : this.unread.length === 0 ? 'closed-before-response' : 'head-never-ends';
    const how = reset ? `was reset (${this.resetError?.code ?? 'error'})` : 'was closed by the server';
    const problem = this.unread.length === 0
      ? `The connection ${how} before any response arrived.`
      : `The connection ${how} before the response ${part} was complete.`;
    return this.failure({ problem, symptom }, this.unread);
  }

  private timedOut(part: 'head'): CheckFailure {
    stalled = true;
    const seconds = DEADLINE_MS / 1000;
    if (this.unread.length === 0) {
      return this.failure({ problem: `No response arrived within ${seconds} s.`, symptom: 'no-response' }, this.unread);
    }
    return this.failure({
      problem: `The response ${part} did not end within ${seconds} s: no empty line ("\\r\\n\\r\\n") arrived.`,
      symptom: 'head-never-ends',
      caret: this.unread.length,
    }, this.unread);
  }

  private bodyTooShort(head: ResponseHead, bodyLength: number, how: 'closed' | 'timeout'): CheckFailure {
    const got = this.unread.length - head.length;
    if (how === 'timeout') stalled = true;
    return this.failure({
      problem: how === 'closed'
        ? `Content-Length says ${bodyLength} bytes, but the connection closed after ${got} body bytes.`
        : `Content-Length says ${bodyLength} bytes, but only ${got} body bytes arrived within ${DEADLINE_MS / 1000} s.`,
      symptom: 'body-too-short',
      caret: this.unread.length,
    }, this.unread);
  }

  /** The unread bytes as one Buffer (joined once, then kept joined). */
  private get unread(): Buffer {
    if (this.unreadChunks.length !== 1) this.unreadChunks = [Buffer.concat(this.unreadChunks)];
    return this.unreadChunks[0]!;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolve true when something happens on the socket, false at the deadline. */
  private waitForData(deadline: number): Promise<boolean> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, remaining);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}

function looksLikeNextResponse(bytes: Buffer): boolean {
  const prefix = 'HTTP/1.';
  return bytes.subarray(0, prefix.length).toString('latin1') === prefix.slice(0, Math.min(prefix.length, bytes.length));
}
