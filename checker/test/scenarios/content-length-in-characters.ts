// Scenario: Content-Length from string.length, on a page with non-ASCII characters.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
const page = '<h1>Café — crème brûlée</h1>';
net
  .createServer((socket) => {
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.end(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${page.length}\r\nDate: ${new Date().toUTCString()}\r\n\r\n${page}`);
    });
  })
  .listen(port);
