/**
 * The addresses to give the room. When the board listens on every interface, that is each
 * IPv4 address this machine has on a network (a laptop often has several: Wi-Fi, Ethernet, a
 * VPN); when the instructor named a host, it is exactly that.
 */
import os from 'node:os';

export function isAllInterfaces(host: string | undefined): boolean {
  return host === undefined || host === '' || host === '0.0.0.0' || host === '::';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** `host:port` as a learner types it (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function networkAddresses(): string[] {
  const found: string[] = [];
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal && !found.includes(entry.address)) found.push(entry.address);
    }
  }
  return found;
}

/** Where learners can reach a board bound to `host`. */
export function roomAddresses(host: string | undefined, port: number): string[] {
  const hosts = isAllInterfaces(host) ? networkAddresses() : [host!];
  return hosts.map((h) => hostPort(h, port));
}
