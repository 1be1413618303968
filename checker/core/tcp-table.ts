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
  const table = readTable();
  if (table === undefined) return undefined;
  // Columns: sl, local address:port, remote address:port, state, tx_queue:rx_queue, …, inode (10th).
  const local = `:${hexPort(serverPort)}`;
  const remote = `:${hexPort(clientPort)}`;
  for (const fields of table) {
    if (!fields[1]!.endsWith(local) || !fields[2]!.endsWith(remote)) continue;
    return { unread: parseInt(fields[4]!.split(':')[1]!, 16), inode: fields[9]! };
  }
  return 'gone';
}

/** The inodes of the sockets listening on `port`, on any address; undefined where there is no table. */
export function listeningInodes(port: number): string[] | undefined {
  const table = readTable();
  if (table === undefined) return undefined;
  const LISTEN = '0A';
  return table.filter((fields) => fields[1]!.endsWith(`:${hexPort(port)}`) && fields[3] === LISTEN).map((fields) => fields[9]!);
}

/** Every row of /proc/net/tcp and tcp6, split into columns. */
function readTable(): string[][] | undefined {
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
  return tables
    .filter((text) => text !== undefined)
    .flatMap((text) => text.split('\n'))
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 10 && fields[0] !== 'sl');
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
