/**
 * The chunked transfer coding (RFC 9112 §7.1), for a body whose length is not known before it
 * is sent. Used as a step of a pipeline: pipeline(file, createGzip(), chunked, socket, …).
 */
export async function* chunked(pieces: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // TODO: for each piece, yield its size in hex, "\r\n", the piece, "\r\n". Skip empty pieces:
  //   a chunk of size 0 ends the body. After the last piece, yield "0\r\n\r\n".
  void pieces;
  throw new Error('chunked() is not written yet: see the TODO in http/chunked.ts');
}
