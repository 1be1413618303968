import { realpathSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveFile } from './files/serve-file.ts';
import { cannotBeRequest, parseRequest, RequestError, type Request } from './http/parse-request.ts';
import { errorPage, sendResponse, type Response } from './http/response.ts';

const port = Number(process.env.PORT ?? 8000);
// The folder to serve: ROOT if given, else the public/ folder next to this file. Its real path
// (symbolic links resolved) once, now: every file served must turn out to be inside it.
const root = realpathSync(path.resolve(process.env.ROOT ?? fileURLToPath(new URL('./public/', import.meta.url))));

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

// TODO: answer every request on the connection, not just the first. Replace the 'data' handler
//   below with a loop: `const reader = new RequestReader(socket, 2000)`, then repeatedly
//   `await reader.nextHead()` (undefined: the client is gone), parse, answer, and go round again.
// TODO: close after the response when the request says "Connection: close" (a comma-separated,
//   case-insensitive list), when an HTTP/1.0 request did not ask for "keep-alive", and after a
//   malformed request.
// TODO: a request with Content-Length has a body: reader.skip() it before the next request.
// TODO: call socket.setNoDelay(true) for each new connection: with several responses on one
//   connection, Nagle's algorithm would hold each one back by 40 ms (the lesson says why).
// TODO: close a connection that sits idle: create the reader with an idle timeout of 2000 ms,
//   and when nextHead() gives undefined (client gone, or silent too long), socket.end() and stop.
// TODO: close for good. socket.end() only sends our FIN, and a client that never closes its side
//   keeps the socket, and its descriptor, for ever. Once end()'s callback says our last byte has
//   left, give the client 2 s to close, then socket.destroy() (RFC 9112 §9.6, lingering close).
// TODO: a pipelined request waits its turn: before answering the next one, if
//   socket.writableNeedDrain is true, wait for 'drain' (or 'close'). socket.write never refuses
//   bytes, so a client that sends 2,000 requests and reads nothing would fill our memory.
const server = net.createServer((socket) => {
  socket.on('error', () => {});

  let received = Buffer.alloc(0);
  socket.on('data', async function onData(chunk) {
    received = Buffer.concat([received, chunk]);
    const end = received.indexOf('\r\n\r\n');
    // Bytes that can never begin a request (a TLS handshake, lines ending in a bare LF) will
    // never end in a blank line either: hand them to parseRequest now, which answers 400.
    if (end === -1 && !cannotBeRequest(received.toString('latin1', 0, 8192))) return;
    // One request per connection, for now: stop reading once we have it.
    socket.off('data', onData);

    let response: Response;
    let method = 'GET';
    try {
      const request = parseRequest(received.subarray(0, end === -1 ? received.length : end).toString('latin1'));
      method = request.method;
      response = await respond(request);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      response = errorPage(error.status, error.message);
    }
    // A client that leaves mid-file ends the stream with an error: nothing more to do for it.
    await sendResponse(socket, response, method).catch(() => {});
  });
});

server.listen(port, () => {
  console.log(`serving at port ${port} (files from ${root})`);
});
