/**
 * Loaded into the learner's server process (node --import) by run-server.ts. It watches the
 * server from the inside so the checker can say precisely what went wrong, and it never changes
 * what the learner's code does:
 * - it reports every listening server: its port and address (a hard-coded 8000 instead of PORT,
 *   or an address 127.0.0.1 cannot reach, gets a precise message), and whether it is a node:http
 *   server (this course writes HTTP by hand on node:net);
 * - it ends the process when the checker goes away, so no server outlives its check.
 */
import http from 'node:http';
import net from 'node:net';

export interface GuardMessage {
  type: 'listening';
  port: number | undefined;
  address: string | undefined;
  usesNodeHttp: boolean;
}

const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
  this.once('listening', () => {
    const address = this.address();
    const message: GuardMessage = {
      type: 'listening',
      port: typeof address === 'object' && address ? address.port : undefined,
      address: typeof address === 'object' && address ? address.address : undefined,
      usesNodeHttp: this instanceof http.Server,
    };
    process.send?.(message);
  });
  return (originalListen as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof net.Server.prototype.listen;

// The IPC channel must not keep a server alive that would otherwise exit on its own…
process.channel?.unref();
// …and when the checker disappears (even killed outright), the server goes with it.
process.on('disconnect', () => process.exit(1));
