import type { Socket } from 'node:net';
import { cannotBeRequest } from './parse-request.ts';

const END_OF_HEAD = Buffer.from('\r\n\r\n');

// TODO: limits. While waiting for the end of a head, refuse one that is already too large:
//   a request line (up to the first "\r\n") over 8 KiB → throw new RequestError(414, …);
//   more than 16 KiB after the request line → RequestError(431, …). (RequestError is in
//   ./parse-request.ts; give it the statuses 408, 414 and 431.)
// TODO: slow clients. A head must arrive whole within a deadline counted from its first byte
//   (3 s): past it, throw RequestError(408, …). Silence with part of a head in the buffer is a
//   408 too; silence with an empty buffer is still the quiet end of the connection.
// TODO: input while we answer. A client can keep sending while its response is on its way: once
//   more than one largest head (8 KiB + 16 KiB) is held unread, socket.pause() until take() has
//   made room again (then socket.resume()), so its bytes wait in the kernel, not in our memory.
// TODO: a body has a deadline too: skip() gives it the head's 3 s plus one second for each KiB
//   that arrives; past it, return false (the connection closes). One byte a second must not do.

/**
 * The bytes a client sends, read as a sequence of requests. TCP delivers chunks that can hold
 * half a request, one, or several; the reader keeps what is left over for the next call.
 */
export class RequestReader {
  // The bytes received and not taken yet, kept as the chunks they came in. Gluing every chunk
  // onto one buffer (Buffer.concat) would copy all the bytes held, again, for each new chunk: a
  // client sending megabytes in small pieces would have us copy gigabytes.
  private chunks: Buffer[] = [];
  private length = 0;
  // How many of the bytes held have been searched for the blank line that ends a head.
  private searched = 0;
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly idleTimeoutMs: number;

  /** `idleTimeoutMs`: how long to wait for a client that sends nothing before giving up on it. */
  constructor(socket: Socket, idleTimeoutMs: number) {
    this.idleTimeoutMs = idleTimeoutMs;
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.notify();
    });
    socket.on('end', () => this.finish());
    socket.on('close', () => this.finish());
  }

  /**
   * The next request head, without the blank line that ends it. Undefined when the client
   * closes the connection, or sends nothing for `idleTimeoutMs`: either way, we are done with it.
   */
  async nextHead(): Promise<Buffer | undefined> {
    for (;;) {
      const end = this.findEndOfHead();
      if (end !== -1) return Buffer.concat(this.take(end + END_OF_HEAD.length)).subarray(0, end);
      // Bytes that can never begin a request (a TLS handshake, a bare LF) will never end in a
      // blank line either: hand them over as they are, and parseRequest answers 400 now.
      if (cannotBeRequest(this.firstBytes(8192).toString('latin1'))) return Buffer.concat(this.take(this.length));
      if (this.ended || !(await this.more())) return undefined;
    }
  }

  /** Read and throw away a body of `length` bytes, so the next request starts where it should. */
  async skip(length: number): Promise<boolean> {
    let left = length;
    for (;;) {
      const taken = Math.min(left, this.length);
      this.take(taken);
      left -= taken;
      if (left === 0) return true;
      if (this.ended || !(await this.more())) return false;
    }
  }

  /** Where the first "\r\n\r\n" starts in the bytes held, or -1. No byte is searched twice. */
  private findEndOfHead(): number {
    // Only the bytes that came since the last search, and the 3 before them: the four bytes of
    // "\r\n\r\n" can arrive split across chunks.
    const from = Math.max(0, this.searched - (END_OF_HEAD.length - 1));
    const found = this.bytesFrom(from).indexOf(END_OF_HEAD);
    this.searched = this.length;
    return found === -1 ? -1 : from + found;
  }

  /** Up to `count` of the bytes held, from the first: copied only if they span chunks. */
  private firstBytes(count: number): Buffer {
    const first = this.chunks[0] ?? Buffer.alloc(0);
    if (first.length >= count || this.chunks.length <= 1) return first.subarray(0, count);
    return Buffer.concat(this.chunks, Math.min(count, this.length));
  }

  /** The bytes held from `offset` on, in one buffer: only those are copied, and only if they span chunks. */
  private bytesFrom(offset: number): Buffer {
    const pieces: Buffer[] = [];
    let start = this.length; // where the chunk looked at starts
    for (let i = this.chunks.length - 1; i >= 0 && start > offset; i--) {
      start -= this.chunks[i]!.length;
      pieces.unshift(this.chunks[i]!.subarray(Math.max(0, offset - start)));
    }
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  /** Take the first `count` bytes held off the front, as pieces; what is left is the next request's. */
  private take(count: number): Buffer[] {
    const taken: Buffer[] = [];
    for (let left = count; left > 0; ) {
      const chunk = this.chunks[0]!;
      if (chunk.length > left) {
        taken.push(chunk.subarray(0, left));
        this.chunks[0] = chunk.subarray(left);
        break;
      }
      taken.push(chunk);
      this.chunks.shift();
      left -= chunk.length;
    }
    this.length -= count;
    // The bytes left have not been searched for a head of their own yet.
    this.searched = 0;
    return taken;
  }

  /** Wait for more bytes (or the end): false if none came within the idle timeout. */
  private more(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), this.idleTimeoutMs);
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
