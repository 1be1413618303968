import type { Socket } from 'node:net';

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
    // TODO: loop. If this.buffered contains "\r\n\r\n", cut the head off the front of the buffer
    //   (keep everything after the blank line: it is the start of the next request) and return
    //   it. Otherwise, if the client has ended, return undefined; else wait with
    //   `await this.more()` — false means nothing came within the idle timeout: return undefined.
    return undefined;
  }

  /** Read and throw away a body of `length` bytes, so the next request starts where it should. */
  async skip(length: number): Promise<boolean> {
    // TODO: drop `length` bytes from the front of the buffer, waiting for more data (this.more())
    //   as long as needed. Return false if the client ends the connection or goes silent first.
    return false;
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
