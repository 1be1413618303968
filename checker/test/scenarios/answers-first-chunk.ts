// Scenario: treats one 'data' event as a whole request.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
const page = '<h1>Hello</h1>';
net
  .createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.end(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(page)}\r\nDate: ${new Date().toUTCString()}\r\n\r\n${page}`);
    });
  })
  .listen(port);
