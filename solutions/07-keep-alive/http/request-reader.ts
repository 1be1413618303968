import type { Socket } from 'node:net';

const END_OF_HEAD = Buffer.from('\r\n\r\n');

// ANCHOR: reader
/**
 * The bytes a client sends, read as a sequence of requests. TCP delivers chunks that can hold
 * half a request, one, or several; the reader keeps what is left over for the next call.
 */
export class RequestReader {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.notify();
    });
    socket.on('end', () => this.finish());
    socket.on('close', () => this.finish());
  }

  /** True when part of a request has arrived and the rest has not. */
  get holdsPartialRequest(): boolean {
    return this.buffered.length > 0;
  }

  /**
   * The next request head, without the blank line that ends it. Undefined when the client
   * closes the connection first: between requests, that is how a connection normally ends.
   */
  async nextHead(): Promise<Buffer | undefined> {
    for (;;) {
      const end = this.buffered.indexOf(END_OF_HEAD);
      if (end !== -1) {
        const head = this.buffered.subarray(0, end);
        this.buffered = this.buffered.subarray(end + END_OF_HEAD.length);
        return head;
      }
      if (this.ended) return undefined;
      await this.more();
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
      if (this.ended) return false;
      await this.more();
    }
  }

  private more(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
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
