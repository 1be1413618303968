import type { Socket } from 'node:net';
import { RequestError } from './parse-request.ts';

const END_OF_HEAD = Buffer.from('\r\n\r\n');

// ANCHOR: limits
// RFC 9112 §3 asks servers to accept request lines of at least 8000 bytes; ours may be 8 KiB.
export const MAX_REQUEST_LINE = 8 * 1024;
// Everything after the request line, up to the blank line: generous for cookies, small enough
// that a thousand clients each sending the largest head allowed cost 24 MB, not all the memory there is.
export const MAX_HEADER_SECTION = 16 * 1024;
// ANCHOR_END: limits

// ANCHOR: reader
/**
 * The bytes a client sends, read as a sequence of requests. TCP delivers chunks that can hold
 * half a request, one, or several; the reader keeps what is left over for the next call.
 */
export class RequestReader {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly idleTimeoutMs: number;
  private readonly headTimeoutMs: number;

  /**
   * `idleTimeoutMs`: how long to wait for a client that sends nothing before giving up on it.
   * `headTimeoutMs`: how long a head may take to arrive whole, counted from its first byte.
   */
  constructor(socket: Socket, idleTimeoutMs: number, headTimeoutMs: number) {
    this.idleTimeoutMs = idleTimeoutMs;
    this.headTimeoutMs = headTimeoutMs;
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.notify();
    });
    socket.on('end', () => this.finish());
    socket.on('close', () => this.finish());
  }

  /**
   * The next request head, without the blank line that ends it. Undefined when the client
   * closes the connection, or sends nothing for `idleTimeoutMs`: either way, we are done with it.
   * Throws a RequestError (408, 414, 431) for a head that is too slow or too large.
   */
  // ANCHOR: next-head
  async nextHead(): Promise<Buffer | undefined> {
    // A head has until this moment to arrive whole; the clock starts with its first byte, so a
    // client that sends one byte a second cannot hold the connection forever ("slowloris").
    let deadline: number | undefined;
    for (;;) {
      const end = this.buffered.indexOf(END_OF_HEAD);
      checkLimits(end === -1 ? this.buffered : this.buffered.subarray(0, end));
      if (end !== -1) {
        const head = this.buffered.subarray(0, end);
        this.buffered = this.buffered.subarray(end + END_OF_HEAD.length);
        return head;
      }
      if (this.ended) return undefined;
      if (this.buffered.length > 0) deadline ??= Date.now() + this.headTimeoutMs;
      const wait = deadline === undefined ? this.idleTimeoutMs : Math.min(this.idleTimeoutMs, deadline - Date.now());
      if (wait <= 0 || !(await this.more(wait))) {
        // Silence between requests is the normal end of a connection; silence mid-head is a 408.
        if (this.buffered.length === 0) return undefined;
        throw new RequestError(408, 'The request did not arrive in time.');
      }
    }
  }
  // ANCHOR_END: next-head

  /** Read and throw away a body of `length` bytes, so the next request starts where it should. */
  async skip(length: number): Promise<boolean> {
    let left = length;
    for (;;) {
      const taken = Math.min(left, this.buffered.length);
      this.buffered = this.buffered.subarray(taken);
      left -= taken;
      if (left === 0) return true;
      if (this.ended || !(await this.more(this.idleTimeoutMs))) return false;
    }
  }

  /** Wait for more bytes (or the end): false if none came within `timeoutMs`. */
  private more(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private finish(): void {
    this.ended = true;
    this.notify();
  }
}
// ANCHOR_END: reader

// ANCHOR: check-limits
/** Refuse a head (or the part of one that has arrived) that is already too large. */
function checkLimits(head: Buffer): void {
  const lineEnd = head.indexOf('\r\n');
  const requestLine = lineEnd === -1 ? head.length : lineEnd;
  if (requestLine > MAX_REQUEST_LINE) throw new RequestError(414, 'The request line is longer than 8 KiB.');
  if (lineEnd !== -1 && head.length - lineEnd > MAX_HEADER_SECTION) {
    throw new RequestError(431, 'The request headers are larger than 16 KiB.');
  }
}
// ANCHOR_END: check-limits
