import { open } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';

const REASONS: Record<number, string> = {
  200: 'OK',
  301: 'Moved Permanently',
  304: 'Not Modified',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  412: 'Precondition Failed',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
};

// Files up to this size are read whole and sent with their head; larger ones are streamed.
const SMALL_FILE = 64 * 1024;

export interface Response {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** A body that stays on disk until it is sent, read piece by piece. */
  file?: { path: string; size: number };
}

/** How the connection goes on after this response (RFC 9112 §9.3). */
export type Persistence = 'close' | 'keep-alive' | 'default';

/** The bytes of the status line and headers, for a body of `length` bytes. */
export function responseHead(response: Response, length: number, persistence: Persistence): Buffer {
  const lines = [
    `HTTP/1.1 ${response.status} ${REASONS[response.status]}`,
    `Date: ${new Date().toUTCString()}`,
    ...Object.entries(response.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    // A 304 has no body, and its Content-Length would have to be the 200's (RFC 9110 §8.6): leave it out.
    ...(response.status === 304 ? [] : [`Content-Length: ${length}`]),
    // HTTP/1.1 stays open unless told otherwise; HTTP/1.0 needs to hear "keep-alive" to stay.
    ...(persistence === 'default' ? [] : [`Connection: ${persistence}`]),
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/**
 * Write a whole response, leaving the connection open for the next one. For HEAD, the headers
 * describe the body a GET would get, but the body itself is left out (RFC 9110 §9.3.2) — and a
 * file is never opened.
 */
export async function sendResponse(socket: Socket, response: Response, method: string, persistence: Persistence): Promise<void> {
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : (response.body ?? Buffer.alloc(0));
  const head = responseHead(response, response.file ? response.file.size : body.length, persistence);
  if (method === 'HEAD' || !response.file) {
    socket.write(method === 'HEAD' ? head : Buffer.concat([head, body]));
    return;
  }
  const { path, size } = response.file;
  // Open the file before a byte of the head goes out: a file that cannot be read (no permission,
  // or gone since stat) still gets its 404, instead of a 200 and then a dropped connection. The
  // response becomes the 404 itself, so whoever logs its status logs what was sent.
  const handle = await open(path).catch(() => undefined);
  if (handle === undefined) {
    Object.assign(response, errorPage(404, 'There is no file at this address.'));
    delete response.file;
    return sendResponse(socket, response, method, persistence);
  }
  if (size <= SMALL_FILE) {
    // One read and one write: the whole response leaves in one go, often in one packet.
    const whole = await handle.readFile();
    await handle.close();
    socket.write(Buffer.concat([head, whole.subarray(0, size)]));
    // The file shrank since stat() measured it: the body is short of its Content-Length (see below).
    if (whole.length < size) socket.destroy();
    return;
  }
  socket.write(head);
  // pipeline moves the file in chunks and waits whenever the socket's buffer is full, so a
  // 10 GB file costs as much memory as a 10 KB one. If the client leaves, it closes the file.
  // Reading exactly `size` bytes keeps Content-Length true even if the file grows meanwhile;
  // `end: false` leaves the connection open for the next request.
  const file = handle.createReadStream({ start: 0, end: size - 1 });
  await pipeline(file, socket, { end: false });
  // A file cut short while it was sent (someone truncated it) ends the body before the
  // Content-Length the head promised, and the client would read our next response as the rest
  // of this one. Closing is the only way left to say this message is incomplete (RFC 9112 §8).
  if (file.bytesRead < size) socket.destroy();
}

/**
 * Wait until the socket has handed what it holds to the kernel (or has closed). socket.write
 * never refuses bytes: it keeps them in memory until the client reads. So before the next
 * pipelined response we wait for room, or a client that sends 2,000 requests and reads none of
 * the answers has us hold 2,000 responses.
 */
export function drained(socket: Socket): Promise<void> {
  if (!socket.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** A small HTML page explaining an error. It never echoes the request back: that is how pages get injected. */
export function errorPage(status: number, explanation: string, headers: Record<string, string> = {}): Response {
  const title = `${status} ${REASONS[status]}`;
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers },
    body: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1><p>${explanation}</p></body></html>\n`,
  };
}
