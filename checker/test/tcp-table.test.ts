/**
 * What the suites read from the kernel to wait for evidence instead of a fixed pause
 * (checker/core/tcp-table.ts, holdsSocket in process-stats.ts, and the Connection methods on top
 * of them): a server's unread bytes, and when it lets go of a connection. Linux only, as those are.
 */
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { holdsSocket } from '../core/process-stats.ts';
import { serverEnd } from '../core/tcp-table.ts';
import { Connection } from '../http/raw-client.ts';

/** A server in this process whose sockets do nothing until the test says. */
async function quietServer() {
  const sockets: net.Socket[] = [];
  const server = net.createServer({ pauseOnConnect: true }, (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = async () => {
    for (let i = 0; i < 100 && sockets.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return sockets[0]!;
  };
  return { port, accepted, close: () => server.close() };
}

describe.runIf(process.platform === 'linux')('the server\'s end of a connection, as the kernel shows it', () => {
  test('bytes the server has not read are unread; once it reads them, none are', async () => {
    const server = await quietServer();
    const connection = await Connection.open(server.port);
    const socket = await server.accepted();
    await connection.send('GET / HT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const end = serverEnd(server.port, connection.localPort!);
    expect(end).toMatchObject({ unread: 8 });
    expect(await connection.untilServerHasRead(50)).toBe(false);
    socket.resume();
    expect(await connection.untilServerHasRead(1000)).toBe(true);
    connection.close();
    socket.destroy();
    server.close();
  });

  test('a socket is held by the process until it closes it, and leave() waits for that', async () => {
    const server = await quietServer();
    const connection = await Connection.open(server.port);
    const socket = await server.accepted();
    const end = serverEnd(server.port, connection.localPort!);
    if (end === undefined || end === 'gone') throw new Error(`the server's end was not found: ${end}`);
    expect(holdsSocket(process.pid, end.inode)).toBe(true);
    setTimeout(() => socket.destroy(), 100);
    const started = Date.now();
    await connection.leave(process.pid, 2000);
    // leave() returned because the socket was let go of, not because its pause ran out.
    expect(holdsSocket(process.pid, end.inode)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    server.close();
  });
});
