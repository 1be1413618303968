/**
 * Stage 1 — Listen. The server accepts TCP connections on PORT, writes something to each
 * client, and stays up however its clients behave.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'vitest';
import { courseRule } from '../http/basis.ts';
import { hasExited } from '../core/process-stats.ts';
import { CheckFailure } from '../http/check-failure.ts';
import type { Connection } from '../http/raw-client.ts';
import { connect, request, target } from '../http/server-under-test.ts';

/** Connect, say hello the way a browser would, and insist that some bytes come back. */
async function expectSomeBytes(what: string): Promise<Connection> {
  const connection = await connect();
  await connection.send(request('GET', '/'));
  const bytes = await connection.peek(3000);
  if (!bytes && connection.closed) {
    throw connection.failure({ problem: `${what}: the connection was closed without a single byte written.`, symptom: 'closed-before-response' });
  }
  if (!bytes) {
    throw connection.failure({ problem: `${what}: the connection opened, but nothing came back within 3 s.`, symptom: 'no-response' });
  }
  return connection;
}

/**
 * Leave, and give the server time to notice, as a real client's pause would: until it has closed
 * its end of the connection where the system shows that, 30 ms where it does not.
 */
const leave = (connection: Connection) => connection.leave(target().pid, 30);

test('accepts a connection on the port given in PORT and writes something back', courseRule('listens-on-port'), async () => {
  await leave(await expectSomeBytes('First connection'));
});

test('keeps accepting connections after the first client leaves', courseRule('stays-up'), async () => {
  // The previous test's client already came and went: every one of these is a "next" client.
  try {
    for (const n of [1, 2, 3]) await leave(await expectSomeBytes(`Connection ${n}`));
  } catch (error) {
    const symptom = error instanceof CheckFailure ? error.details.symptom : undefined;
    if (symptom === 'nothing-listening' || symptom === 'closed-before-response' || symptom === 'reset') {
      throw new CheckFailure({ problem: 'An earlier connection was answered, but a later one was refused: the server stopped accepting connections.', symptom: 'closed-after-first-connection' });
    }
    throw error;
  }
});

test('stays up when a client disconnects abruptly', courseRule('stays-up'), async () => {
  const rude = await connect();
  await rude.send('GET / HT');
  await rude.untilServerHasRead(30);
  // Give a server without an 'error' listener time to crash before we look: until it has let go
  // of the connection, and a moment for the crash, where the system shows that; else 100 ms.
  await rude.resetAndWaitForServer(target().pid, 100);
  await sleep(20);
  try {
    (await expectSomeBytes('After a client reset its connection, a new connection')).close();
  } catch (error) {
    // Refused, or cut off by a server that was still on its way out.
    const { pid } = target();
    const died = error instanceof CheckFailure && (error.details.symptom === 'nothing-listening' || (pid !== undefined && (await hasExited(pid, 500))));
    if (died) {
      // A crash leaves its error in the server's output; a server that closed itself leaves none.
      const crashed = /ECONNRESET|EPIPE|Error/.test(readFileSync(target().outputFile, 'utf8'));
      throw new CheckFailure({
        problem: 'After a client reset its connection, nothing accepts connections any more.',
        hint: crashed
          ? 'An abrupt disconnect makes the socket emit an \'error\' event (ECONNRESET). An \'error\' event nobody listens to crashes the whole process: add socket.on(\'error\', …) in your connection handler.'
          : 'Your server did not crash (it printed no error): it stopped listening when that client went away. Does something call server.close() when a socket closes or fails? Close the socket you are done with, never the server.',
      });
    }
    throw error;
  }
});
