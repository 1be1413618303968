import net from 'node:net';

// TODO: read the port from process.env.PORT, as a number, falling back to 8000.
const port = 8000;

const server = net.createServer((socket) => {
  // TODO: greet the client: write a line of text and close the connection (socket.end does both).
  // TODO: make sure a client that disconnects abruptly cannot crash the server.
});

// TODO: start listening on `port`, and print `serving at port N` once the server is listening.
console.log('Nothing is listening yet: work through the TODOs in this file.');
