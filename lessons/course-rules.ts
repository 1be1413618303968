/**
 * THE list of this course's own rules: what the checker asks of a server beyond what the RFCs
 * require, each set by a lesson for a reason the lesson gives. A requirement that rests on one of
 * these says so (checker/http/basis.ts); the report prints the reason next to a failure, `--json`
 * carries it, and the site's instructor guide lists them all in one table. Everything else the
 * checker asks for is an RFC's MUST or SHOULD, or an answer among those an RFC allows.
 *
 * `why` is one sentence a learner reads under a ✗: it says what the RFC leaves open and what this
 * course chose instead.
 */

export interface CourseRule {
  /** The lesson that sets the rule. */
  readonly stage: number;
  /** What the server must do, in a few words. */
  readonly rule: string;
  /** Why the course asks for it, given that the RFC does not. */
  readonly why: string;
}

export const COURSE_RULES = {
  // — lesson 1 —
  'listens-on-port': {
    stage: 1,
    rule: 'Listens on the TCP port in the environment variable PORT, and writes something back',
    why: 'the course\'s server contract (like a cloud host\'s): the checker chooses the port, so a port written in the code is one it cannot find.',
  },
  'stays-up': {
    stage: 1,
    rule: 'Keeps accepting connections after a client leaves, however it leaves',
    why: 'a server that one client can stop is not a server; the RFCs take it for granted and say nothing.',
  },
  // — lesson 2 —
  'whole-head': {
    stage: 2,
    rule: 'Reads the whole request head, however it is cut into pieces, and each connection\'s on its own, before answering it',
    why: 'TCP delivers bytes, not messages: a head ends at its empty line (RFC 9112 §2.2), so a server that answers the first piece answers a request it has not read.',
  },
  // — lesson 3 —
  'error-pages': {
    stage: 3,
    rule: 'Error responses carry a small HTML page that says what went wrong',
    why: 'RFC 9110 §15 only says an error response SHOULD explain the situation; this course sends a short text/html page so a person in a browser reads why.',
  },
  'routes': {
    stage: 3,
    rule: 'The page is at /, with 200; a path with nothing behind it gets 404 Not Found',
    why: 'no RFC says what a server has at an address; RFC 9110 §15.5.5 defines 404 for a target with nothing to show without making it a MUST, and it is what every static server sends, so it is what the checker looks for.',
  },
  'get-and-head-only': {
    stage: 3,
    rule: 'Only GET and HEAD are served; POST, PUT, DELETE and the rest are refused, with 405 and Allow or with 501',
    why: 'RFC 9110 §9.1 lets a server implement any method it likes (some static servers answer a POST with the file); a server of files has nothing to do for POST, PUT or DELETE, and lesson 3 refuses them rather than pretend.',
  },
  'not-http-at-once': {
    stage: 3,
    rule: 'Bytes that cannot begin a request (a TLS handshake) get 400 as soon as they arrive, not after a wait for a line end',
    why: 'RFC 9112 §2.2 says octets that do not match HTTP\'s grammar SHOULD get 400, and sets no time; a server that waits for a blank line that will never come holds the connection until a timeout, and the browser sent to "https://" on a plain port is told nothing.',
  },
  'no-http-0.9': {
    stage: 3,
    rule: 'A request line without a version gets 400, not an HTTP/0.9 reply',
    why: 'RFC 9112 §2.3 leaves HTTP/0.9 support to the server; this course does not speak it, since a bare body with no status line is a reply no modern client understands.',
  },
  // — lesson 4 —
  'files-from-root': {
    stage: 4,
    rule: 'A path, split from its query and percent-decoded once, names the file at that path under ROOT, sent byte for byte',
    why: 'no RFC maps addresses to files (RFC 9110 §3.1 leaves it to the server); this is the static server\'s contract, and a file that does not arrive exactly as it is on disk is a broken file.',
  },
  'bad-paths': {
    stage: 4,
    rule: 'A path that cannot be decoded (a malformed escape, a cut-off UTF-8 sequence), decodes to a NUL byte, or names a file too long for the file system gets a 4xx such as 400 or 404, never a 5xx or a crash',
    why: 'RFC 9112 §3 says an invalid request-target SHOULD get 400, and an encoded NUL or a name too long is valid syntax that names no file; either way there is nothing to serve, the client is the one who erred, and lesson 4 answers 400 or 404.',
  },
  'index-html': {
    stage: 4,
    rule: 'A folder is served by its index.html',
    why: 'no RFC maps paths to files; index.html for a folder is the convention every static server and every browser user expects.',
  },
  'folder-redirect': {
    stage: 4,
    rule: 'A folder asked for without its trailing slash is redirected (301 or 308) to the address with it',
    why: 'no RFC requires it; without it the relative links of the folder\'s index.html resolve against the parent folder and break.',
  },
  'content-types': {
    stage: 4,
    rule: 'Files get the Content-Type of their extension from a table; a type the server does not know is sent as application/octet-stream or with no Content-Type',
    why: 'RFC 9110 §8.3 says a server SHOULD send a type when it knows one, and the extension is how a static server knows; browsers refuse scripts, styles and WebAssembly sent with the wrong type.',
  },
  'nothing-outside-root': {
    stage: 4,
    rule: 'No path, in any encoding or through any link, reads a byte from outside ROOT or a dotfile; it is refused with a 4xx, and a refused file that exists gets the same answer as one that does not',
    why: 'RFC 9110 §17.3 warns of exactly this attack without setting a rule, and lets a server refuse with 403 or hide with 404 (§15.5.4); a static server that leaks a file outside its folder is the most common static-server vulnerability there is.',
  },
  'no-paths-in-errors': {
    stage: 4,
    rule: 'Error pages never show a path of the server\'s machine',
    why: 'RFC 9110 §17 asks servers not to reveal more than they must; a path in an error message tells strangers how the machine is laid out.',
  },
  // — lesson 5 —
  'cache-control-no-cache': {
    stage: 5,
    rule: 'Every file is sent with Cache-Control: no-cache',
    why: 'the RFC lets a server say nothing and lets a browser guess a freshness time (RFC 9111 §4.2.2); this course says no-cache so the browser asks every time and you see your 304s.',
  },
  // — lesson 6 —
  'streams-files': {
    stage: 6,
    rule: 'Files are streamed from disk in constant memory, and an abandoned download closes its file',
    why: 'no RFC says how a server reads its files; one that reads a whole file into memory, or keeps it open after the client left, can be exhausted by a few clients.',
  },
  // — lesson 7 —
  'open-before-head': {
    stage: 6,
    rule: 'A file that cannot be opened gets a whole 4xx answer (404), never a 200 head followed by a dropped connection',
    why: 'once a 200 head is out, no status can take it back; the client sees a broken download where lesson 4 promised a 404 for every file-system error. Opening the file before the head is sent keeps the promise.',
  },
  'keeps-connections-open': {
    stage: 7,
    rule: 'An HTTP/1.1 connection stays open for the next request unless one side says "close"',
    why: 'RFC 9112 §9.3 makes persistence HTTP/1.1\'s default but §9.5 lets a server close at any time; a server that closes after every response makes a browser open a new connection for each file, and lesson 7 is about not doing that.',
  },
  'idle-timeout': {
    stage: 7,
    rule: 'An idle kept-alive connection is closed quietly within 4 seconds',
    why: 'RFC 9112 §9.5 lets a server close an idle connection at any time and sets no time; this course closes within 4 s so a check never waits long, where real servers wait 5 to 75 s.',
  },
  'bounded-linger': {
    stage: 7,
    rule: 'A connection the server has closed is let go of within 6 s, even when the client never closes its side',
    why: 'RFC 9112 §9.6 has a server close in stages, reading on until the client closes "or until the server is reasonably certain" it is done, and sets no time; a server that waits for every client\'s FIN runs out of file descriptors when a few hundred clients never send one.',
  },
  'pipeline-backpressure': {
    stage: 7,
    rule: 'Pipelined requests are answered only as fast as the client reads the answers',
    why: 'RFC 9112 §9.3.2 only asks for the answers in order; a server that writes them all at once holds in memory every answer a client does not read (2,000 GETs of a 60 KB file: 120 MB).',
  },
  'short-body-closes': {
    stage: 7,
    rule: 'A body that ends before its Content-Length (a file truncated while it is sent) ends the connection with it',
    why: 'RFC 9112 §8 calls such a message incomplete, and the client can only tell by the connection closing (§6.3); a server that keeps the connection open makes a keep-alive client read the next response as the rest of this body.',
  },
  'no-nagle-delay': {
    stage: 7,
    rule: 'A response on a kept-alive connection is not held back by Nagle\'s algorithm: it takes milliseconds, not the 40 ms of a delayed acknowledgement',
    why: 'no HTTP RFC sets a speed; TCP holds a small segment back while an earlier one is unacknowledged (Nagle, RFC 9293 §3.7.4) and a client may delay its acknowledgement (§3.8.6.3), so a head and a body written apart wait 40 ms on every reused connection; nginx, Apache and Node\'s http set TCP_NODELAY for this reason.',
  },
  // — lesson 8 —
  'head-limits': {
    stage: 8,
    rule: 'A request line over 8 KiB gets 414 and a header section over its limit gets a 4xx (431), and neither is read to its end',
    why: 'RFC 9112 §3 and RFC 9110 §5.4 let a server choose its limits; a server without them can be made to hold any amount of memory.',
  },
  'head-timeout': {
    stage: 8,
    rule: 'A head that stalls, or trickles in for more than a few seconds, gets 408 (or no answer at all) and the connection is closed',
    why: 'the RFC sets no time for a request to arrive; without a deadline, a few hundred slow clients (slowloris) hold every connection a server has.',
  },
  'survives-garbage': {
    stage: 8,
    rule: 'Any bytes at all get a clean status line (where they are malformed a 4xx, 501 or 505, never a 500), or a close, and never a crash',
    why: 'RFC 9112 §2.2 only says what a server may do with malformed input; a server that a malformed request can stop is down for everyone.',
  },
  'many-idle-clients': {
    stage: 8,
    rule: 'Serves a new client while hundreds of idle connections are open',
    why: 'no RFC counts connections; a server that idle clients can crowd out is down for everyone else.',
  },
  'send-timeout': {
    stage: 8,
    rule: 'A download the client has stopped reading is abandoned within 10 s',
    why: 'no RFC sets a time for a client to read; nginx gives up after 60 s without progress (send_timeout), this course within 10 s so a check never waits long; a server with no limit keeps a socket, an open file and a full buffer for every client that stops reading.',
  },
  'bounded-input': {
    stage: 8,
    rule: 'What a client sends while its response is still going out is not all read into memory',
    why: 'the RFCs let a client send its next requests early (RFC 9112 §9.3.2) and set no limit on how much; a server that reads all of it while it waits on that client can be filled by one connection.',
  },
  'body-deadline': {
    stage: 8,
    rule: 'A request body that trickles in, a few bytes a second, is cut off within 8 s',
    why: 'the RFC sets no time for a body to arrive (RFC 9110 §15.5.9 only names the 408 for it), and an idle timer restarts with every byte; without a deadline one byte a second holds a connection for ever, which is why Apache\'s mod_reqtimeout asks bodies for a minimum rate.',
  },
  // — lesson 9 —
  'access-log': {
    stage: 9,
    rule: 'Every response is logged on standard output in the Common Log Format',
    why: 'no RFC asks for a log; the Common Log Format is what nginx, Apache and every log tool read, and it is how you see a browser\'s 304s.',
  },
  'serves-the-course': {
    stage: 9,
    rule: 'A real browser can load this course\'s site from the server, and revalidates it with 304 on reload',
    why: 'the capstone: every earlier rule at work for a real client.',
  },
  // — lesson 10 —
  'byte-ranges': {
    stage: 10,
    rule: 'A request for one satisfiable byte range (first-last, first- or -suffix) gets 206 Partial Content with exactly those bytes',
    why: 'RFC 9110 §14.2 lets a server ignore Range and send the whole file; this course answers ranges, so a video can seek and a broken download can resume where it stopped.',
  },
  'accept-ranges': {
    stage: 10,
    rule: 'Every file is sent with Accept-Ranges: bytes',
    why: 'RFC 9110 §14.3 only allows a server to advertise ranges; this course does, since download managers and media players ask for parts only of a server that says it serves them.',
  },
  // — lesson 11 —
  'gzip-text': {
    stage: 11,
    rule: 'A text file of a kilobyte or more is compressed when the client accepts gzip; images, fonts and tiny files are sent as they are',
    why: 'RFC 9110 §12.5.3 lets a server send any coding the client accepts, or none; this course compresses what gains from it, since text shrinks to a fraction while compressed formats and tiny files only cost time or grow.',
  },
  'gzip-only-when-asked': {
    stage: 11,
    rule: 'A client that sends no Accept-Encoding gets the file as it is',
    why: 'RFC 9110 §12.5.3 counts every coding acceptable to a client that sends no Accept-Encoding; this course, like nginx, Apache and Caddy, compresses only for a client that says it can decompress, since curl and many scripts say nothing.',
  },
  'gzip-etag': {
    stage: 11,
    rule: 'The gzip response has an ETag of its own, other than the uncompressed file\'s',
    why: 'RFC 9110 §8.8.1 lets equivalent representations share a weak tag (nginx does); this course gives the gzip bytes their own, so a cache revalidating one copy is never told the other is current.',
  },
  'no-gzip-ranges': {
    stage: 11,
    rule: 'A Range request is answered from the file as it is (or with the whole file), never with a part of gzip output',
    why: 'RFC 9110 §14.2 lets a server ignore a Range; gzip made on the fly need not come out byte for byte the same twice, so a part of it cannot be trusted to fit the rest.',
  },
  // — lesson 12 —
  'directory-listing': {
    stage: 12,
    rule: 'A folder without index.html gets an HTML page with a link for each file and subfolder in it, dotfiles left out: each name shown as text, each link leading to what it names',
    why: 'no RFC says what a folder\'s representation is (RFC 9110 §9.3.1 leaves it to the server); this course lists it as Python\'s http.server does, and a listing is only worth having if every link works and no name can become markup.',
  },
  'listing-sorted': {
    stage: 12,
    rule: 'A listing shows its files in alphabetical order, with case ignored: capitals among the small letters, not all first',
    why: 'no RFC orders a listing; people look for a name alphabetically, and a plain sort() puts every capital first (the lesson\'s numeric collator passes, and so do Python\'s and Caddy\'s lower-cased order).',
  },
} as const satisfies Record<string, CourseRule>;

export type CourseRuleId = keyof typeof COURSE_RULES;
