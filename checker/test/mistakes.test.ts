/**
 * The mistakes learners really make, each applied as a small patch to a copy of a reference
 * solution. For every one, the checker must fail the requirement it breaks and say something
 * a learner can act on. A mistake the suites let through is a missing test.
 */
import { describe, test } from 'vitest';
import { checkJson, patchedSolution, type Patch } from './patched-solution.ts';

interface Mistake {
  what: string;
  stage: number;
  patches: Patch[];
  /** The requirement that must fail, and words its hint or problem must contain. */
  fails: string;
  says: string;
  /** The requirement is the stage's first failure, the one the report shows in full. */
  first?: true;
}

const MISTAKES: Mistake[] = [
  {
    what: 'the server closed when a client\'s socket closes',
    stage: 1,
    patches: [['server.ts', "socket.on('error', () => {});", "socket.on('error', () => {});\n  socket.on('close', () => server.close());"]],
    fails: 'stays up when a client disconnects abruptly',
    says: 'Does something call server.close() when a socket closes',
    first: true,
  },
  {
    what: 'one buffer for every connection (stage 2)',
    stage: 2,
    patches: [
      ['server.ts', 'const server = net.createServer((socket) => {', 'let received = Buffer.alloc(0);\nconst server = net.createServer((socket) => {'],
      ['server.ts', '  let received = Buffer.alloc(0);\n', ''],
    ],
    fails: 'waits for the whole request head when it arrives in pieces',
    says: 'declared outside the connection callback is shared by every connection',
    first: true,
  },
  {
    what: 'one buffer for every connection, emptied after each answer',
    stage: 2,
    patches: [
      ['server.ts', 'const server = net.createServer((socket) => {', 'let received = Buffer.alloc(0);\nconst server = net.createServer((socket) => {'],
      ['server.ts', '  let received = Buffer.alloc(0);\n', ''],
      ['server.ts', '      socket.end(response(page));', '      received = Buffer.alloc(0);\n      socket.end(response(page));'],
    ],
    fails: 'keeps a separate buffer for each connection',
    says: 'Each connection needs its own buffer',
    first: true,
  },
  {
    what: 'one buffer shared by every connection',
    stage: 3,
    patches: [
      ['server.ts', 'const server = net.createServer((socket) => {', 'let received = Buffer.alloc(0);\nconst server = net.createServer((socket) => {'],
      ['server.ts', '  let received = Buffer.alloc(0);\n  socket.on(', '  socket.on('],
      ['server.ts', "socket.off('data', onData);", "socket.off('data', onData);\n    const mine = received;\n    received = Buffer.alloc(0);"],
      ['server.ts', 'parseRequest(received.subarray(0, end === -1 ? received.length : end)', 'parseRequest(mine.subarray(0, end === -1 ? mine.length : end)'],
    ],
    fails: 'keeps each connection\'s request to itself when two arrive at once',
    says: 'Each connection needs its own buffer',
  },
  {
    what: 'header names compared case-sensitively',
    stage: 3,
    patches: [['http/parse-request.ts', 'const key = name.toLowerCase();', 'const key = name;']],
    fails: 'reads header names case-insensitively',
    says: 'case-insensitive',
  },
  {
    what: 'path.join(ROOT, url) with no checks',
    stage: 4,
    patches: [
      ['files/serve-file.ts', "if (segment === '..' && segments.length === 0) return notFound();\n    if (segment === '..') segments.pop();\n    else if (segment.startsWith('.') || segment.includes('\\\\')) return notFound();\n    else segments.push(segment);", 'segments.push(segment);'],
      ['files/serve-file.ts', 'if (!(await realpath(file)).startsWith(root + path.sep)) return notFound();', ''],
    ],
    fails: 'refuses an encoded ".." with a 4xx: /%2e%2e/secret.txt',
    says: 'path.join(ROOT, url) alone lets "/../" climb out of ROOT',
  },
  {
    what: 'decoding before splitting off the query',
    stage: 4,
    patches: [['files/serve-file.ts', 'decoded = decodeURIComponent(rawPath);', "decoded = decodeURIComponent(target).split('?')[0]!;"]],
    fails: 'splits off the query before decoding, so an encoded "?" stays part of the name',
    says: 'Decode after splitting off the query',
  },
  {
    what: '.includes("..") on the path',
    stage: 4,
    patches: [['files/serve-file.ts', "if (segment === '' || segment === '.') continue;", "if (decoded.includes('..')) return notFound();\n    if (segment === '' || segment === '.') continue;"]],
    fails: 'serves a file whose name contains ".." without being a parent folder',
    says: 'only a segment that is exactly ".." climbs out',
  },
  {
    what: 'startsWith(ROOT) without a separator',
    stage: 4,
    patches: [
      ['files/serve-file.ts', "if (segment === '..' && segments.length === 0) return notFound();\n    if (segment === '..') segments.pop();", "if (segment === '..') segments.push(segment);"],
      ['files/serve-file.ts', 'if (!(await realpath(file)).startsWith(root + path.sep)) return notFound();', 'if (!(await realpath(file)).startsWith(root)) return notFound();'],
    ],
    fails: "refuses a sibling folder whose name starts with ROOT's name with a 4xx: /../root-sibling/secret.txt",
    says: 'outside ROOT',
  },
  {
    what: 'binary files read as UTF-8',
    stage: 4,
    patches: [['files/serve-file.ts', 'const body = await readFile(file);', "const body = await readFile(file, 'utf8');"]],
    fails: 'sends a binary file intact',
    says: 'Read files as Buffers',
  },
  {
    what: 'a folder opened as a file',
    stage: 4,
    patches: [['files/serve-file.ts', 'if (info.isDirectory()) {', 'if (info.isDirectory() && false) {']],
    fails: 'serves a folder\'s index.html when the path ends with "/"',
    says: 'EISDIR',
  },
  {
    what: 'Content-Type guessed with .includes(".html")',
    stage: 4,
    patches: [['files/content-type.ts', "return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';", "return file.includes('.html') ? 'text/html' : (TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');"]],
    fails: 'does not call /old.html.bak HTML: the name contains ".html", but the extension is ".bak"',
    says: 'Testing name.includes(".html") matches "old.html.bak" too',
  },
  {
    what: 'If-Modified-Since compared as a string',
    stage: 5,
    patches: [['files/preconditions.ts', 'if (seconds(file.lastModified) <= seconds(ifModifiedSince)) return 304;', "if (new Date(file.lastModified).toUTCString() <= headers.get('if-modified-since')!) return 304;"]],
    fails: 'answers 200 when the file changed after If-Modified-Since',
    says: 'comparing the header as text',
  },
  {
    what: 'If-None-Match precedence ignored',
    stage: 5,
    patches: [['files/preconditions.ts', "if (matchesWeakly(ifNoneMatch, file.etag)) return method === 'GET' || method === 'HEAD' ? 304 : 412;\n    return 200;", "if (matchesWeakly(ifNoneMatch, file.etag)) return method === 'GET' || method === 'HEAD' ? 304 : 412;"]],
    fails: 'answers 200 when If-None-Match does not match, whatever If-Modified-Since says',
    says: 'When If-None-Match is present it decides alone',
  },
  {
    what: 'a 304 sent with "Content-Length: 0"',
    stage: 5,
    patches: [['http/response.ts', "...(response.status === 304 ? [] : [`Content-Length: ${body.length}`]),", '`Content-Length: ${body.length}`,']],
    fails: 'answers 304, headers only, when If-None-Match holds the current ETag',
    says: 'leave Content-Length out of a 304',
  },
  {
    what: 'milliseconds compared with a header\'s seconds',
    stage: 5,
    patches: [['files/preconditions.ts', 'if (seconds(file.lastModified) <= seconds(ifModifiedSince)) return 304;', 'if (file.lastModified <= ifModifiedSince) return 304;']],
    fails: 'compares whole seconds when the file\'s time has milliseconds',
    says: 'Dates in headers have whole seconds',
  },
  {
    what: 'If-Modified-Since read with Date.parse',
    stage: 5,
    patches: [['files/preconditions.ts', "const ifModifiedSince = parseHttpDate(headers.get('if-modified-since') ?? '');", "const parsed = Date.parse(headers.get('if-modified-since') ?? '');\n  const ifModifiedSince = Number.isNaN(parsed) ? undefined : parsed;"]],
    fails: 'ignores a date that is not valid, or a list of dates',
    says: 'Parse the three HTTP-date formats strictly',
  },
  {
    what: 'a file\'s time in the future sent as its Last-Modified',
    stage: 5,
    patches: [['files/serve-file.ts', 'const lastModified = Math.min(info.mtimeMs, Date.now());', 'const lastModified = info.mtimeMs;']],
    fails: 'never sends a Last-Modified later than Date, even for a file whose time is in the future',
    says: 'Math.min(mtimeMs, Date.now())',
  },
  {
    what: '.pipe() that leaves the file open when the client leaves',
    stage: 6,
    patches: [['http/response.ts', 'await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), socket);', 'handle.createReadStream({ start: 0, end: size - 1 }).pipe(socket);\n  void pipeline;']],
    fails: 'keeps serving when a client leaves mid-file, and closes the file',
    says: 'each abandoned download leaks its file',
  },
  {
    what: 'a whole file read into memory',
    stage: 6,
    patches: [['http/response.ts', 'await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), socket);', 'const whole = await handle.readFile();\n  await handle.close();\n  socket.end(whole);\n  void pipeline;']],
    fails: 'keeps its memory flat while a slow client downloads a 200 MB file',
    says: 'holds the file in memory instead of streaming it',
  },
  {
    // Only for big files: with the 20 MB file, whether the socket is ever full depends on how busy
    // the machine is, and a stall there would skip the test this mistake is for.
    what: 'a big file paused when the socket is full, and never resumed',
    stage: 6,
    patches: [['http/response.ts', 'await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), socket);', "const file = handle.createReadStream({ start: 0, end: size - 1 });\n  file.on('data', (chunk) => { if (!socket.write(chunk) && size > 100 * 1024 * 1024) file.pause(); });\n  file.on('end', () => socket.end());\n  void pipeline;"]],
    fails: 'keeps its memory flat while a slow client downloads a 200 MB file',
    says: 'did not carry on',
  },
  {
    what: 'the rest of the buffer thrown away after a head',
    stage: 7,
    patches: [['http/request-reader.ts', 'if (end !== -1) return Buffer.concat(this.take(end + END_OF_HEAD.length)).subarray(0, end);', 'if (end !== -1) {\n        const head = Buffer.concat(this.take(end + END_OF_HEAD.length)).subarray(0, end);\n        this.chunks = [];\n        this.length = 0;\n        return head;\n      }']],
    fails: 'answers pipelined requests in the order they were sent',
    says: 'look in your buffer for the next complete head',
  },
  {
    what: 'the Connection header compared case-sensitively',
    stage: 7,
    patches: [['server.ts', '.map((option) => option.trim().toLowerCase())', '.map((option) => option.trim())']],
    fails: 'honours "Connection: close": says so in the response, then closes',
    says: 'case-insensitive',
  },
  {
    what: 'idle connections kept forever',
    stage: 7,
    patches: [['http/request-reader.ts', 'const timer = setTimeout(() => resolve(false), this.idleTimeoutMs);', 'const timer = undefined;']],
    fails: 'closes an idle connection quietly after a short timeout (between 1 and 4 seconds)',
    says: 'still open',
  },
  {
    what: 'a listing sorted with plain sort(): capitals first, file10 before file2',
    stage: 12,
    patches: [['files/directory-listing.ts', 'const byName = new Intl.Collator(\'en\', { numeric: true }).compare;', 'const byName = undefined;']],
    fails: 'lists files sorted by name, capitals among the small letters',
    says: 'Plain sort() compares code units',
  },
  {
    what: 'socket.end() and nothing more: a client that never closes keeps the socket',
    stage: 7,
    patches: [['server.ts', '  socket.end(() => setTimeout(() => socket.destroy(), LINGER_MS));', '  socket.end();']],
    fails: 'lets go of a connection it closed within 6 s, even when the client never closes its side',
    says: 'socket.end() only sends your FIN',
  },
  {
    what: 'pipelined answers written without waiting for the client to read',
    stage: 7,
    patches: [['server.ts', '    await drained(socket);\n', '']],
    fails: 'answers pipelined requests no faster than the client reads the answers',
    says: 'socket.writableNeedDrain',
  },
  {
    what: 'no send timeout: a download nobody reads is kept for ever',
    stage: 8,
    patches: [['server.ts', '  abandonWhenStalled(socket);\n', '']],
    fails: 'abandons a download the client has stopped reading, within 10 s',
    says: 'Your idle timer never fires here',
  },
  {
    what: 'the reader never pauses: it takes all a client sends while its answer waits',
    stage: 8,
    patches: [['http/request-reader.ts', '      if (this.length > MAX_UNREAD) socket.pause();\n', '']],
    fails: 'stops reading from a client whose response is waiting, however much it sends',
    says: 'socket.pause()',
  },
  {
    what: 'a body timed by the idle timer alone',
    stage: 8,
    patches: [['http/request-reader.ts', '      const wait = Math.min(this.idleTimeoutMs, deadline - Date.now());\n      if (this.ended || wait <= 0', '      const wait = this.idleTimeoutMs;\n      if (this.ended || wait <= 0']],
    fails: 'cuts off a request body that trickles in a byte at a time, within 8 s',
    says: 'An idle timer restarts with every byte',
  },
  {
    what: 'the method upper-cased before it is compared: "get" served as GET',
    stage: 3,
    patches: [['http/parse-request.ts', "const [, method = '', target = '', version = ''] = match;", "const [, rawMethod = '', target = '', version = ''] = match;\n  const method = rawMethod.toUpperCase();"]],
    fails: 'does not read a lower-case "get" as GET: methods are case-sensitive',
    says: 'never after toUpperCase()',
  },
  {
    what: 'an absolute-form target refused: only "/path" accepted',
    stage: 3,
    patches: [['http/parse-request.ts', "const absolute = /^https?:\\/\\/([^/?#]+)/i.exec(target);", 'const absolute = null as RegExpExecArray | null;']],
    fails: 'accepts an absolute-form target: GET http://127.0.0.1:PORT/ HTTP/1.1',
    says: 'MUST accept a target in absolute form',
  },
  {
    what: 'the method judged before the framing: "Transfer-Encoding: gzip" gets 405',
    stage: 8,
    patches: [['http/parse-request.ts', "if (codings !== undefined && codings.split(',').at(-1)!.trim().toLowerCase() !== 'chunked') {", 'if (codings === "never") {']],
    fails: 'answers 400 (or 501) and closes for "Transfer-Encoding: gzip", whatever the method',
    says: 'Judge the framing before the method',
  },
  {
    what: 'a huge announced body waited for before the answer',
    stage: 8,
    patches: [['server.ts', '(length !== undefined && Number(length) > MAX_SKIPPED_BODY)', '(length !== undefined && Number(length) > Number.MAX_SAFE_INTEGER + MAX_SKIPPED_BODY)']],
    fails: 'answers a POST that announces a 10 GB body at once, without waiting for the body',
    says: 'Do not wait for a body you will not use',
  },
  {
    what: 'the head\'s limits checked only once the blank line has arrived',
    stage: 8,
    patches: [['http/request-reader.ts', 'checkLimits(this.lineEnd, end === -1 ? this.length : end);', 'if (end !== -1) checkLimits(this.lineEnd, end);']],
    fails: 'answers 414 to a request line that is still arriving, without waiting for its end',
    says: 'Check the limits each time bytes arrive',
  },
  {
    what: 'a symbolic link\'s real path compared with startsWith(ROOT), no separator',
    stage: 4,
    patches: [['files/serve-file.ts', 'if (!(await realpath(file)).startsWith(root + path.sep)) return notFound();', 'if (!(await realpath(file)).startsWith(root)) return notFound();']],
    fails: "refuses a symbolic link inside ROOT into a sibling folder whose name starts with ROOT's name with a 4xx: /sibling-link.txt",
    says: 'Compare real paths with the separator',
  },
  {
    what: 'every ".." refused, even one that stays inside ROOT',
    stage: 4,
    patches: [['files/serve-file.ts', "if (segment === '..' && segments.length === 0) return notFound();", "if (segment === '..') return notFound();"]],
    fails: 'serves /docs/../style.css as /style.css: dot segments that stay inside ROOT are resolved',
    says: 'refuse that one, not every ".."',
  },
  {
    what: 'the request line logged as it came, unescaped',
    stage: 9,
    patches: [['http/access-log.ts', '  const request = quoted(requestLine);', '  const request = `"${requestLine ?? \'-\'}"`;\n  void quoted;']],
    fails: 'escapes the request line in the log: a client cannot forge fields or send terminal escapes',
    says: 'The request line is a stranger\'s bytes',
  },
  {
    what: 'Nagle left on, and a small file\'s head and body written apart',
    stage: 7,
    patches: [
      ['server.ts', '  socket.setNoDelay(true);\n', ''],
      ['http/response.ts', 'socket.write(Buffer.concat([head, whole.subarray(0, size)]));', 'socket.write(head);\n    socket.write(whole.subarray(0, size));'],
    ],
    fails: 'answers on a kept-alive connection as fast as on a fresh one: no 40 ms Nagle delay',
    says: 'socket.setNoDelay(true)',
  },
  {
    what: 'a file that shrank while it was sent: the body cut short, the connection kept',
    stage: 7,
    patches: [['http/response.ts', '  if (file.bytesRead < size) socket.destroy();', '']],
    fails: 'closes the connection when a file ends before its Content-Length (truncated while sent)',
    says: 'Count the bytes the file gave you',
  },
  {
    what: 'a head waited for until its blank line, whatever its first bytes are',
    stage: 3,
    patches: [['server.ts', "if (end === -1 && !cannotBeRequest(received.toString('latin1', 0, 8192))) return;", 'if (end === -1) return;\n    void cannotBeRequest;']],
    fails: 'answers 400 at once to bytes that cannot begin a request, such as a TLS handshake',
    says: 'a TLS handshake starts with the byte 0x16',
  },
  {
    what: 'the whole file read into memory and compressed in one go',
    stage: 11,
    patches: [['http/response.ts', 'await pipeline(handle.createReadStream({ start, end: start + size - 1 }), createGzip(), count, chunked, socket, { end: false });', "const whole = await handle.readFile();\n    await handle.close();\n    await pipeline([(await import('node:zlib')).gzipSync(whole)], count, chunked, socket, { end: false });\n    void createGzip;"]],
    fails: 'compresses a 100 MB text file piece by piece, in constant memory',
    says: 'holds the file, or its compressed bytes, in memory',
  },
];

describe.concurrent('each mistake fails the requirement it breaks, with words a learner can act on', () => {
  for (const mistake of MISTAKES) {
    test(mistake.what, async ({ expect }) => {
      const report = await checkJson(mistake.stage, patchedSolution(mistake.stage, mistake.patches, mistake.what));
      const requirement = report.stages.find((s) => s.id === mistake.stage)?.requirements.find((r) => r.name === mistake.fails);
      expect(requirement, `no requirement named "${mistake.fails}" in stage ${mistake.stage}`).toBeDefined();
      expect(requirement!.state, `"${mistake.what}" slipped through "${mistake.fails}"`).toBe('failed');
      expect(`${requirement!.failure?.problem} ${requirement!.failure?.hint}`).toContain(mistake.says);
      if (mistake.first) {
        const firstFailed = report.stages.find((s) => s.id === mistake.stage)?.requirements.find((r) => r.state === 'failed');
        expect(firstFailed?.name, `"${mistake.what}" is first reported as another failure, whose hint points away from it`).toBe(mistake.fails);
      }
    });
  }
});
