/**
 * lighttpd as a learner's server: `npm run check -- N --entry checker/test/outside-servers/lighttpd.ts`.
 * Configured as a careful admin configures a static site (Debian's own defaults, strict request
 * parsing included), plus the course's rules lighttpd can express (Common Log Format on stdout,
 * Cache-Control: no-cache, short timeouts, compression).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { quoted, runOutsideServer, type OutsideServer } from './run-outside-server.ts';
import { outsideServer } from './servers.ts';

export const lighttpd: OutsideServer = {
  name: 'lighttpd',
  binary: outsideServer('lighttpd').binary,
  configure({ port, root, dir, accessLog, listings }) {
    const conf = path.join(dir, 'lighttpd.conf');
    writeFileSync(conf, `
server.modules = ( "mod_access", "mod_accesslog", "mod_setenv", "mod_deflate"${listings ? ', "mod_dirlisting"' : ''} )
server.document-root = ${quoted(root)}
server.bind = "127.0.0.1"
server.port = ${port}
server.pid-file = ${quoted(path.join(dir, 'lighttpd.pid'))}
server.upload-dirs = ( ${quoted(dir)} )
server.tag = "lighttpd"
# No server.errorlog: in the foreground (-D), errors go to stderr.

# Debian's strict parsing and normalization of the target (its default lighttpd.conf).
server.http-parseopts = (
  "header-strict" => "enable",
  "host-strict" => "enable",
  "host-normalize" => "enable",
  "url-normalize-unreserved" => "enable",
  "url-normalize-required" => "enable",
  "url-ctrls-reject" => "enable",
  "url-path-2f-decode" => "enable",
  "url-path-dotseg-remove" => "enable",
)

index-file.names = ( "index.html" )
# The system's table, /etc/mime.types, as Debian's lighttpd.conf includes it.
include_shell "/usr/share/lighttpd/create-mime.conf.pl"
# No symbolic links are followed at all, so none leads out of ROOT.
server.follow-symlink = "disable"
# Dotfiles (.env, .git) and backups are never served.
$HTTP["url"] =~ "/\\." { url.access-deny = ( "" ) }
url.access-deny = ( "~" )
static-file.etags = "enable"
# A static site has no scripts: "/notes.txt/more" names no file (no PATH_INFO after a file).
static-file.disable-pathinfo = "enable"
${listings ? 'dir-listing.activate = "enable"' : ''}

# The Common Log Format, one line a response, on stdout.
accesslog.filename = ${quoted(accessLog)}
accesslog.format = "%h %l %u %t \\"%r\\" %>s %b"

# Short timeouts: the course closes idle connections within 4 s.
server.max-keep-alive-idle = 2
server.max-read-idle = 3
server.max-write-idle = 10

setenv.add-response-header = ( "Cache-Control" => "no-cache" )

deflate.mimetypes = ( "text/html", "text/plain", "text/css", "text/javascript", "application/json", "image/svg+xml" )
deflate.allowed-encodings = ( "br", "gzip", "deflate" )
`);
    return { args: ['-D', '-f', conf] };
  },
};

await runOutsideServer(lighttpd);
