// Scenario: a stage 1 server that prints 50 MB with no newline before it listens.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
const piece = 'x'.repeat(1024 * 1024);
for (let i = 0; i < 50; i++) process.stdout.write(piece);
net.createServer((socket) => {
  socket.on('error', () => {});
  socket.end('Hello!\n');
}).listen(port);
