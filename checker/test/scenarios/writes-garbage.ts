// Scenario: answers every request with bytes that are not HTTP at all.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
net
  .createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x7f, 0x80])));
  })
  .listen(port);
