import type { Socket } from 'node:net';

const END_OF_HEAD = Buffer.from('\r\n\r\n');

// TODO: limits. While waiting for the end of a head, refuse one that is already too large:
//   a request line (up to the first "\r\n") over 8 KiB → throw new RequestError(414, …);
//   more than 16 KiB after the request line → RequestError(431, …). (RequestError is in
//   ./parse-request.ts; give it the statuses 408, 414 and 431.)
// TODO: slow clients. A head must arrive whole within a deadline counted from its first byte
//   (3 s): past it, throw RequestError(408, …). Silence with part of a head in the buffer is a
//   408 too; silence with an empty buffer is still the quiet end of the connection.

/**
 * The bytes a client sends, read as a sequence of requests. TCP delivers chunks that can hold
 * half a request, one, or several; the reader keeps what is left over for the next call.
 */
export class RequestReader {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly idleTimeoutMs: number;

  /** `idleTimeoutMs`: how long to wait for a client that sends nothing before giving up on it. */
  constructor(socket: Socket, idleTimeoutMs: number) {
    this.idleTimeoutMs = idleTimeoutMs;
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
   */
  async nextHead(): Promise<Buffer | undefined> {
    for (;;) {
      const end = this.buffered.indexOf(END_OF_HEAD);
      if (end !== -1) {
        const head = this.buffered.subarray(0, end);
        this.buffered = this.buffered.subarray(end + END_OF_HEAD.length);
        return head;
      }
      if (this.ended || !(await this.more())) return undefined;
    }
  }

  /** Read and throw away a body of `length` bytes, so the next request starts where it should. */
  async skip(length: number): Promise<boolean> {
    let left = length;
    for (;;) {
      const taken = Math.min(left, this.buffered.length);
      this.buffered = this.buffered.subarray(taken);
      left -= taken;
      if (left === 0) return true;
      if (this.ended || !(await this.more())) return false;
    }
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
