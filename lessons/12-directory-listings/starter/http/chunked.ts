const CRLF = Buffer.from('\r\n');

/**
 * The chunked transfer coding (RFC 9112 §7.1), for a body whose length is not known before it
 * is sent: each piece goes out as its size in hex, CRLF, the bytes, CRLF. A piece of size 0
 * ends the body, so one is sent last — and never in the middle.
 *   1a2\r\n<418 bytes>\r\n … 0\r\n\r\n
 */
export async function* chunked(pieces: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const piece of pieces) {
    if (piece.length === 0) continue;
    yield Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, CRLF]);
  }
  yield Buffer.from('0\r\n\r\n');
}
