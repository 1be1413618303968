import net from 'node:net';
import { parseRequest, RequestError, type Request } from './http/parse-request.ts';
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

function respond(request: Request): Response {
  // TODO: GET and HEAD are served. A method in KNOWN_METHODS gets
  //   errorPage(405, '…', { Allow: 'GET, HEAD' }); any other method gets errorPage(501, '…').
  // TODO: only the target "/" is the page; anything else gets errorPage(404, '…').
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page };
}

const server = net.createServer((socket) => {
  socket.on('error', () => {});

  let received = Buffer.alloc(0);
  socket.on('data', function onData(chunk) {
    received = Buffer.concat([received, chunk]);
    const end = received.indexOf('\r\n\r\n');
    // TODO: bytes that can never begin a request never end in a blank line either: a first byte
    //   that is not a token character (a TLS handshake starts with 0x16), or a LF without its CR.
    //   Answer those with 400 at once instead of waiting here for ever.
    if (end === -1) return;
    // One request per connection, for now: stop reading once we have it.
    socket.off('data', onData);

    let response: Response;
    let method = 'GET';
    try {
      const request = parseRequest(received.subarray(0, end).toString('latin1'));
      method = request.method;
      response = respond(request);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      response = errorPage(error.status, error.message);
    }
    socket.end(serialize(response, method));
  });
});

server.listen(port, () => {
  console.log(`serving at port ${port}`);
});
