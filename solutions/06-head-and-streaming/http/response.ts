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
  412: 'Precondition Failed',
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

// ANCHOR: head
/** The bytes of the status line and headers, for a body of `length` bytes. */
export function responseHead(response: Response, length: number): Buffer {
  const lines = [
    `HTTP/1.1 ${response.status} ${REASONS[response.status]}`,
    `Date: ${new Date().toUTCString()}`,
    ...Object.entries(response.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    // A 304 has no body, and its Content-Length would have to be the 200's (RFC 9110 §8.6): leave it out.
    ...(response.status === 304 ? [] : [`Content-Length: ${length}`]),
    'Connection: close',
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}
// ANCHOR_END: head

// ANCHOR: send
/**
 * Write a whole response and close the connection. For HEAD, the headers describe the body a
 * GET would get, but the body itself is left out (RFC 9110 §9.3.2) — and a file is never opened.
 */
export async function sendResponse(socket: Socket, response: Response, method: string): Promise<void> {
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : (response.body ?? Buffer.alloc(0));
  const head = responseHead(response, response.file ? response.file.size : body.length);
  if (method === 'HEAD' || !response.file) {
    socket.end(method === 'HEAD' ? head : Buffer.concat([head, body]));
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
    return sendResponse(socket, response, method);
  }
  if (size <= SMALL_FILE) {
    // One read and one write: the whole response leaves in one go, often in one packet.
    const whole = await handle.readFile();
    await handle.close();
    socket.end(Buffer.concat([head, whole.subarray(0, size)]));
    return;
  }
  socket.write(head);
  // pipeline moves the file in chunks and waits whenever the socket's buffer is full, so a
  // 10 GB file costs as much memory as a 10 KB one. If the client leaves, it closes the file.
  // Reading exactly `size` bytes keeps Content-Length true even if the file grows meanwhile.
  await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), socket);
}
// ANCHOR_END: send

/** A small HTML page explaining an error. It never echoes the request back: that is how pages get injected. */
export function errorPage(status: number, explanation: string, headers: Record<string, string> = {}): Response {
  const title = `${status} ${REASONS[status]}`;
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers },
    body: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1><p>${explanation}</p></body></html>\n`,
  };
}
