/**
 * The pieces that turn bytes into a learner's failure report: strict response parsing with
 * the offset of the first wrong byte, escaped byte display with a caret, and the command to
 * reproduce a request by hand.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { asCommand } from '../http/as-curl.ts';
import { CheckFailure } from '../http/check-failure.ts';
import { parseResponseHead } from '../http/parse-response.ts';
import { Connection } from '../http/raw-client.ts';
import { showBytes } from '../http/show-bytes.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('parseResponseHead', () => {
  test('parses a well-formed head and reports its length', () => {
    const raw = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi';
    const parsed = parseResponseHead(bytes(raw));
    expect(parsed).toMatchObject({ kind: 'head', head: { version: '1.1', status: 200, reason: 'OK', length: raw.length - 2 } });
  });

  test('waits for more bytes while the head is incomplete', () => {
    expect(parseResponseHead(bytes('HTTP/1.1 200 OK\r\nContent-'))).toEqual({ kind: 'incomplete' });
    expect(parseResponseHead(bytes('HTT'))).toEqual({ kind: 'incomplete' });
  });

  test('points at the first byte of a response that is not HTTP', () => {
    expect(parseResponseHead(bytes('Hello\n'))).toMatchObject({ kind: 'error', offset: 1, symptom: 'not-http' });
  });

  test('points at a bare LF', () => {
    expect(parseResponseHead(bytes('HTTP/1.1 200 OK\nContent-Length: 0\n\n'))).toMatchObject({ kind: 'error', offset: 15, symptom: 'lf-not-crlf' });
  });

  test('points at the status code when it is not three digits', () => {
    expect(parseResponseHead(bytes('HTTP/1.1 2OO OK\r\n\r\n'))).toMatchObject({ kind: 'error', offset: 10, symptom: 'not-http' });
  });

  test('rejects whitespace before a header colon, at the space', () => {
    expect(parseResponseHead(bytes('HTTP/1.1 200 OK\r\nContent-Type : text/html\r\n\r\n'))).toMatchObject({ kind: 'error', offset: 17 + 12, symptom: 'bad-header-line' });
  });
});

/** A connection to a throwaway server that writes `pieces`, a few milliseconds apart, and stays open. */
async function serverSaying(pieces: string[]): Promise<{ connection: Connection; close: () => void }> {
  const server = net.createServer(async (socket) => {
    socket.on('error', () => {});
    for (const piece of pieces) {
      socket.write(Buffer.from(piece, 'latin1'));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connection = await Connection.open((server.address() as net.AddressInfo).port);
  return { connection, close: () => { connection.close(); server.close(); } };
}

async function failureOf(promise: Promise<unknown>): Promise<CheckFailure> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CheckFailure);
  return error as CheckFailure;
}

describe('Connection.readResponse', () => {
  test('decodes a chunked body that arrives in pieces, and reads the next response after it', async () => {
    const { connection, close } = await serverSaying([
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', 'lo\r\n6;ext=1\r\n world\r\n0\r\n', '\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    ]);
    try {
      const first = await connection.readResponse();
      expect(first.body.toString()).toBe('hello world');
      expect(first.raw.toString('latin1').endsWith('0\r\n\r\n')).toBe(true);
      expect((await connection.readResponse()).body.toString()).toBe('ok');
    } finally {
      close();
    }
  });

  test('says so when a chunk is longer or shorter than its size line', async () => {
    const { connection, close } = await serverSaying(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc\r\n0\r\n\r\n']);
    try {
      expect((await failureOf(connection.readResponse())).details.symptom).toBe('bad-chunk');
    } finally {
      close();
    }
  });

  test('refuses a response with both Content-Length and Transfer-Encoding', async () => {
    const { connection, close } = await serverSaying(['HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n']);
    try {
      expect((await failureOf(connection.readResponse())).details.symptom).toBe('length-and-chunked');
    } finally {
      close();
    }
  });

  test('with a limit, fails on a long announced body without reading it', async () => {
    const { connection, close } = await serverSaying(['HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\n']);
    try {
      const failure = await failureOf(connection.readResponse({ limit: { bytes: 100, hint: 'read less' } }));
      expect(failure.details).toMatchObject({ hint: 'read less' });
      expect(failure.details.problem).toContain('5000000000');
    } finally {
      close();
    }
  });
});

describe('Connection.reset', () => {
  test('lets go of a connection the server has already closed', async () => {
    const server = net.createServer((socket) => socket.end('bye'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const connection = await Connection.open((server.address() as net.AddressInfo).port);
    expect(await connection.waitForClose(2000)).toBe('closed');
    server.close();
    connection.reset();
    // A socket that never closes keeps a vitest worker from ever finishing: it waits for every handle.
    const sockets = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length;
    for (let i = 0; i < 20 && sockets() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sockets()).toBe(0);
  });
});

describe('showBytes', () => {
  test('escapes CR and LF and breaks lines after LF', () => {
    expect(showBytes(bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).lines).toEqual(['GET / HTTP/1.1\\r\\n', 'Host: x\\r\\n', '\\r\\n']);
  });

  test('shows UTF-8 as characters and other high bytes as hex', () => {
    expect(showBytes(Buffer.from('café', 'utf8')).lines).toEqual(['café']);
    expect(showBytes(Buffer.from([0x00, 0xff, 0x41])).lines).toEqual(['\\0\\xffA']);
  });

  test('shows a long run of one unprintable byte as its first few and a count, unless the caret is inside it', () => {
    const zeros = Buffer.concat([bytes('HTTP/1.1 200 OK\r\n\r\n'), Buffer.alloc(4096)]);
    const shown = showBytes(zeros);
    expect(shown.lines).toEqual(['HTTP/1.1 200 OK\\r\\n', '\\r\\n', '\\0\\0\\0\\0[… 4092 more \\0]']);
    expect(shown.truncated).toBe(false);
    expect(showBytes(Buffer.alloc(20), { caretAt: 10 }).lines).toEqual(['\\0'.repeat(20)]);
    // Runs of printable bytes, such as indentation, are the text itself.
    expect(showBytes(bytes(' '.repeat(20))).lines).toEqual([' '.repeat(20)]);
  });

  test('places the caret under the byte, counting escapes as their visible width', () => {
    const shown = showBytes(bytes('HTTP/1.1 200 OK\nX'), { caretAt: 15 });
    expect(shown.caret).toEqual({ line: 0, column: 15 });
    expect(shown.lines[0]).toBe('HTTP/1.1 200 OK\\n');
  });
});

describe('asCommand', () => {
  test('an ordinary request becomes curl on port 8000', () => {
    expect(asCommand('GET /docs/ HTTP/1.1\r\nHost: 127.0.0.1:4321\r\nIf-None-Match: "abc"\r\n\r\n')).toBe(`curl -v -H 'If-None-Match: "abc"' http://127.0.0.1:8000/docs/`);
    expect(asCommand('HEAD / HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('curl -v --head http://127.0.0.1:8000/');
  });

  test('bytes curl will not send, or a request too long to read, become a one-line Node client that sends exactly those bytes', async () => {
    const cases = [
      'GET / HTTP/1.1\r\nBad Header\r\n\r\n',
      'GET / HT',
      `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      'GET /"$`%!\\ HTTP/1.1\r\nX: \x00\x07\xff\r\n\r\n',
    ];
    for (const bytes of cases) {
      const received: Buffer[] = [];
      const server = net.createServer((socket) => {
        socket.on('data', (chunk) => received.push(chunk));
        socket.on('error', () => {});
        setTimeout(() => socket.end('done'), 200);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      const command = asCommand(bytes, port);
      expect(command.length).toBeLessThan(300);
      // What a shell passes to node: the text between the outer double quotes, which holds no
      // character bash, PowerShell or cmd.exe would change there.
      const code = /^node -e "(.*)"$/.exec(command)?.[1];
      expect(code, command).toBeDefined();
      expect(code).not.toMatch(/[$`"%!]|\\\\/);
      // Not execFileSync: this process's server has to answer meanwhile.
      const { stdout: output } = await promisify(execFile)(process.execPath, ['-e', code!], { encoding: 'latin1', timeout: 5000 });
      server.close();
      expect(output).toBe('done');
      expect(Buffer.concat(received).toString('latin1')).toBe(bytes);
    }
  });
});
