/**
 * nginx as a learner's server: `npm run check -- N --entry checker/test/outside-servers/nginx.ts`.
 * Configured as a careful admin configures a static site, plus the course's rules nginx can
 * express (Common Log Format on stdout, Cache-Control: no-cache, short timeouts, gzip).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { quoted, runOutsideServer, type OutsideServer } from './run-outside-server.ts';
import { outsideServer } from './servers.ts';

export const nginx: OutsideServer = {
  name: 'nginx',
  binary: outsideServer('nginx').binary,
  configure({ port, root, dir, accessLog, listings }) {
    const conf = path.join(dir, 'nginx.conf');
    const temp = (name: string) => quoted(path.join(dir, name));
    writeFileSync(conf, `
# Workers run as the user nginx was started by (root here, in a container), so ROOT is readable.
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${temp('nginx.pid')};
error_log stderr warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  charset utf-8;
  server_tokens off;
  sendfile on;

  # The Common Log Format, one line a response, on stdout.
  log_format common '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent';
  access_log ${quoted(accessLog)} common;

  # Short timeouts: the course closes idle connections within 4 s.
  keepalive_timeout 2s;
  client_header_timeout 3s;
  client_body_timeout 3s;
  send_timeout 10s;

  gzip on;
  gzip_vary on;
  # Tiny files are sent as they are (a course rule): gzip's own 18 bytes would make them bigger.
  gzip_min_length 1024;
  gzip_types text/plain text/css text/javascript application/javascript application/json image/svg+xml;

  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};

  server {
    listen 127.0.0.1:${port};
    root ${quoted(root)};
    index index.html;
    autoindex ${listings ? 'on' : 'off'};
    # No symbolic links are followed at all, so none leads out of ROOT.
    disable_symlinks on;
    etag on;
    # RFC 9110 §13.1.3: not modified when the file is no newer than the date (nginx's default
    # "exact" wants the very same date).
    if_modified_since before;
    log_not_found off;
    add_header Cache-Control no-cache;

    # Dotfiles (.env, .git) are never served, and look like any missing file.
    location ~ /\\. { return 404; }
  }
}
`);
    return { args: ['-c', conf, '-p', dir, '-e', 'stderr', '-g', 'daemon off;'] };
  },
};

await runOutsideServer(nginx);
