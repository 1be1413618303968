import type { Socket } from 'node:net';
import { cannotBeRequest, RequestError } from './parse-request.ts';

const END_OF_HEAD = Buffer.from('\r\n\r\n');

// RFC 9112 §3 asks servers to accept request lines of at least 8000 bytes; ours may be 8 KiB.
export const MAX_REQUEST_LINE = 8 * 1024;
// Everything after the request line, up to the blank line: generous for cookies, small enough
// that a thousand clients each sending the largest head allowed cost 24 MB, not all the memory there is.
export const MAX_HEADER_SECTION = 16 * 1024;
// The most unread input we hold for a client: one largest head. Past it, we stop reading until
// the head is answered, so a client that sends while we answer cannot fill our memory either.
export const MAX_UNREAD = MAX_REQUEST_LINE + MAX_HEADER_SECTION;
// A body has the head's deadline to arrive, plus one second for each KiB of it that does arrive:
// a real upload is far faster; one byte a second runs out within seconds (Apache's mod_reqtimeout
// has the same idea: a minimum rate).
const MIN_BODY_BYTES_PER_SECOND = 1024;

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
  // How many of the bytes held have been searched for the blank line that ends a head, and where
  // the first line of the head held ends, once found (for the limits).
  private searched = 0;
  private lineEnd: number | undefined;
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly socket: Socket;
  private readonly idleTimeoutMs: number;
  private readonly headTimeoutMs: number;

  /**
   * `idleTimeoutMs`: how long to wait for a client that sends nothing before giving up on it.
   * `headTimeoutMs`: how long a head may take to arrive whole, counted from its first byte.
   */
  constructor(socket: Socket, idleTimeoutMs: number, headTimeoutMs: number) {
    this.socket = socket;
    this.idleTimeoutMs = idleTimeoutMs;
    this.headTimeoutMs = headTimeoutMs;
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      // Enough for a whole head is held: read no more until it has been taken (see take()). The
      // kernel's buffers fill, and TCP makes the client wait.
      if (this.length > MAX_UNREAD) socket.pause();
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
  async nextHead(): Promise<Buffer | undefined> {
    // A head has until this moment to arrive whole; the clock starts with its first byte, so a
    // client that sends one byte a second cannot hold the connection forever ("slowloris").
    let deadline: number | undefined;
    for (;;) {
      const end = this.findEndOfHead();
      checkLimits(this.lineEnd, end === -1 ? this.length : end);
      if (end !== -1) return Buffer.concat(this.take(end + END_OF_HEAD.length)).subarray(0, end);
      // Bytes that can never begin a request (a TLS handshake, a bare LF) will never end in a
      // blank line either: hand them over as they are, and parseRequest answers 400 now.
      if (cannotBeRequest(this.firstBytes(8192).toString('latin1'))) return Buffer.concat(this.take(this.length));
      if (this.ended) return undefined;
      if (this.length > 0) deadline ??= Date.now() + this.headTimeoutMs;
      const wait = deadline === undefined ? this.idleTimeoutMs : Math.min(this.idleTimeoutMs, deadline - Date.now());
      if (wait <= 0 || !(await this.more(wait))) {
        // Silence between requests is the normal end of a connection; silence mid-head is a 408.
        if (this.length === 0) return undefined;
        throw new RequestError(408, 'The request did not arrive in time.');
      }
    }
  }

  /**
   * Read and throw away a body of `length` bytes, so the next request starts where it should.
   * False if the client stops, goes silent, or sends so slowly that the body misses its deadline.
   */
  async skip(length: number): Promise<boolean> {
    const started = Date.now();
    let left = length;
    for (;;) {
      const taken = Math.min(left, this.length);
      this.take(taken);
      left -= taken;
      if (left === 0) return true;
      const deadline = started + this.headTimeoutMs + ((length - left) / MIN_BODY_BYTES_PER_SECOND) * 1000;
      const wait = Math.min(this.idleTimeoutMs, deadline - Date.now());
      if (this.ended || wait <= 0 || !(await this.more(wait))) return false;
    }
  }

  /** Where the first "\r\n\r\n" starts in the bytes held, or -1. No byte is searched twice. */
  private findEndOfHead(): number {
    // Only the bytes that came since the last search, and the 3 before them: the four bytes of
    // "\r\n\r\n" can arrive split across chunks.
    const from = Math.max(0, this.searched - (END_OF_HEAD.length - 1));
    const bytes = this.bytesFrom(from);
    this.searched = this.length;
    // The request line ends at the first "\r\n": the limits need to know where, before the head is whole.
    const firstLineBreak = bytes.indexOf('\r\n');
    if (this.lineEnd === undefined && firstLineBreak !== -1) this.lineEnd = from + firstLineBreak;
    const found = bytes.indexOf(END_OF_HEAD);
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
    this.lineEnd = undefined;
    // Room again: read on.
    if (this.length <= MAX_UNREAD) this.socket.resume();
    return taken;
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

/**
 * Refuse a head (or the part of one that has arrived) that is already too large: `lineEnd` is
 * where its request line ends, if that has arrived, and `length` how many bytes of it there are.
 */
function checkLimits(lineEnd: number | undefined, length: number): void {
  const requestLine = lineEnd ?? length;
  if (requestLine > MAX_REQUEST_LINE) throw new RequestError(414, 'The request line is longer than 8 KiB.');
  if (lineEnd !== undefined && length - lineEnd > MAX_HEADER_SECTION) {
    throw new RequestError(431, 'The request headers are larger than 16 KiB.');
  }
}
