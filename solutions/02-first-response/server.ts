import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);

// "é" and "—" take two and three bytes in UTF-8: the page is here to prove that
// Content-Length counts bytes, not characters.
const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>From Socket to Server</title></head>
<body><h1>Hello from a server written by hand — café edition</h1></body>
</html>
`;

// ANCHOR: response
function response(body: string): string {
  // Each line of the head ends in CR LF, and an empty line ends the head (RFC 9112 §2.1).
  return [
    'HTTP/1.1 200 OK',
    'Content-Type: text/html; charset=utf-8',
    // Bytes, not characters: page.length would be too small by one for every "é".
    `Content-Length: ${Buffer.byteLength(body)}`,
    // RFC 9110 §6.6.1: an origin server with a clock must send Date.
    `Date: ${new Date().toUTCString()}`,
    // We close after one response, so we say so (RFC 9112 §9.6).
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
// ANCHOR_END: response

const server = net.createServer((socket) => {
  socket.on('error', () => {});

  // ANCHOR: read-head
  // TCP delivers a stream of bytes, not messages: one 'data' event may hold part of a
  // request, or more than one. Collect chunks until the blank line that ends the head.
  let received = Buffer.alloc(0);
  socket.on('data', function onData(chunk) {
    received = Buffer.concat([received, chunk]);
    if (received.includes('\r\n\r\n')) {
      // One request per connection, for now: stop reading once we have it.
      socket.off('data', onData);
      socket.end(response(page));
    }
  });
  // ANCHOR_END: read-head
});

server.listen(port, () => {
  console.log(`serving at port ${port}`);
});
