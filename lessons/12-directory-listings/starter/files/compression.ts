import type { Request } from '../http/parse-request.ts';

// Text compresses to a fraction of its size. Images, fonts, video and archives are compressed
// already: gzip would cost time and save nothing, or even add a few bytes.
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|xml|wasm)|image\/svg\+xml)/;

// Below this, gzip's own 18 bytes of header and trailer and the chunk framing eat most of what
// it saves, and the file fits in a packet or two anyway.
const WORTH_COMPRESSING = 1024;

/** Is this a type of file whose responses depend on Accept-Encoding? */
export function compressible(type: string): boolean {
  return COMPRESSIBLE.test(type);
}

/**
 * How much a client wants gzip, from 0 (not at all) to 1, by Accept-Encoding (RFC 9110 §12.5.3):
 * a list of codings, each with an optional weight, such as "br;q=1.0, gzip;q=0.8, *;q=0.1".
 */
export function gzipWeight(header: string | undefined): number {
  // No Accept-Encoding: the client said nothing, and the file as it is always works.
  if (header === undefined) return 0;
  const weights = new Map<string, number>();
  for (const member of header.split(',')) {
    const [coding = '', ...parameters] = member.split(';').map((part) => part.trim().toLowerCase());
    if (coding === '') continue;
    // A weight is "q=" and a number from 0 to 1 with at most three decimals (§12.4.2).
    const q = parameters.find((parameter) => parameter.startsWith('q='))?.slice(2);
    const weight = q === undefined ? 1 : /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q) ? Number(q) : 0;
    // "x-gzip" is an old name for gzip that recipients should still understand (§8.4.1.3).
    weights.set(coding === 'x-gzip' ? 'gzip' : coding, weight);
  }
  // A coding named outright beats "*", so "*, gzip;q=0" means anything but gzip.
  return weights.get('gzip') ?? weights.get('*') ?? 0;
}

/** Should this GET or HEAD of a file of this type and size be sent gzip-compressed? */
export function shouldGzip(request: Request, type: string, size: number): boolean {
  return (
    compressible(type) &&
    size >= WORTH_COMPRESSING &&
    gzipWeight(request.headers.get('accept-encoding')) > 0 &&
    // A Range counts bytes of the file as it is: answer it from the file, not from gzip's output.
    !request.headers.has('range') &&
    // A compressed body is streamed with chunked framing, which only HTTP/1.1 knows (RFC 9112 §6.1).
    request.version === 'HTTP/1.1'
  );
}
