/**
 * The kernel's table of TCP connections, read where the system publishes it (Linux:
 * /proc/net/tcp and /proc/net/tcp6). It shows the server's end of a checker's connection: how
 * many bytes sent to it the server has not read yet, and which socket it is, to see when the
 * server process lets go of it (process-stats.ts). With that, a suite can wait for the server
 * to have done something rather than for a fixed time.
 * Undefined elsewhere: the suites then fall back to a pause long enough for a busy machine.
 */
import { readFileSync } from 'node:fs';

export interface ServerEnd {
  /** Bytes that reached the server's socket and that the server has not read. */
  unread: number;
  /** The socket's inode: the same number names it among the server process's open files. */
  inode: string;
}

/**
 * The server's end of the connection from `clientPort` to `serverPort` on this machine:
 * 'gone' once it is no longer in the table, undefined where there is no table to read.
 */
export function serverEnd(serverPort: number, clientPort: number): ServerEnd | 'gone' | undefined {
  if (process.platform !== 'linux') return undefined;
  // tcp6 is missing where IPv6 is turned off; a server listening on :: has its IPv4 clients there.
  const tables = ['/proc/net/tcp', '/proc/net/tcp6'].map((file) => {
    try {
      return readFileSync(file, 'latin1');
    } catch {
      return undefined;
    }
  });
  if (tables.every((table) => table === undefined)) return undefined;
  const table = tables.filter((text) => text !== undefined).join('\n');
  // Columns: sl, local address:port, remote address:port, state, tx_queue:rx_queue, …, inode (10th).
  const local = `:${hexPort(serverPort)}`;
  const remote = `:${hexPort(clientPort)}`;
  for (const line of table.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !fields[1]!.endsWith(local) || !fields[2]!.endsWith(remote)) continue;
    return { unread: parseInt(fields[4]!.split(':')[1]!, 16), inode: fields[9]! };
  }
  return 'gone';
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
