// Scenario: promises 100 bytes of body and closes after a few.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
net
  .createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n<h1>Hel'));
  })
  .listen(port);
