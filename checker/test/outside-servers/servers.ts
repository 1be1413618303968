/**
 * The outside servers this folder can run through the checker: where each wrapper is, which
 * binary it runs, and which Debian package provides it. The wrappers, the survey and the kit
 * test (checker/test/outside-servers.test.ts) all read this table.
 */
import { fileURLToPath } from 'node:url';

export interface OutsideServerInfo {
  /** As in the wrapper file's name and in expected-failures.ts. */
  name: 'nginx' | 'lighttpd' | 'apache' | 'caddy';
  /** The wrapper, absolute: what `npm run check -- N --entry` is given. */
  entry: string;
  binary: string;
  /** The Debian package to install (`apt-get install -y …`). */
  debianPackage: string;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export const OUTSIDE_SERVERS: readonly OutsideServerInfo[] = [
  { name: 'nginx', entry: here('./nginx.ts'), binary: '/usr/sbin/nginx', debianPackage: 'nginx' },
  { name: 'lighttpd', entry: here('./lighttpd.ts'), binary: '/usr/sbin/lighttpd', debianPackage: 'lighttpd' },
  { name: 'apache', entry: here('./apache.ts'), binary: '/usr/sbin/apache2', debianPackage: 'apache2' },
  { name: 'caddy', entry: here('./caddy.ts'), binary: '/usr/bin/caddy', debianPackage: 'caddy' },
];

export function outsideServer(name: OutsideServerInfo['name']): OutsideServerInfo {
  return OUTSIDE_SERVERS.find((server) => server.name === name)!;
}
