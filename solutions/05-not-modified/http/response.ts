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
}

// ANCHOR: serialize
/**
 * The bytes of a whole response. For HEAD, the headers describe the body a GET would get,
 * but the body itself is left out (RFC 9110 §9.3.2).
 */
export function serialize(response: Response, method: string): Buffer {
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : (response.body ?? Buffer.alloc(0));
  const lines = [
    `HTTP/1.1 ${response.status} ${REASONS[response.status]}`,
    `Date: ${new Date().toUTCString()}`,
    ...Object.entries(response.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    // A 304 has no body, and its Content-Length would have to be the 200's (RFC 9110 §8.6): leave it out.
    ...(response.status === 304 ? [] : [`Content-Length: ${body.length}`]),
    'Connection: close',
    '',
    '',
  ];
  const head = Buffer.from(lines.join('\r\n'), 'latin1');
  return method === 'HEAD' ? head : Buffer.concat([head, body]);
}
// ANCHOR_END: serialize

/** A small HTML page explaining an error. It never echoes the request back: that is how pages get injected. */
export function errorPage(status: number, explanation: string, headers: Record<string, string> = {}): Response {
  const title = `${status} ${REASONS[status]}`;
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers },
    body: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1><p>${explanation}</p></body></html>\n`,
  };
}
