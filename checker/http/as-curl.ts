/**
 * The command a learner can type to send the same request to their own server by hand: curl
 * for an ordinary request of ordinary length; for bytes curl will not send, or a request too
 * long to read, a small Node client (node runs wherever the course does, Windows included, where
 * the lessons avoid nc). The client's bytes are written as JavaScript, a long run of one
 * character as 'x'.repeat(n), so even a 9,000-byte request is a command of one line.
 */

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/;
/** Longer than this, a curl command is no longer something to read or type. */
const CURL_LIMIT = 200;
/** A run of one character at least this long is written as a repeat. */
const RUN = 12;

export function asCommand(sent: string, port = 8000): string {
  const curl = asCurl(sent, port);
  return curl !== undefined && curl.length <= CURL_LIMIT ? curl : asNodeClient(sent, port);
}

function asCurl(sent: string, port: number): string | undefined {
  const end = sent.indexOf('\r\n\r\n');
  if (end === -1 || end + 4 !== sent.length) return undefined;
  const [requestLine = '', ...fieldLines] = sent.slice(0, end).split('\r\n');
  const match = REQUEST_LINE.exec(requestLine);
  if (!match || !fieldLines.every((line) => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+: ?[\x20-\x7e]*$/.test(line))) return undefined;
  const [, method, target] = match;
  const parts = ['curl -v'];
  if (method === 'HEAD') parts.push('--head');
  else if (method !== 'GET') parts.push(`-X ${method}`);
  for (const line of fieldLines) {
    if (!/^host:/i.test(line)) parts.push(`-H ${shellQuote(line)}`);
  }
  parts.push(shellQuote(`http://127.0.0.1:${port}${target}`));
  return parts.join(' ');
}

/**
 * node -e "…": connect, write the bytes, print what comes back. The code is in double quotes,
 * which bash, zsh, PowerShell and cmd.exe all pass on whole, and holds no character any of them
 * would read inside double quotes ($, `, ", %, !, \ are written as \x escapes).
 */
function asNodeClient(sent: string, port: number): string {
  const code = `const s=require('net').connect(${port},'127.0.0.1');s.write(Buffer.from(${jsText(sent)},'latin1'));s.pipe(process.stdout)`;
  return `node -e "${code}"`;
}

function jsText(bytes: string): string {
  const pieces: string[] = [];
  let literal = '';
  for (let i = 0; i < bytes.length; ) {
    let run = 1;
    while (i + run < bytes.length && bytes[i + run] === bytes[i]) run++;
    if (run >= RUN) {
      if (literal) pieces.push(`'${literal}'`);
      literal = '';
      pieces.push(`'${escapeChar(bytes[i]!)}'.repeat(${run})`);
    } else {
      for (let k = 0; k < run; k++) literal += escapeChar(bytes[i]!);
    }
    i += run;
  }
  if (literal || pieces.length === 0) pieces.push(`'${literal}'`);
  return pieces.join('+');
}

function escapeChar(char: string): string {
  if (char === '\r') return '\\r';
  if (char === '\n') return '\\n';
  const code = char.charCodeAt(0);
  if (code < 0x20 || code > 0x7e || '\'"\\$`%!'.includes(char)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return char;
}

function shellQuote(text: string): string {
  return /^[\w\-./:=@%?&]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
