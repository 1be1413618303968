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

// TODO: return a whole HTTP/1.1 response: the status line "HTTP/1.1 200 OK", then the
// headers Content-Type, Content-Length (in bytes!), Date and Connection: close, an empty
// line, and the body. Every line of the head ends with "\r\n".
function response(body: string): string {
  return body;
}

const server = net.createServer((socket) => {
  socket.on('error', () => {});

  // TODO: don't answer straight away. Collect the 'data' chunks in a buffer and answer with
  // socket.end(response(page)) once the buffer contains "\r\n\r\n", the end of the request head.
  socket.end('Hello from your server!\n');
});

server.listen(port, () => {
  console.log(`serving at port ${port}`);
});
