/**
 * Caddy as a learner's server: `npm run check -- N --entry checker/test/outside-servers/caddy.ts`.
 * Configured as a careful admin configures a static site (no admin endpoint, no automatic
 * HTTPS), plus the course's rules Caddy can express (Cache-Control: no-cache, short timeouts,
 * gzip). Its access log is its own JSON, not the Common Log Format: Caddy has no CLF encoder.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runOutsideServer, type OutsideServer } from './run-outside-server.ts';
import { outsideServer } from './servers.ts';

export const caddy: OutsideServer = {
  name: 'caddy',
  binary: outsideServer('caddy').binary,
  configure({ port, root, dir, accessLog, listings }) {
    if (/[\s{}"]/.test(root)) throw new Error(`a folder with spaces, braces or quotes cannot go into a Caddyfile: ${root}`);
    const conf = path.join(dir, 'Caddyfile');
    writeFileSync(conf, `
{
  admin off
  auto_https off
  servers {
    timeouts {
      read_header 3s
      read_body 5s
      idle 2s
    }
  }
}

http://127.0.0.1:${port} {
  bind 127.0.0.1
  root * ${root}
  header Cache-Control no-cache
  encode gzip
  # A static site does GET and HEAD; anything else is 405, with the Allow a 405 needs.
  @not_get_or_head not method GET HEAD
  handle @not_get_or_head {
    header Allow "GET, HEAD"
    error 405
  }
  # Dotfiles (.env, .git) are never served: hidden files answer 404.
  file_server {
    hide .*
    ${listings ? 'browse' : ''}
  }
  log {
    output file ${accessLog}
  }
  # Errors get a small HTML page that says what went wrong (Caddy's own are empty).
  handle_errors {
    header Content-Type "text/html; charset=utf-8"
    respond "<!doctype html><title>{err.status_code} {err.status_text}</title><h1>{err.status_code} {err.status_text}</h1>"
  }
}
`);
    // Caddy keeps its state under XDG folders: the temporary folder, not the home directory.
    return { args: ['run', '--config', conf, '--adapter', 'caddyfile'], env: { XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir } };
  },
};

await runOutsideServer(caddy);
