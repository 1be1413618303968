import { realpathSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveFile } from './files/serve-file.ts';
import { logResponse } from './http/access-log.ts';
import { parseRequest, RequestError, type Request } from './http/parse-request.ts';
import { RequestReader } from './http/request-reader.ts';
import { drained, errorPage, sendResponse, type Persistence, type Response } from './http/response.ts';

const port = Number(process.env.PORT ?? 8000);
// The folder to serve: ROOT if given, else the public/ folder next to this file. Its real path
// (symbolic links resolved) once, now: every file served must turn out to be inside it.
const root = realpathSync(path.resolve(process.env.ROOT ?? fileURLToPath(new URL('./public/', import.meta.url))));

// ANCHOR: idle
// How long a connection may sit silent before we close it (RFC 9112 §9.5 allows closing an
// idle connection at any time). Node's own http server waits 5 s; 2 s is plenty for a
// browser loading a page, and short enough to watch happen.
const IDLE_TIMEOUT_MS = 2000;
// A request head must arrive whole within this long of its first byte. Short enough that a
// client trickling bytes cannot tie up a connection for long; long enough for any real network.
const HEAD_TIMEOUT_MS = 3000;
// A client that leaves our bytes waiting this long, unread, loses its connection (see
// abandonWhenStalled). A working network, even a slow one, takes some of them far sooner.
const SEND_TIMEOUT_MS = 5000;
// ANCHOR_END: idle

// ANCHOR: close
// How long a client has, after our last byte and our FIN, to close its side (see closeConnection).
const LINGER_MS = 2000;

/**
 * Close a connection we are done with, gently but surely. socket.end() sends our FIN after the
 * last byte of the response, and the client closes its side once it has read it. Closing at once
 * instead could make the kernel answer the client's next bytes with a reset, which can destroy
 * the response before the client has read it (RFC 9112 §9.6, "lingering close"). But a client
 * that never closes its side would keep the socket, and its file descriptor, for ever: once
 * everything has been handed to the kernel, it gets LINGER_MS, then the socket is destroyed.
 */
function closeConnection(socket: net.Socket): void {
  // Whatever the client still sends is read and thrown away, not kept.
  socket.removeAllListeners('data');
  socket.resume();
  socket.end(() => setTimeout(() => socket.destroy(), LINGER_MS));
}
// ANCHOR_END: close

// ANCHOR: send-timeout
/**
 * Give up on a client that has stopped reading. Our bytes wait in the socket's buffer until the
 * kernel takes them, and the kernel takes them only as the client reads; 'drain' says the buffer
 * has emptied. A buffer still full SEND_TIMEOUT_MS after it filled (we look twice a second)
 * means the client is not reading: destroy the connection. Without this, a client that asks for
 * a large file and never reads keeps a file descriptor, an open file and a full buffer for as
 * long as it likes — and closeConnection's lingering timer never starts, since our last byte
 * never leaves.
 */
function abandonWhenStalled(socket: net.Socket): void {
  let fullSince: number | undefined;
  socket.on('drain', () => (fullSince = undefined));
  const check = setInterval(() => {
    if (!socket.writableNeedDrain) return;
    fullSince ??= Date.now();
    if (Date.now() - fullSince >= SEND_TIMEOUT_MS) socket.destroy();
  }, 500);
  socket.on('close', () => clearInterval(check));
}
// ANCHOR_END: send-timeout

// The largest request body we read to its end to keep the connection (we never use one).
const MAX_SKIPPED_BODY = 1024 * 1024;

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

// ANCHOR: persistence
/** RFC 9112 §9.3: HTTP/1.1 stays open unless a side says "close"; HTTP/1.0 closes unless asked not to. */
function persistenceOf(request: Request): Persistence {
  const options = (request.headers.get('connection') ?? '').split(',').map((option) => option.trim().toLowerCase());
  if (options.includes('close')) return 'close';
  if (request.version === 'HTTP/1.0') return options.includes('keep-alive') ? 'keep-alive' : 'close';
  return 'default';
}
// ANCHOR_END: persistence

// ANCHOR: connection
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
      // The client has gone, or said nothing for too long: close our side, quietly.
      if (head === undefined) {
        closeConnection(socket);
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
      closeConnection(socket);
      return;
    }

    let persistence = persistenceOf(request);
    // A body must be read to its end, or its bytes would be taken for the next request. A
    // Content-Length says where it ends; a chunked body we would have to decode, so we close instead.
    const length = request.headers.get('content-length');
    // A body larger than MAX_SKIPPED_BODY is not waited for either: the answer goes first, and the
    // connection closes after it, so a client that only announces 10 GB still hears why it failed.
    if (request.headers.has('transfer-encoding') || (length !== undefined && Number(length) > MAX_SKIPPED_BODY)) {
      persistence = 'close';
    } else if (length !== undefined && !(await reader.skip(Number(length)))) {
      closeConnection(socket);
      return;
    }

    const response = await respond(request);
    const sent = await sendResponse(socket, response, request.method, persistence);
    logResponse(client, requestLine, response.status, sent);
    if (persistence === 'close') {
      closeConnection(socket);
      return;
    }
    // The next request may be here already (pipelining): answer it only once the client has
    // made room by reading this answer.
    await drained(socket);
  }
}
// ANCHOR_END: connection

const server = net.createServer((socket) => {
  socket.on('error', () => {});
  // Send each write at once. Otherwise Nagle's algorithm holds a body back until the head's
  // packet is acknowledged — and the client delays that acknowledgement: 40 ms per response.
  socket.setNoDelay(true);
  abandonWhenStalled(socket);
  // A client that leaves mid-response ends things with an error: nothing more to do for it.
  serveConnection(socket).catch(() => socket.destroy());
});

server.listen(port, () => {
  console.log(`serving at port ${port} (files from ${root})`);
});
