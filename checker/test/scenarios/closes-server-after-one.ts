// Scenario: calls server.close() once the first client is answered, as some examples do.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  socket.resume();
  socket.end('Hello!\n');
  server.close();
});
server.listen(port);
