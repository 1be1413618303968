import type { Request } from '../http/parse-request.ts';

/** Is this a type of file whose responses depend on Accept-Encoding? */
export function compressible(type: string): boolean {
  // TODO: true for text: text/*, application/javascript, application/json, application/xml,
  //   image/svg+xml (and application/wasm, if you like). False for what is compressed already:
  //   PNG, JPEG, WebP, fonts, video, zip, PDF, and application/octet-stream (unknown bytes).
  void type;
  return false;
}

/**
 * How much a client wants gzip, from 0 (not at all) to 1, by Accept-Encoding (RFC 9110 §12.5.3):
 * a list of codings, each with an optional weight, such as "br;q=1.0, gzip;q=0.8, *;q=0.1".
 */
export function gzipWeight(header: string | undefined): number {
  // TODO: split the list at ",", each member at ";". The coding name is case-insensitive; its
  //   weight is the "q=" parameter (1 when there is none). gzip's weight is the one given to
  //   "gzip" (or its old name "x-gzip"); if gzip is not named, the one given to "*"; else 0.
  //   No header at all: 0 — send the file as it is.
  void header;
  return 0;
}

/** Should this GET or HEAD of a file of this type and size be sent gzip-compressed? */
export function shouldGzip(request: Request, type: string, size: number): boolean {
  // TODO: yes when all of these hold: the type is compressible; the file is worth it (1024
  //   bytes or more, say); gzipWeight(Accept-Encoding) is above 0; there is no Range header (a
  //   range counts the file's own bytes); and the request is HTTP/1.1 (chunked is 1.1 only).
  void request;
  void type;
  void size;
  return false;
}
