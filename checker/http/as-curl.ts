/**
 * The command a learner can type to send the same request to their own server by hand:
 * curl for an ordinary request, printf piped into nc for bytes curl will not send.
 */

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/;

export function asCommand(sent: string, port = 8000): string {
  const end = sent.indexOf('\r\n\r\n');
  const simple = end !== -1 && end + 4 === sent.length;
  const [requestLine = '', ...fieldLines] = simple ? sent.slice(0, end).split('\r\n') : [];
  const match = REQUEST_LINE.exec(requestLine);
  if (!match || !fieldLines.every((line) => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+: ?[^\r\n]*$/.test(line))) {
    return `printf '${escapeForPrintf(sent)}' | nc 127.0.0.1 ${port}`;
  }
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

function shellQuote(text: string): string {
  return /^[\w\-./:=@%?&]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

function escapeForPrintf(bytes: string): string {
  return [...bytes]
    .map((char) => {
      if (char === '\r') return '\\r';
      if (char === '\n') return '\\n';
      if (char === "'") return `'\\''`;
      if (char === '\\') return '\\\\';
      if (char === '%') return '%%';
      const code = char.charCodeAt(0);
      return code < 0x20 || code > 0x7e ? `\\${code.toString(8).padStart(3, '0')}` : char;
    })
    .join('');
}
