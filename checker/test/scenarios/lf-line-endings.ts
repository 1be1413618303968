// Scenario: a response written with bare "\n" line endings, as a template literal gives them.
import net from 'node:net';

const port = Number(process.env.PORT ?? 8000);
const page = '<h1>Hello</h1>';
net
  .createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () =>
      socket.end(`HTTP/1.1 200 OK
Content-Type: text/html
Content-Length: ${page.length}

${page}`),
    );
  })
  .listen(port);
