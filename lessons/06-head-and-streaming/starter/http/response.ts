import type { Socket } from 'node:net';

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

export interface Response {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** A body that stays on disk until it is sent, read piece by piece. */
  file?: { path: string; size: number };
}

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

/** Write a whole response and close the connection. */
export async function sendResponse(socket: Socket, response: Response, method: string): Promise<void> {
  // TODO: for HEAD, write the same head — Content-Length included — and no body at all.
  // TODO: when response.file is set, do not read it whole. First open it (open() from
  //   node:fs/promises): if that fails (EACCES), answer errorPage(404, …) instead, before any
  //   head is written. Then write the head, and stream the file with
  //   pipeline(handle.createReadStream({ start: 0, end: size - 1 }), socket), imported from
  //   node:stream/promises. pipeline waits while the socket is full and closes the file if the
  //   client leaves. (A file of size 0 has nothing to stream: just end the socket.)
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : (response.body ?? Buffer.alloc(0));
  socket.end(Buffer.concat([responseHead(response, body.length), body]));
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
