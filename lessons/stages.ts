/**
 * THE list of stages. Everything else — the CLI's menus, `npm run check`'s regression order, the
 * site's table of contents, the kit's own tests — reads it from here; nothing else lists stages.
 *
 * Paths are never stored: checker/core/stages.ts derives them from `id` and `slug`
 * (lessons/NN-slug/, solutions/NN-slug/, checker/suites/NN-slug.test.ts).
 * To add a stage, follow lessons/README.md.
 */

export interface Stage {
  /** 1-based, in array order: the N in `npm run lesson N`. */
  readonly id: number;
  /** kebab-case; with the id it names every folder and file of the stage (`03-request-line`). */
  readonly slug: string;
  /** Shown in menus, the site's table of contents and page titles. */
  readonly title: string;
  /** One line for `npm run lesson` menus and the site's index. */
  readonly summary: string;
  /** Roughly how long a workshop room needs for this stage, in minutes (for the instructor's guide). */
  readonly minutes: number;
  /** Shown one at a time by `npm run hint`, least revealing first. */
  readonly hints: readonly string[];
  /**
   * A bonus stage after the core; not needed to finish the course. Bonus stages come after every
   * core stage, each building on the one before it like any other stage.
   */
  readonly optional?: true;
}

/** The file the checker starts with tsx, in every starter, workspace folder and solution. */
export const ENTRY_FILE = 'server.ts';

