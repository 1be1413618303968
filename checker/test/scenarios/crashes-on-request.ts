// Scenario: listens, then throws on the first request it receives.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
net
  .createServer((socket) => {
    socket.on('data', (chunk) => {
      const [requestLine] = chunk.toString().split('\r\n');
      throw new TypeError(`Cannot handle ${requestLine}`);
    });
  })
  .listen(port, () => console.log(`serving at port ${port}`));
