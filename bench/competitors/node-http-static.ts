/**
 * The "plain node:http static server" of bench/servers.ts: what someone writes in twenty lines
 * with Node's own HTTP module — stat, ETag from size and mtime, 304, a streamed file — so the
 * benchmark can show what doing HTTP by hand on node:net costs or gains against it.
 * Run: PORT=8000 ROOT=folder npx tsx bench/competitors/node-http-static.ts
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(process.env.ROOT ?? '.');
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.bin': 'application/octet-stream' };

http
  .createServer(async (request, response) => {
    const file = path.join(root, path.normalize(decodeURIComponent((request.url ?? '/').split('?')[0]!)));
    if (!file.startsWith(root + path.sep)) return response.writeHead(404).end();
    try {
      const info = await stat(file);
      const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      const headers = { ETag: etag, 'Last-Modified': info.mtime.toUTCString(), 'Cache-Control': 'no-cache' };
      if (request.headers['if-none-match'] === etag) return response.writeHead(304, headers).end();
      response.writeHead(200, { ...headers, 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size });
      createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404).end();
    }
  })
  .listen(Number(process.env.PORT ?? 8000), '127.0.0.1');
