import net from 'node:net';

// The checker (and anyone else) picks the port through the environment; 8000 is the
// port Python's `python -m http.server` uses, so it is the one people expect.
const port = Number(process.env.PORT ?? 8000);

// createServer's callback runs once for every new connection, with a socket that is
// that one connection: bytes we write go to that client and nobody else.
const server = net.createServer((socket) => {
  // A client can vanish at any moment (a closed tab, a dropped Wi-Fi). Without an
  // 'error' listener, the resulting ECONNRESET would crash the whole server.
  socket.on('error', () => {});

  // end() writes the text and then closes our side of the connection.
  socket.end('Hello from your server!\n');
});

server.listen(port, () => {
  console.log(`serving at port ${port}`);
});
