/**
 * What each outside server, configured as in this folder, is expected to fail, and why. The kit
 * test (checker/test/outside-servers.test.ts) holds the checker to this list both ways: a failure
 * not listed here is either an over-fit of the checker or a violation to add here, and a listed
 * requirement that passes comes off the list. survey.ts prints each failure with its entry.
 *
 * Every entry is one of:
 * - 'violation': what the server sent breaks a MUST (or, with level 'SHOULD', a SHOULD the
 *   requirement enforces) of the RFC section named, quoted in `rule`;
 * - 'course-rule': a rule of this course (lessons/course-rules.ts) the server cannot meet, or
 *   cannot be configured to meet;
 * - 'over-fit': the checker rejects an answer the RFCs and the course's rules allow. These are
 *   defects of the checker, listed so the test stays green until each is fixed; the fix makes
 *   the test fail until its entry is removed.
 */
import type { CourseRuleId } from '../../../lessons/course-rules.ts';
import type { OutsideServerInfo } from './servers.ts';

interface Entry {
  /** The stage whose suite holds the requirement. */
  stage: number;
  /** The requirement's exact name, as the report prints it. */
  requirement: string;
  /** What the server does, and why that fails the requirement. */
  reason: string;
}

export type ExpectedFailure = Entry &
  (
    | { kind: 'violation'; rfc: string; level: 'MUST' | 'SHOULD'; rule: string }
    | { kind: 'course-rule'; courseRule: CourseRuleId }
    | { kind: 'over-fit' }
  );

const violation = (stage: number, requirement: string, rfc: string, rule: string, reason: string, level: 'MUST' | 'SHOULD' = 'MUST'): ExpectedFailure => ({ stage, requirement, kind: 'violation', rfc, level, rule, reason });
const courseRule = (stage: number, requirement: string, rule: CourseRuleId, reason: string): ExpectedFailure => ({ stage, requirement, kind: 'course-rule', courseRule: rule, reason });
const overFit = (stage: number, requirement: string, reason: string): ExpectedFailure => ({ stage, requirement, kind: 'over-fit', reason });

/** One line for a message: "a violation of RFC 9110 §15.5.6 (MUST): …". */
export function describeExpected(entry: ExpectedFailure): string {
  if (entry.kind === 'violation') return `a violation of ${entry.rfc} (${entry.level}: ${entry.rule}): ${entry.reason}`;
  if (entry.kind === 'course-rule') return `course rule '${entry.courseRule}': ${entry.reason}`;
  return `a known over-fit of the checker: ${entry.reason}`;
}

// Sentences several servers break, quoted once.
const ALLOW_IN_405 = 'The origin server MUST generate an Allow header field in a 405 response containing a list of the target resource\'s currently supported methods.';
const IMS_ONE_DATE = 'A recipient MUST ignore the If-Modified-Since header field if the received field value is not a valid HTTP-date, the field value has more than one member, or if the request method is neither GET nor HEAD.';
const LAST_MODIFIED_NOT_FUTURE = 'An origin server with a clock MUST NOT generate a Last-Modified date that is later than the server\'s time of message origination (Date) … the origin server MUST replace that value with the message origination date.';
const IUS_AFTER_IF_MATCH = 'A recipient MUST ignore If-Unmodified-Since if the request contains an If-Match header field.';
const VARY_ON_304 = 'The server generating a 304 response MUST generate any of the following header fields that would have been sent in a 200 (OK) response to the same request: Content-Location, Date, ETag, and Vary; Cache-Control and Expires.';
const INVALID_REQUEST_LINE = 'Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request) error or a 301 (Moved Permanently) redirect with the request-target properly encoded.';
const NOT_THE_GRAMMAR = 'When a server … receives a sequence of octets that does not match the HTTP-message grammar aside from the robustness exceptions listed above, the server SHOULD respond with a 400 (Bad Request) response and close the connection.';
const INM_MUST_304 = 'An origin server MUST NOT perform the requested method if the condition evaluates to false; instead, the origin server MUST respond with either a) the 304 (Not Modified) status code if the request method is GET or HEAD or b) the 412 (Precondition Failed) status code for all other request methods.';
const CONTENT_RANGE_ON_416 = 'A server that generates a 416 response to a byte-range request SHOULD generate a Content-Range header field specifying the current length of the selected representation.';
const VARY_SHOULD = 'An origin server SHOULD send a Vary header field when its algorithm for selecting a representation varies based on aspects of the request message other than the method and target URI.';
const UNKNOWN_RANGE_UNIT = 'An origin server MUST ignore a Range header field that contains a range unit it does not understand.';
const DATE_ON_4XX = 'An origin server with a clock MUST generate a Date header field in all 2xx (Successful), 3xx (Redirection), and 4xx (Client Error) responses.';
const NGINX_405 = 'nginx answers 405 Not Allowed to every method its static module does not do, BREW included, and never sends an Allow header with it.';
const APACHE_POST = 'Apache\'s default handler serves a static file for POST as for GET (200, the file). RFC 9110 §9.3.3 leaves what POST does to the resource, so this breaks no RFC sentence, only the course\'s rule; a <LimitExcept GET HEAD> would refuse it, but with 403, which the rule does not allow either.';

