/**
 * One line per response, in the Common Log Format that Apache and nginx write and every log
 * tool reads: who asked, when, the request line, the status, and how many body bytes were sent.
 *   127.0.0.1 - - [24/Nov/2026:18:05:09 +0000] "GET /style.css HTTP/1.1" 304 -
 */
export function logResponse(client: string | undefined, requestLine: string | undefined, status: number, bodyBytes: number): void {
  // TODO: print the line above with console.log:
  //   - the client's address ("-" if unknown; "::ffff:127.0.0.1" is 127.0.0.1 in IPv6 clothing),
  //   - "- -" (two fields nobody fills in any more),
  //   - the date in brackets as day/Mon/year:hh:mm:ss +0000, in UTC,
  //   - the request line in double quotes, or "-" when there was none. It is a stranger's bytes:
  //     write each ", each \, each control byte and each byte above 0x7E as \xHH (\x22, \x1B), as nginx does,
  //     so no client can end the field early or send escape codes to the terminal,
  //   - the status, and the body bytes sent ("-" for none).
}
