import { realpathSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveFile } from './files/serve-file.ts';
import { cannotBeRequest, parseRequest, RequestError, type Request } from './http/parse-request.ts';
import { errorPage, serialize, type Response } from './http/response.ts';

const port = Number(process.env.PORT ?? 8000);
// ANCHOR: root
// The folder to serve: ROOT if given, else the public/ folder next to this file. Its real path
// (symbolic links resolved) once, now: every file served must turn out to be inside it.
const root = realpathSync(path.resolve(process.env.ROOT ?? fileURLToPath(new URL('./public/', import.meta.url))));
// ANCHOR_END: root

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
  return serveFile(root, request.target);
}

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
    socket.end(serialize(response, method));
  });
});

server.listen(port, () => {
  console.log(`serving at port ${port} (files from ${root})`);
});
