// Scenario: the right answer, but from node:http instead of by hand.
import http from 'node:http';

const port = Number(process.env.PORT ?? 8000);
http.createServer((_request, response) => response.end('<h1>hi</h1>')).listen(port);
