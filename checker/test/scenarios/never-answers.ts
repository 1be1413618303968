// Scenario: accepts connections and never writes a byte.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
net.createServer((socket) => socket.on('error', () => {})).listen(port, () => console.log(`serving at port ${port}`));
