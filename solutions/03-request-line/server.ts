import net from 'node:net';
import { cannotBeRequest, parseRequest, RequestError, type Request } from './http/parse-request.ts';
import { errorPage, serialize, type Response } from './http/response.ts';

const port = Number(process.env.PORT ?? 8000);

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>From Socket to Server</title></head>
<body><h1>Hello from a server written by hand — café edition</h1></body>
</html>
`;

// Methods this server knows but does not do: they get 405 and the list of what it does.
const KNOWN_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);

// ANCHOR: route
function respond(request: Request): Response {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    if (KNOWN_METHODS.has(request.method)) {
      // RFC 9110 §15.5.6: a 405 must say which methods would work.
      return errorPage(405, 'This server only reads.', { Allow: 'GET, HEAD' });
    }
    return errorPage(501, 'This server does not know that method.');
  }
  if (request.target !== '/') return errorPage(404, 'There is nothing here.');
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page };
}
// ANCHOR_END: route

const server = net.createServer((socket) => {
  socket.on('error', () => {});

  let received = Buffer.alloc(0);
  socket.on('data', function onData(chunk) {
    received = Buffer.concat([received, chunk]);
    const end = received.indexOf('\r\n\r\n');
    // Bytes that can never begin a request (a TLS handshake, lines ending in a bare LF) will
    // never end in a blank line either: hand them to parseRequest now, which answers 400.
    if (end === -1 && !cannotBeRequest(received.toString('latin1', 0, 8192))) return;
    // One request per connection, for now: stop reading once we have it.
    socket.off('data', onData);

    // ANCHOR: handle
    let response: Response;
    let method = 'GET';
    try {
      const request = parseRequest(received.subarray(0, end === -1 ? received.length : end).toString('latin1'));
      method = request.method;
      response = respond(request);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      response = errorPage(error.status, error.message);
    }
    socket.end(serialize(response, method));
    // ANCHOR_END: handle
  });
});

server.listen(port, () => {
  console.log(`serving at port ${port}`);
});