export const stages = [
  {
    id: 1,
    slug: 'listen',
    title: 'Listen',
    summary: 'Open a TCP listener on PORT, accept connections, write something back, stay up.',
    minutes: 20,
    hints: [
      'The port number arrives as text in process.env.PORT. Turn it into a number, and fall back to 8000 when it is missing.',
      'net.createServer(callback) calls your callback once for every new connection, with a socket for that connection. Nothing happens until you call server.listen(port).',
      'Inside the connection callback, socket.end(text) writes the text and then closes your side of the connection. Add socket.on(\'error\', …) so a client that vanishes cannot crash the whole server.',
    ],
  },
  {
    id: 2,
    slug: 'first-response',
    title: 'First response',
    summary: 'Read the request head, then answer with a well-formed HTTP/1.1 response.',
    minutes: 40,
    hints: [
      'A request may arrive in several pieces. Keep appending each chunk to a buffer and only answer once the buffer contains "\\r\\n\\r\\n", the blank line that ends the head.',
      'Every line of the response head ends with "\\r\\n" (CR LF), not just "\\n", and the head ends with one more "\\r\\n".',
      'Content-Length counts bytes, not characters: "é" is one character but two bytes in UTF-8. Buffer.byteLength(page) gives the number you need.',
      'The Date header wants the format "Sun, 06 Nov 1994 08:49:37 GMT". new Date().toUTCString() produces exactly that.',
    ],
  },
  {
    id: 3,
    slug: 'request-line',
    title: 'Request line and 404',
    summary: 'Parse the request line and headers; answer 404, 400, 405, 501 and 505 where they belong.',
    minutes: 50,
    hints: [
      'Split the head at "\\r\\n". The first line is the request line; every other line is one header field.',
      'A regular expression makes the request line strict: /^([^ ]+) ([^ ]+) (HTTP\\/\\d\\.\\d)$/ allows exactly one space between the three parts. Splitting on " " would quietly accept "GET  / HTTP/1.1".',
      'For a header line, find the first colon. The name is everything before it and may not contain spaces; the value is everything after it, trimmed. Store names lower-cased: "Host" and "host" are the same field.',
      'Order matters: a request line that is not METHOD SP target SP version is 400; a well-formed version other than HTTP/1.x is 505; a malformed header line or a missing Host is 400; then the method decides 405 or 501; only then does the target decide 200 or 404.',
    ],
  },
  {
    id: 4,
    slug: 'static-files',
    title: 'Static files',
    summary: 'Serve files from a folder: content types, index.html, redirects, percent-decoding — and nothing outside it.',
    minutes: 60,
    hints: [
      'Work in this order: split off the query at the first "?", decode the path once, split it into segments, then join the segments onto ROOT.',
      'Read files with readFile(file) and no encoding: you get a Buffer, and a Buffer sends images and fonts byte for byte. Pass it to serialize as the body.',
      'Safety is a rule about segments, checked after decoding: refuse any segment that starts with "." or contains "\\". "%2e%2e" decodes to "..", so checking before decoding misses it.',
      'A symbolic link inside ROOT can point outside it. After finding the file, compare realpath(file) with realpath(ROOT) + path.sep — the separator matters, or "/srv/root-sibling" passes as inside "/srv/root".',
      'For a folder without a trailing slash, answer 301 with Location "./" + the last segment of the raw path + "/" + the query. Building it from the whole path can produce "//host", which a browser reads as another site.',
    ],
  },
  {
    id: 5,
    slug: 'not-modified',
    title: 'Not modified',
    summary: 'Last-Modified and ETag on every file; 304 when the browser\'s copy is still current, as RFC 9110 §13 says.',
    minutes: 50,
    hints: [
      'Everything you need is in stat(file): size and mtimeMs. The ETag W/"size-mtime" (in hex, say) changes whenever either does.',
      'Send ETag, Last-Modified and Cache-Control: no-cache on every 200. Without no-cache a browser may reuse its copy without asking, and you never see the 304.',
      'Order of questions: If-None-Match first — if present, it alone decides. Only without it, If-Modified-Since. And only for a file that exists: a 404 stays a 404.',
      'Compare seconds with seconds: Math.floor(mtimeMs / 1000) against the header date\'s seconds. The header never has milliseconds; your file usually does.',
      'A 304 is the head only: status line, Date, ETag, Last-Modified, Cache-Control. No body, no Content-Type, and no "Content-Length: 0".',
    ],
  },
  {
    id: 6,
    slug: 'head-and-streaming',
    title: 'HEAD and streaming',
    summary: 'HEAD answers headers only; files stream from disk with backpressure, in constant memory.',
    minutes: 40,
    hints: [
      'HEAD is GET without the body: build the same response, then write only its head. The Content-Length still says how long GET\'s body would be.',
      'Instead of readFile, hand sendResponse a { path, size } and let it stream: size comes from the stat you already did, and it is all Content-Length needs.',
      'pipeline(createReadStream(file), socket) from node:stream/promises reads a piece, writes it, and waits while the socket\'s buffer is full — that waiting is backpressure. It also closes the file if the client leaves.',
      'A client that leaves mid-file makes pipeline reject: catch it (.catch(() => {})), or the unhandled rejection ends your server.',
    ],
  },
  {
    id: 7,
    slug: 'keep-alive',
    title: 'Keep-alive',
    summary: 'Many requests on one connection: pipelining, byte-by-byte arrival, Connection: close, HTTP/1.0, idle timeouts.',
    minutes: 50,
    hints: [
      'Turn the connection handler into a loop: wait for a head, answer it, repeat. The bytes after one head stay in the buffer — they are the start of the next request.',
      'An async reader helps: nextHead() resolves when the buffer holds "\\r\\n\\r\\n", waiting for more \'data\' events if it does not yet, and undefined when the client has closed.',
      'Connection is a comma-separated, case-insensitive list. "close" anywhere means close after this response — and say "Connection: close" in it. HTTP/1.0 closes unless it sent "keep-alive".',
      'A request with a Content-Length has a body: skip exactly that many bytes before reading the next head. For files, pipeline(file, socket, { end: false }) streams without closing the socket.',
      'Give the reader\'s wait for more data a time limit (a setTimeout cleared when data arrives). When it runs out, nextHead() returns undefined and the loop ends the connection quietly with socket.end().',
    ],
  },
  {
    id: 8,
    slug: 'hardening',
    title: 'Hardening',
    summary: 'Limits (414, 431), slow clients (408), doubtful bodies and malformed input of every kind — and never a crash.',
    minutes: 50,
    hints: [
      'Every limit lives where the bytes pile up: in the reader. While waiting for "\\r\\n\\r\\n", look at what has arrived: a first line past 8 KiB is a 414, headers past 16 KiB a 431.',
      'Throw a RequestError from the reader as you do from the parser, and let one catch answer both: the response, "Connection: close", and socket.end().',
      'Two clocks: silence (no byte for 2 s) and a deadline for the whole head (3 s from its first byte). Silence with an empty buffer ends the connection quietly; anything else mid-head is a 408.',
      'Content-Length must be digits and nothing else, and never together with Transfer-Encoding. The request target must be visible ASCII (/^[\\x21-\\x7e]+$/).',
      'If a check fails on a mutated request, the report shows the seed: FSTS_FUZZ_SEED=… npm run check replays exactly the same requests while you fix it.',
    ],
  },
  {
    id: 9,
    slug: 'capstone',
    title: 'Capstone: serve this course',
    summary: 'Your server serves this course\'s website to a real browser, and logs every request it answers.',
    minutes: 40,
    hints: [
      'npm run serve starts your server with ROOT set to the course\'s site/ folder: open http://127.0.0.1:8000/ and look around, developer tools open on the Network tab.',
      'The log line is the Common Log Format: 127.0.0.1 - - [24/Nov/2026:18:05:09 +0000] "GET /style.css HTTP/1.1" 304 -. Print it after each response, when you know the status and the bytes sent.',
      'The request line is the first line of the head, exactly as it arrived: keep it from before parsing, so even a request that fails to parse can be logged.',
      'If the reload shows no 304s, look at the ETag and Last-Modified of your 200s, and at what the browser sends back in If-None-Match.',
    ],
  },
  {
    id: 10,
    slug: 'ranges',
    title: 'Range requests',
    summary: 'Send part of a file — 206 Partial Content, 416, If-Range — for resumed downloads and video seeking.',
    minutes: 45,
    optional: true,
    hints: [
      'Only GET has ranges, and only after the preconditions of stage 5 have said 200: a 304 or a 412 wins over any Range.',
      'Parse "bytes=" plus one range-spec: "first-last", "first-" or "-n". Anything else — another unit, "5-2", "abc", two ranges — is simply ignored: send the whole file with 200.',
      'first at or past the end of the file is a 416 with "Content-Range: bytes */size". Otherwise cut last at size - 1, and "-n" means start at max(0, size - n).',
      'A 206 carries "Content-Range: bytes first-last/size", a Content-Length of last - first + 1, and only those bytes: createReadStream(file, { start: first, end: last }) — end is included.',
      'If-Range takes a strong validator. Your ETag is weak (W/), so an ETag in If-Range never matches; a date matches only if it is exactly your Last-Modified. When it does not hold, ignore Range and send the whole file.',
    ],
  },
  {
    id: 11,
    slug: 'compression',
    title: 'Compression',
    summary: 'Gzip text files on the way out for clients that accept it: Accept-Encoding and q-values, Vary, an ETag per encoding, chunked streaming.',
    minutes: 50,
    optional: true,
    hints: [
      'Three questions decide gzip: is the type text (text/*, JavaScript, JSON, SVG…)? Is the file worth it (a kilobyte or more)? Does Accept-Encoding give gzip — or, if gzip is not named, "*" — a q above 0?',
      'Decide the encoding before the preconditions: the gzip response has its own ETag (W/"…-gzip"), and If-None-Match must be compared with the tag of what you would send.',
      'Vary: Accept-Encoding goes on every response for a compressible type — compressed or not, 304s included. It belongs with the validators, which every 304 carries.',
      'The compressed length is unknown until the end: send "Transfer-Encoding: chunked" instead of Content-Length, and pipeline(createReadStream(file), createGzip(), chunked, socket, { end: false }), where chunked is an async generator that yields size-in-hex CRLF bytes CRLF, then "0\\r\\n\\r\\n".',
      'A Range, or an HTTP/1.0 request (which does not know chunked), gets the file as it is: leave gzip out for them.',
    ],
  },
  {
    id: 12,
    slug: 'directory-listings',
    title: 'Directory listings',
    summary: 'List a folder that has no index.html, safely: names HTML-escaped, links percent-encoded, sorted, no dotfiles, nothing outside ROOT.',
    minutes: 40,
    optional: true,
    hints: [
      'Look for index.html with statSync(index, { throwIfNoEntry: false }): undefined means there is none, and that is when the folder gets its listing.',
      'readdir(folder, { withFileTypes: true }) gives names and whether each is a folder. Leave out names that start with ".", put a "/" after folder names, and sort with new Intl.Collator(\'en\', { numeric: true }).compare.',
      'A name goes into the page twice. In href: "./" + encodeURIComponent(name), so a "#" or a space stays part of the name. As the link text: escapeHtml(name), which turns & < > " \' into &amp; &lt; &gt; &quot; &#39;, in one pass of replace with a function, so an & it has just written is never escaped again.',
      'Before listing, realpath(folder) must be the root or start with root + path.sep: a symbolic link inside ROOT can lead to any folder on the disk.',
    ],
  },
] as const satisfies readonly Stage[];
