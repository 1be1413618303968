/**
 * Hints chosen by symptom: what the bytes on the wire say about the mistake behind them.
 * A suite names the symptom; the report prints the hint under the failure. Stage-level hints,
 * shown by `npm run hint`, live in the registry instead.
 */

export const HINTS = {
  'nothing-listening':
    'Nothing accepted the connection. Did your server crash during an earlier request (look at its output below), or call server.close()?',
  'closed-after-first-connection':
    'The first connection worked but a later one was refused. Calling server.close() stops the server accepting new connections: close the socket you are done with, not the server.',
  'closed-before-response':
    'Your server closed the connection without writing anything. Is the response written before socket.end()? Did an exception end the connection (look at your server output)?',
  'reset':
    'The connection was reset: usually the server process crashed or destroyed the socket while the client was still talking. Look at your server output below.',
  'no-response':
    'Your server accepted the connection but never answered. Are you waiting for the client to close its side (an \'end\' event)? A browser keeps the connection open while it waits for your answer: respond as soon as the head has arrived.',
  'head-never-ends':
    'The response head never ended. The head must end with an empty line: the last header line\'s "\\r\\n" followed by one more "\\r\\n".',
  'lf-not-crlf':
    'HTTP lines end with CR LF ("\\r\\n"), not a bare "\\n" (RFC 9112 §2.1). In a template literal, a line break is only "\\n": write the "\\r\\n" explicitly.',
  'not-http':
    'A response must start with the status line, for example "HTTP/1.1 200 OK\\r\\n" (RFC 9112 §4): the version, one space, three digits, one space, a reason phrase.',
  'bad-header-line':
    'Each header line is a name, a colon, optional spaces, the value, then "\\r\\n" (RFC 9112 §5), for example "Content-Type: text/html\\r\\n".',
  'content-length-chars':
    'Content-Length counts bytes, not characters. A string\'s .length counts UTF-16 units, so "é" counts 1 but takes 2 bytes in UTF-8. Use Buffer.byteLength(text), or the .length of a Buffer.',
  'body-too-short':
    'The body ended before Content-Length bytes arrived. Is Content-Length counted from the same text you send? Counting before adding the last part of the page is a common slip.',
  'body-too-long':
    'More bytes arrived after the body than Content-Length announced. A client stops reading at Content-Length: the rest is read as the start of the next response.',
  'one-data-event':
    'Your server answered before the request had fully arrived. TCP delivers bytes, not messages: one \'data\' event can hold part of a request. Keep appending chunks until the buffer contains "\\r\\n\\r\\n". (Already do? Then look where the buffer is declared: one declared outside the connection callback is shared by every connection, and still holds an earlier client\'s "\\r\\n\\r\\n".)',
  'bad-chunk':
    'In the chunked transfer coding (RFC 9112 §7.1) each chunk is its size in hexadecimal, "\\r\\n", exactly that many bytes, and "\\r\\n". The body ends with a chunk of size 0 and an empty line: "0\\r\\n\\r\\n". Skip empty pieces: a chunk of size 0 in the middle ends the body early.',
  'length-and-chunked':
    'With "Transfer-Encoding: chunked", leave Content-Length out: the chunks say where the body ends. A Content-Length counted before compressing is wrong anyway — it is the size of the file, not of what you send.',
  'missing-header':
    'Headers are written as "Name: value\\r\\n" lines between the status line and the empty line.',
  'bad-date':
    'The Date header uses the IMF-fixdate format of RFC 9110 §5.6.7, like "Sun, 06 Nov 1994 08:49:37 GMT". new Date().toUTCString() produces it.',
  'wrong-status':
    'The status line says how the request went: its three digits are what the client acts on.',
} as const;

export type Symptom = keyof typeof HINTS;
