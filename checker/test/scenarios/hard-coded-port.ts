// Scenario: listens on 8000 whatever PORT says.
import net from 'node:net';

net.createServer((socket) => socket.end('hi\n')).listen(8000, () => console.log('serving at port 8000'));