export const EXPECTED_FAILURES: Record<OutsideServerInfo['name'], readonly ExpectedFailure[]> = {
  nginx: [
    courseRule(3, 'answers 400 to a request line without a version', 'no-http-0.9', 'nginx answers "GET /" as HTTP/0.9, with the body alone and no status line, and has no setting to refuse HTTP/0.9.'),
    violation(3, 'answers 501, or 405 with Allow, to a method it has never heard of', 'RFC 9110 §15.5.6', ALLOW_IN_405, NGINX_405),
    violation(3, 'refuses POST with 405 and an Allow header, or 501', 'RFC 9110 §15.5.6', ALLOW_IN_405, NGINX_405),
    violation(3, 'refuses PUT with 405 and an Allow header, or 501', 'RFC 9110 §15.5.6', ALLOW_IN_405, NGINX_405),
    violation(3, 'refuses DELETE with 405 and an Allow header, or 501', 'RFC 9110 §15.5.6', ALLOW_IN_405, NGINX_405),
    violation(5, 'never sends a Last-Modified later than Date, even for a file whose time is in the future', 'RFC 9110 §8.8.2.1', LAST_MODIFIED_NOT_FUTURE, 'nginx sends a file\'s modification time as it is, tomorrow\'s included.'),
    violation(5, 'ignores If-Unmodified-Since when If-Match is present, or when its date is not valid', 'RFC 9110 §13.1.4', IUS_AFTER_IF_MATCH, 'with "If-Match: *" and an If-Unmodified-Since before the file\'s time, nginx answers 412: it looks at If-Unmodified-Since although If-Match is there (and holds).'),
    violation(5, 'ignores a date that is not valid, or a list of dates', 'RFC 9110 §13.1.3', IMS_ONE_DATE, 'nginx reads the first date of "If-Modified-Since: <date>, <date>" and answers 304.'),
    violation(8, 'answers 400 and closes for a raw non-ASCII byte in the target', 'RFC 9112 §3', INVALID_REQUEST_LINE, 'nginx takes the raw UTF-8 bytes as part of the path and answers 404 (no such file).', 'SHOULD'),
    violation(8, 'answers 400 and closes for a header name with a character tokens cannot have', 'RFC 9112 §2.2', NOT_THE_GRAMMAR, 'nginx drops a header line whose name is not a token (ignore_invalid_headers, on by default) and answers the request: 200.', 'SHOULD'),
    courseRule(8, 'stays up and correct through thousands of mutated requests', 'no-http-0.9', 'a mutated request line that has lost its version is HTTP/0.9 to nginx, which answers with a body and no status line.'),
    courseRule(8, 'cuts off a request body that trickles in a byte at a time, within 8 s', 'body-deadline', 'nginx\'s client_body_timeout (3 s here) is a time between two reads, not a deadline for the body: a byte every 0.2 s keeps it reading.'),
    courseRule(11, 'reads Accept-Encoding as a list with q-values: "br;q=1, gzip;q=0.8", "*", "GZIP" all accept gzip', 'gzip-text', 'nginx\'s gzip looks for the word "gzip" in Accept-Encoding and does not take "*" as accepting it, so "Accept-Encoding: *" gets the file as it is (which RFC 9110 §12.5.3 allows).'),
    violation(11, 'sends on a 304 the Vary of its 200', 'RFC 9110 §15.4.5', VARY_ON_304, 'nginx\'s 304 has no Vary, though its 200 says "Vary: Accept-Encoding".'),
    violation(11, 'answers 304 to If-None-Match with the gzip ETag, with that ETag and Vary', 'RFC 9110 §15.4.5', VARY_ON_304, 'nginx\'s gzip response has the weak ETag W/"…", but its 304 (made before gzip runs) carries the strong "…" that only the uncompressed 200 has, and no Vary.'),
    courseRule(12, 'lists files sorted by name, capitals among the small letters', 'listing-sorted', 'nginx\'s autoindex lists names in byte order, capitals first; it has no setting for another order.'),
  ],
  lighttpd: [
    violation(3, 'answers 400 to a version with no digits', 'RFC 9112 §3', INVALID_REQUEST_LINE, 'lighttpd answers "GET / HTTP/one" with 505 HTTP Version Not Supported.', 'SHOULD'),
    violation(5, 'never sends a Last-Modified later than Date, even for a file whose time is in the future', 'RFC 9110 §8.8.2.1', LAST_MODIFIED_NOT_FUTURE, 'lighttpd sends a file\'s modification time as it is, tomorrow\'s included.'),
    violation(5, 'answers 304, headers only, when If-None-Match holds the current ETag', 'RFC 9110 §15.4.5', 'A sender SHOULD NOT generate representation metadata other than the above listed fields unless said metadata exists for the purpose of guiding cache updates.', 'lighttpd\'s 304 carries Content-Type.', 'SHOULD'),
    violation(5, 'answers 304 when If-Modified-Since is the Last-Modified time, or later', 'RFC 9110 §15.4.5', 'A sender SHOULD NOT generate representation metadata other than the above listed fields unless said metadata exists for the purpose of guiding cache updates.', 'lighttpd\'s 304 carries Content-Type.', 'SHOULD'),
    violation(5, 'gets 200 and new validators, even with the same size a second later', 'RFC 9110 §13.1.2', INM_MUST_304, 'lighttpd answers from a cache of stat() results up to a second old, so just after a file changes it still matches the old ETag and answers 304 for content that is gone.', 'SHOULD'),
    violation(5, 'answers 412 when If-Match holds no current strong ETag, and 200 for "*"', 'RFC 9110 §13.1.1', 'An origin server that receives an If-Match header field MUST evaluate the condition as per Section 13.2 prior to performing the method.', 'lighttpd ignores If-Match on a GET and answers 200.'),
    violation(5, 'answers 412 when the file changed after If-Unmodified-Since', 'RFC 9110 §13.1.4', 'An origin server that receives an If-Unmodified-Since header field without an If-Match header field MUST evaluate the condition as per Section 13.2 prior to performing the method.', 'lighttpd ignores If-Unmodified-Since on a GET and answers 200.'),
    violation(8, 'answers 414 to a request line longer than 8 KiB, and accepts one of 7,900 bytes', 'RFC 9112 §3', 'A server that receives a request-target longer than any URI it wishes to parse MUST respond with a 414 (URI Too Long) status code.', 'lighttpd counts the request line in its header limit and answers 431.'),
    violation(8, 'answers 400 and closes for "Content-Length: "', 'RFC 9112 §6.3', 'If the unrecoverable error is in a request message, the server MUST respond with a 400 (Bad Request) status code and then close the connection.', 'lighttpd takes an empty Content-Length as none and answers 411 (but see the report: an empty value is arguably an empty list, RFC 9110 §5.6.1).'),
    violation(8, 'answers 400 and closes for a raw non-ASCII byte in the target', 'RFC 9112 §3', INVALID_REQUEST_LINE, 'lighttpd takes the raw bytes as part of the path and answers 404.', 'SHOULD'),
    violation(8, 'answers 400 and closes for a method with a character tokens cannot have', 'RFC 9112 §3', INVALID_REQUEST_LINE, 'lighttpd answers "GE(T" with 501 Not Implemented.', 'SHOULD'),
    courseRule(8, 'answers 408 (or just closes) when a head trickles in a byte at a time for too long (slowloris)', 'head-timeout', 'lighttpd\'s server.max-read-idle is a time between two reads, not a deadline for the head: a byte every 0.4 s keeps the connection.'),
    overFit(9, 'logs every response in the Common Log Format: client, time, request line, status, bytes', 'lighttpd buffers its access log and writes a line a moment later; the checker reads the log soon after its own request and, some runs, sees only the browser\'s earlier (compressed, 3006-byte) line for the page. The line with the right byte count does arrive (it is in the check\'s output): wait for it, up to a few seconds. Intermittent: some runs pass.'),
    violation(10, 'answers 416 with Content-Range: bytes */1000 for a range that starts past the end', 'RFC 9110 §15.5.17', CONTENT_RANGE_ON_416, 'lighttpd\'s 416 has no Content-Range.', 'SHOULD'),
    violation(10, 'answers 412, not 206 or 416, when If-Match fails', 'RFC 9110 §13.1.1', 'An origin server that receives an If-Match header field MUST evaluate the condition as per Section 13.2 prior to performing the method.', 'lighttpd ignores If-Match and sends the part.'),
    courseRule(11, 'reads Accept-Encoding as a list with q-values: "br;q=1, gzip;q=0.8", "*", "GZIP" all accept gzip', 'gzip-text', 'mod_deflate does not take "*" as accepting a coding, so "Accept-Encoding: *" gets the file as it is (which RFC 9110 §12.5.3 allows). (It answers "br;q=1.0, gzip;q=0.8" with br, which the suite now accepts.)'),
    violation(11, 'does not compress with gzip when gzip has q=0, or only other codings are acceptable', 'RFC 9110 §12.5.3', 'If a non-empty Accept-Encoding header field is present in a request and none of the available content codings for the resource are acceptable, then the origin server SHOULD send a response without any content coding.', 'lighttpd ignores q-values: "Accept-Encoding: gzip;q=0" gets gzip.', 'SHOULD'),
    violation(11, 'sends Vary: Accept-Encoding for a compressible file, compressed or not', 'RFC 9110 §12.5.5', VARY_SHOULD, 'lighttpd sends Vary only on a response it compressed, not to a client that sent no Accept-Encoding.', 'SHOULD'),
    violation(11, 'answers HEAD with the headers GET would get, and no body', 'RFC 9110 §9.3.2', 'The server SHOULD send the same header fields in response to a HEAD request as it would have sent if the request method had been GET.', 'lighttpd compresses only GET: its HEAD has no Content-Encoding and another ETag.', 'SHOULD'),
    courseRule(12, 'lists files sorted by name, capitals among the small letters', 'listing-sorted', 'lighttpd\'s mod_dirlisting sorts names byte by byte, capitals first.'),
  ],
  apache: [
    courseRule(3, 'answers 400 at once to bytes that cannot begin a request, such as a TLS handshake', 'not-http-at-once', 'Apache reads a request line until its line end, whatever its first bytes are: a TLS handshake waits for RequestReadTimeout (3 s here) and then gets 408.'),
    courseRule(3, 'refuses POST with 405 and an Allow header, or 501', 'get-and-head-only', APACHE_POST),
    violation(5, 'ignores If-Unmodified-Since when If-Match is present, or when its date is not valid', 'RFC 9110 §13.1.4', IUS_AFTER_IF_MATCH, 'with "If-Match: *" and an If-Unmodified-Since before the file\'s time, Apache answers 412: it looks at If-Unmodified-Since although If-Match is there (and holds).'),
    violation(5, 'ignores a date that is not valid, or a list of dates', 'RFC 9110 §13.1.3', IMS_ONE_DATE, 'Apache reads the first date of "If-Modified-Since: <date>, <date>" and answers 304.'),
    violation(8, 'answers 400 and closes for a raw non-ASCII byte in the target', 'RFC 9112 §3', INVALID_REQUEST_LINE, 'Apache takes the raw bytes as part of the path and answers 404.', 'SHOULD'),
    violation(9, 'lets the browser revalidate on reload, and answers 304', 'RFC 9110 §13.1.2', INM_MUST_304, 'mod_deflate gives a compressed response the ETag "…-gzip", but Apache compares If-None-Match with the file\'s own tag, so the browser\'s If-None-Match never matches and every reload gets 200 (Apache bug 45023).'),
    violation(10, 'answers 416 with Content-Range: bytes */1000 for a range that starts past the end', 'RFC 9110 §15.5.17', CONTENT_RANGE_ON_416, 'Apache\'s 416 has no Content-Range.', 'SHOULD'),
    courseRule(11, 'reads Accept-Encoding as a list with q-values: "br;q=1, gzip;q=0.8", "*", "GZIP" all accept gzip', 'gzip-text', 'mod_deflate looks for "gzip" in Accept-Encoding and does not take "*" as accepting it, so "Accept-Encoding: *" gets the file as it is (which RFC 9110 §12.5.3 allows).'),
    violation(11, 'sends on a 304 the Vary of its 200', 'RFC 9110 §15.4.5', VARY_ON_304, 'Apache\'s 304 has no Vary, though its 200 says "Vary: Accept-Encoding" (mod_deflate adds it only to a body it filters).'),
    violation(11, 'answers 304 to If-None-Match with the gzip ETag, with that ETag and Vary', 'RFC 9110 §13.1.2', INM_MUST_304, 'Apache compares If-None-Match "…-gzip" with the file\'s own tag and answers 200 (Apache bug 45023).'),
    courseRule(11, 'answers a Range request from the file as it is, not from gzip\'s output', 'no-gzip-ranges', 'Apache answers "Range: bytes=0-99" with Accept-Encoding: gzip by a 206 of the first 100 bytes of gzip output (ETag "…-gzip", Content-Range bytes 0-99/1430): a valid range of the gzip representation for RFC 9110 §14, which the course rule forbids.'),
    courseRule(12, 'lists files sorted by name, capitals among the small letters', 'listing-sorted', 'mod_autoindex sorts names byte by byte, capitals first, unless told otherwise (IndexOrderDefault sorts by a column, never ignoring case).'),
  ],
  caddy: [
    courseRule(3, 'answers 400 at once to bytes that cannot begin a request, such as a TLS handshake', 'not-http-at-once', 'Go\'s server reads a request line until its line end (or its 1 MB limit) whatever its first bytes are: a TLS handshake waits.'),
    violation(3, 'puts a Date header on every response, errors included', 'RFC 9110 §6.6.1', DATE_ON_4XX, 'Go\'s server answers a request without Host ("400 Bad Request: missing required Host header") with no Date.'),
    courseRule(4, 'redirects a folder without its trailing slash (301 or 308), keeping the query', 'folder-redirect', 'Caddy 2.6\'s file_server redirects "/docs?tab=2" to "/docs/", dropping the query.'),
    courseRule(4, 'answers 400 or 404 to a path with an encoded NUL byte', 'bad-paths', 'Caddy answers a path with %00 with 500 (the system call fails, and file_server calls that a server error).'),
    courseRule(4, 'refuses a symbolic link inside ROOT that points outside it with a 4xx: /escape.txt', 'nothing-outside-root', 'Caddy\'s file_server follows symbolic links wherever they lead and has no setting not to.'),
    courseRule(4, 'refuses a symbolic link inside ROOT into a sibling folder whose name starts with ROOT\'s name with a 4xx: /sibling-link.txt', 'nothing-outside-root', 'Caddy\'s file_server follows symbolic links wherever they lead.'),
    courseRule(4, 'answers a file name too long for the file system with a 4xx and keeps serving', 'bad-paths', 'Caddy answers a 5000-character file name with 500 (ENAMETOOLONG is a server error to file_server).'),
    violation(5, 'never sends a Last-Modified later than Date, even for a file whose time is in the future', 'RFC 9110 §8.8.2.1', LAST_MODIFIED_NOT_FUTURE, 'Caddy sends a file\'s modification time as it is, tomorrow\'s included.'),
    courseRule(8, 'answers 414 to a request line longer than 8 KiB, and accepts one of 7,900 bytes', 'head-limits', 'Go\'s server reads heads up to 1 MB, so a 9000-byte request line is no error to it (the long file name then gets 500).'),
    courseRule(8, 'answers a header section over its limit with a 4xx such as 431, and accepts a large ordinary one', 'head-limits', 'Go\'s server reads heads up to 1 MB (MaxHeaderBytes); Caddy 2.6 has no Caddyfile setting to lower it.'),
    violation(8, 'closes the connection after answering a request with both Content-Length and Transfer-Encoding', 'RFC 9112 §6.1', 'Regardless, the server MUST close the connection after responding to such a request to avoid the potential attacks.', 'Go\'s server uses the chunked framing, answers, and keeps the connection open (until its idle timeout).'),
    violation(8, 'answers 400 and closes for "Content-Length: "', 'RFC 9112 §6.3', 'If the unrecoverable error is in a request message, the server MUST respond with a 400 (Bad Request) status code and then close the connection.', 'Go\'s server takes an empty Content-Length as none (Caddy then answers the POST 405). Content-Length is 1*DIGIT (RFC 9110 §8.6), so an empty value is invalid framing; some read it as an empty list (RFC 9110 §5.6.1), which the grammar does not make it.'),
    violation(8, 'answers 400 and closes for a raw non-ASCII byte in the target', 'RFC 9112 §3', INVALID_REQUEST_LINE, 'Go takes the raw bytes as part of the path and Caddy answers 404.', 'SHOULD'),
    courseRule(8, 'answers 408 (or just closes) when a head trickles in a byte at a time for too long (slowloris)', 'head-timeout', 'when read_header runs out, Go\'s server answers 400 Bad Request, not 408.'),
    courseRule(8, 'stays up and correct through thousands of mutated requests', 'survives-garbage', 'Caddy answers some mutated paths (a %00, a name too long) with a well-formed 500, where the course rule asks malformed input for a 4xx, 501 or 505.'),
    courseRule(9, 'logs every response in the Common Log Format: client, time, request line, status, bytes', 'access-log', 'Caddy writes its access log as JSON (or its console format); it has no Common Log Format encoder without a plugin.'),
    courseRule(9, 'escapes the request line in the log: a client cannot forge fields or send terminal escapes', 'access-log', 'Caddy\'s log is JSON (which escapes everything), not the Common Log Format, so the line the test looks for is never there.'),
    violation(10, 'reads the unit\'s name case-insensitively: "Bytes=10-19" is a byte range too', 'RFC 9110 §14.2', UNKNOWN_RANGE_UNIT, 'Go\'s ServeContent knows only "bytes=" in lower case and answers "Bytes=10-19" with 416, where it must either read it as bytes (units are case-insensitive, §14.1) or ignore it.'),
    violation(10, 'ignores a Range in a unit other than bytes, and sends the whole file', 'RFC 9110 §14.2', UNKNOWN_RANGE_UNIT, 'Go\'s ServeContent answers "Range: pages=1-2" with 416.'),
    courseRule(11, 'reads Accept-Encoding as a list with q-values: "br;q=1, gzip;q=0.8", "*", "GZIP" all accept gzip', 'gzip-text', 'Caddy\'s encode does not take "*" as accepting gzip, so "Accept-Encoding: *" gets the file as it is (which RFC 9110 §12.5.3 allows).'),
    violation(11, 'sends Vary: Accept-Encoding for a compressible file, compressed or not', 'RFC 9110 §12.5.5', VARY_SHOULD, 'Caddy sends Vary only on a response it compressed.', 'SHOULD'),
    violation(11, 'sends on a 304 the Vary of its 200', 'RFC 9110 §15.4.5', VARY_ON_304, 'Caddy\'s 304 has no Vary, though its gzip 200 says "Vary: Accept-Encoding".'),
    courseRule(11, 'gives the gzip response an ETag of its own', 'gzip-etag', 'Caddy 2.6 sends the file\'s ETag unchanged on its gzip response.'),
    violation(11, 'answers 304 to If-None-Match with the gzip ETag, with that ETag and Vary', 'RFC 9110 §15.4.5', VARY_ON_304, 'Caddy\'s 304 has no Vary.'),
    courseRule(12, 'a folder reached through a symbolic link that leads outside ROOT is refused with a 4xx, and not listed', 'nothing-outside-root', 'Caddy follows the link and lists the folder outside ROOT.'),
  ],
};
