import { realpathSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveFile } from './files/serve-file.ts';
import { logResponse } from './http/access-log.ts';
import { parseRequest, RequestError, type Request } from './http/parse-request.ts';
import { RequestReader } from './http/request-reader.ts';
import { errorPage, sendResponse, type Persistence, type Response } from './http/response.ts';

const port = Number(process.env.PORT ?? 8000);
// The folder to serve: ROOT if given, else the public/ folder next to this file. Its real path
// (symbolic links resolved) once, now: every file served must turn out to be inside it.
const root = realpathSync(path.resolve(process.env.ROOT ?? fileURLToPath(new URL('./public/', import.meta.url))));

// How long a connection may sit silent before we close it (RFC 9112 §9.5 allows closing an
// idle connection at any time). Node's own http server waits 5 s; 2 s is plenty for a
// browser loading a page, and short enough to watch happen.
const IDLE_TIMEOUT_MS = 2000;
// A request head must arrive whole within this long of its first byte. Short enough that a
// client trickling bytes cannot tie up a connection for long; long enough for any real network.
const HEAD_TIMEOUT_MS = 3000;

// Methods this server knows but does not do: they get 405 and the list of what it does.
const KNOWN_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);

async function respond(request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    if (KNOWN_METHODS.has(request.method)) {
      // RFC 9110 §15.5.6: a 405 must say which methods would work.
      return errorPage(405, 'This server only reads.', { Allow: 'GET, HEAD' });
    }
    return errorPage(501, 'This server does not know that method.');
  }
  return serveFile(root, request);
}

/** RFC 9112 §9.3: HTTP/1.1 stays open unless a side says "close"; HTTP/1.0 closes unless asked not to. */
function persistenceOf(request: Request): Persistence {
  const options = (request.headers.get('connection') ?? '').split(',').map((option) => option.trim().toLowerCase());
  if (options.includes('close')) return 'close';
  if (request.version === 'HTTP/1.0') return options.includes('keep-alive') ? 'keep-alive' : 'close';
  return 'default';
}

/** Answer every request on one connection, in order, until one of the two sides closes it. */
async function serveConnection(socket: net.Socket): Promise<void> {
  const reader = new RequestReader(socket, IDLE_TIMEOUT_MS, HEAD_TIMEOUT_MS);
  // Read now: once the client has gone, the socket no longer knows who it was.
  const client = socket.remoteAddress;
  for (;;) {
    let request: Request;
    let requestLine: string | undefined;
    try {
      const head = await reader.nextHead();
      // The client has gone, or said nothing for too long: end our side, quietly.
      if (head === undefined) {
        socket.end();
        return;
      }
      const text = head.toString('latin1');
      requestLine = text.split('\r\n', 1)[0];
      request = parseRequest(text);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      // After a malformed request there is no telling where the next one starts: answer and close.
      const sent = await sendResponse(socket, errorPage(error.status, error.message), 'GET', 'close');
      logResponse(client, requestLine, error.status, sent);
      socket.end();
      return;
    }

    let persistence = persistenceOf(request);
    // A body must be read to its end, or its bytes would be taken for the next request. A
    // Content-Length says where it ends; a chunked body we would have to decode, so we close instead.
    const length = request.headers.get('content-length');
    if (request.headers.has('transfer-encoding')) {
      persistence = 'close';
    } else if (length !== undefined && !(await reader.skip(Number(length)))) {
      socket.end();
      return;
    }

    const response = await respond(request);
    const sent = await sendResponse(socket, response, request.method, persistence);
    logResponse(client, requestLine, response.status, sent);
    if (persistence === 'close') {
      socket.end();
      return;
    }
  }
}

const server = net.createServer((socket) => {
  socket.on('error', () => {});
  // Send each write at once. Otherwise Nagle's algorithm holds a body back until the head's
  // packet is acknowledged — and the client delays that acknowledgement: 40 ms per response.
  socket.setNoDelay(true);
  // A client that leaves mid-response ends things with an error: nothing more to do for it.
  serveConnection(socket).catch(() => socket.destroy());
});

server.listen(port, () => {
  console.log(`serving at port ${port} (files from ${root})`);
});
