/**
 * Apache httpd as a learner's server: `npm run check -- N --entry checker/test/outside-servers/apache.ts`.
 * Configured as a careful admin configures a static site, with its own ServerRoot, PidFile and
 * Mutex in the temporary folder, plus the course's rules Apache can express (Common Log Format
 * on stdout, Cache-Control: no-cache, short timeouts, mod_deflate).
 */
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { quoted, runOutsideServer, type OutsideServer } from './run-outside-server.ts';
import { outsideServer } from './servers.ts';

const MODULES = '/usr/lib/apache2/modules';

export const apache: OutsideServer = {
  name: 'apache',
  binary: outsideServer('apache').binary,
  configure({ port, root, dir, accessLog, errorLog, listings }) {
    const asRoot = process.getuid?.() === 0;
    // Apache refuses to serve as root, so its workers run as www-data, which must be able to
    // reach ROOT: the temporary folders on the way (made 0700 by mkdtemp) are opened for
    // traversal (o+x), not for listing. What lies outside ROOT stays refused by the config.
    if (asRoot) {
      for (let folder = root; folder !== path.dirname(folder); folder = path.dirname(folder)) {
        const mode = statSync(folder).mode;
        if (!(mode & 0o001)) chmodSync(folder, mode | 0o001);
      }
      chmodSync(dir, 0o711);
    }
    const load = (name: string) => `LoadModule ${name}_module ${MODULES}/mod_${name}.so`;
    const conf = path.join(dir, 'httpd.conf');
    writeFileSync(conf, `
ServerRoot ${quoted(dir)}
DefaultRuntimeDir ${quoted(dir)}
PidFile ${quoted(path.join(dir, 'httpd.pid'))}
Mutex file:${dir} default
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
${load('mpm_event')}
${load('authz_core')}
${load('alias')}
${load('dir')}
${load('mime')}
${load('headers')}
${load('filter')}
${load('deflate')}
${load('reqtimeout')}
${listings ? load('autoindex') : ''}
${asRoot ? 'User www-data\nGroup www-data' : ''}
ServerTokens Prod
ServerSignature Off
TraceEnable Off
# Strict parsing, and no HTTP/0.9: a request line without a version gets a 400 (a course rule).
HttpProtocolOptions Strict LenientMethods Require1.0
ErrorLog ${quoted(errorLog)}
LogLevel warn

# The Common Log Format, one line a response, on stdout.
LogFormat "%h %l %u %t \\"%r\\" %>s %b" common
CustomLog ${quoted(accessLog)} common

# Short timeouts: the course closes idle connections within 4 s, and a head must arrive in 3 s.
Timeout 10
KeepAlive On
KeepAliveTimeout 2
RequestReadTimeout header=3 body=3

TypesConfig /etc/mime.types
DirectoryIndex index.html
FileETag MTime Size

<Directory />
  Options None
  AllowOverride None
  Require all denied
</Directory>
DocumentRoot ${quoted(root)}
<Directory ${quoted(root)}>
  # No symbolic links are followed (neither FollowSymLinks nor SymLinksIfOwnerMatch).
  Options ${listings ? '+Indexes' : 'None'}
  AllowOverride None
  Require all granted
</Directory>
# Dotfiles (.env, .git, .htaccess) are never served, and look like any missing file.
RedirectMatch 404 "/\\."
${listings ? '# …nor listed.\nIndexIgnore .*' : ''}

Header set Cache-Control "no-cache"
AddOutputFilterByType DEFLATE text/html text/plain text/css text/javascript application/javascript application/json image/svg+xml
`);
    return { args: ['-f', conf, '-DFOREGROUND'], env: { APACHE_RUN_DIR: dir, APACHE_LOCK_DIR: dir, APACHE_LOG_DIR: dir } };
  },
};

await runOutsideServer(apache);
