/**
 * Seeded mutations of well-formed requests, for the hardening suite. The same seed gives the
 * same requests, so a failure can be replayed exactly: FSTS_FUZZ_SEED=<seed> npm run check.
 */

/** mulberry32: a tiny, well-distributed 32-bit generator — plenty for picking mutations. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /style.css?v=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/css,*/*;q=0.1\r\nIf-None-Match: W/"33-18dfa"\r\n\r\n',
  'HEAD /docs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n',
  'GET /file%20with%20spaces.txt HTTP/1.0\r\nUser-Agent: fuzz\r\n\r\n',
  'POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello',
  'GET /docs HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-Modified-Since: Fri, 01 Mar 2024 12:00:00 GMT\r\n\r\nGET /notes.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
];

/** Bytes that tend to break parsers: separators, controls, escapes, path tricks. */
const NASTY = ['\r', '\n', '\r\n', '\0', ' ', '\t', ':', '%', '%00', '%2e%2e/', '../', '..\\', '\\', '\x7f', '\xff', '"', ',', '?', '#', 'Content-Length: 99\r\n', 'Transfer-Encoding: chunked\r\n', ' folded\r\n', 'Host: evil\r\n'];

export function mutatedRequest(random: () => number): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let bytes = Buffer.from(pick(SEEDS), 'latin1');
  const mutations = 1 + Math.floor(random() * 4);
  for (let m = 0; m < mutations; m++) {
    const at = Math.floor(random() * (bytes.length + 1));
    const length = 1 + Math.floor(random() * 8);
    switch (Math.floor(random() * 7)) {
      case 0: // flip one byte to anything
        if (bytes.length) bytes[Math.min(at, bytes.length - 1)] = Math.floor(random() * 256);
        break;
      case 1: // insert something nasty
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(pick(NASTY), 'latin1'), bytes.subarray(at)]);
        break;
      case 2: // delete a few bytes
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
        break;
      case 3: // repeat a stretch
        bytes = Buffer.concat([bytes.subarray(0, at + length), bytes.subarray(at)]);
        break;
      case 4: // cut the request short
        bytes = bytes.subarray(0, at);
        break;
      case 5: // a very long run of one byte
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.alloc(200 + Math.floor(random() * 20_000), pick(['a', '/', '%', ' ', 'X'])), bytes.subarray(at)]);
        break;
      default: // bare LF line endings
        bytes = Buffer.from(bytes.toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
    }
  }
  return bytes;
}
