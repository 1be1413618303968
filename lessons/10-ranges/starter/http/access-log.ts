const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 24/Nov/2026:18:05:09 +0000 — the date as the Common Log Format writes it. */
function logDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/**
 * The request line in quotes, as nginx writes it. It comes from a stranger, and a log is read in
 * a terminal: a `"` would end the field early and let the client write fields of its own, and a
 * control byte such as ESC (0x1B) can recolour a terminal or move its cursor. So `"`, `\`, every
 * control byte and every byte above 0x7E is written as \xHH: `\x22`, `\x5C`, `\x1B`.
 */
function quoted(requestLine: string | undefined): string {
  if (requestLine === undefined) return '"-"';
  const escaped = requestLine.replace(/["\\\x00-\x1f\x7f-\xff]/g, (char) => `\\x${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `"${escaped}"`;
}

/**
 * One line per response, in the Common Log Format that Apache and nginx write and every log
 * tool reads: who asked, when, the request line, the status, and how many body bytes were sent.
 *   127.0.0.1 - - [24/Nov/2026:18:05:09 +0000] "GET /style.css HTTP/1.1" 304 -
 */
export function logResponse(client: string | undefined, requestLine: string | undefined, status: number, bodyBytes: number): void {
  const request = quoted(requestLine);
  // An IPv4 client on a dual-stack socket shows up as "::ffff:127.0.0.1": log the plain address.
  const address = client?.replace(/^::ffff:/, '') ?? '-';
  writeLine(`${address} - - [${logDate(new Date())}] ${request} ${status} ${bodyBytes === 0 ? '-' : bodyBytes}`);
}

let waiting: string[] = [];

/**
 * Like console.log, but cheaper under load. Each console.log is a system call. When many
 * responses finish in the same turn of the event loop, their lines wait and go out together
 * in one write, as soon as that turn is over: a few microseconds later.
 */
function writeLine(line: string): void {
  if (waiting.length === 0) setImmediate(writeWaiting);
  waiting.push(`${line}\n`);
}

function writeWaiting(): void {
  process.stdout.write(waiting.join(''));
  waiting = [];
}
