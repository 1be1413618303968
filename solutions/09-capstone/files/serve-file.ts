import { statSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Request } from '../http/parse-request.ts';
import { errorPage, type Response } from '../http/response.ts';
import { contentType } from './content-type.ts';
import { FileCache } from './file-cache.ts';
import { evaluatePreconditions } from './preconditions.ts';

// ANCHOR: not-found
// Every way of failing to find a file gets the same answer, so a 404 never tells an attacker
// whether something exists outside the folder, or is hidden, or is just missing.
const notFound = () => errorPage(404, 'There is no file at this address.');
// ANCHOR_END: not-found

// ANCHOR: cache-size
// Files up to this size are sent from memory; larger ones are streamed from disk.
const SMALL_FILE = 64 * 1024;
// Enough for a site of a few thousand files, in at most 32 MiB.
const cache = new FileCache(10_000, 32 * 1024 * 1024);
// ANCHOR_END: cache-size

/** Serve the file a request names, from inside `root` (a real path) and nowhere else. */
export async function serveFile(root: string, request: Request): Promise<Response> {
  const target = request.target;
  // ANCHOR: split-and-decode
  // The query is not part of the path: split it off first, and only then decode the path,
  // exactly once. Decoding first would turn "%3F" into a "?" that splits the name in two.
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = queryStart === -1 ? '' : target.slice(queryStart);

  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return errorPage(400, 'The path contains a malformed percent-escape.');
  }
  if (decoded.includes('\0')) return errorPage(400, 'The path contains a NUL byte.');
  // ANCHOR_END: split-and-decode

  // ANCHOR: segments
  // Judge the path segment by segment, after decoding, so no encoding can hide a "..". "." and
  // ".." are resolved as RFC 3986 §5.2.4 removes dot segments: "/docs/../style.css" is
  // "/style.css". A ".." with no segment left to take back would climb out of ROOT: refused.
  // Any other segment starting with "." is a dotfile, never served. A backslash is a folder
  // separator on Windows, so it is refused on every system.
  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && segments.length === 0) return notFound();
    if (segment === '..') segments.pop();
    else if (segment.startsWith('.') || segment.includes('\\')) return notFound();
    else segments.push(segment);
  }
  // From here on, the path is the one the dots lead to. One that ended in "/", "/." or "/.."
  // names a folder, and keeps its slash.
  decoded = `/${segments.join('/')}${segments.length > 0 && /\/(\.\.?)?$/.test(decoded) ? '/' : ''}`;
  // A trailing "/" stays, so that "notes.txt/" fails (ENOTDIR) instead of finding the file.
  let file = path.join(root, ...segments, decoded.endsWith('/') ? path.sep : '');
  // ANCHOR_END: segments

  try {
    // ANCHOR: stat
    // Synchronous on purpose: the answer is almost always in the kernel's memory, and a trip
    // to Node's thread pool and back costs more than the system call (lesson 9 measures it).
    let info = statSync(file);
    // ANCHOR_END: stat
    // ANCHOR: directory
    if (info.isDirectory()) {
      if (!decoded.endsWith('/')) {
        // Relative to the request, "./name/" adds the slash and keeps the query. Starting with
        // "./" means it can never be read as "//host" or "scheme:", the open redirect of
        // Python's http.server (CVE-2021-28861).
        const name = rawPath.slice(rawPath.lastIndexOf('/') + 1);
        return { status: 301, headers: { Location: `./${name}/${query}` }, body: '' };
      }
      file = path.join(file, 'index.html');
      info = statSync(file);
    }
    // ANCHOR_END: directory
    if (!info.isFile()) return notFound();

    // ANCHOR: symlinks
    const remembered = cache.recall(file, info);
    if (!remembered) {
      // A symbolic link inside the folder can point anywhere: what counts is where it leads.
      if (!(await realpath(file)).startsWith(root + path.sep)) return notFound();
      cache.remember(file, info);
    }
    // ANCHOR_END: symlinks

    // ANCHOR: validators
    // Size and modification time identify this version of the file cheaply; "W/" says the tag
    // is weak — equal tags mean the same content, not necessarily the same bytes (RFC 9110 §8.8.3).
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    // Last-Modified may never be later than Date (RFC 9110 §8.8.2.1): a clock can be wrong.
    const lastModified = Math.min(info.mtimeMs, Date.now());
    const validators = {
      ETag: etag,
      'Last-Modified': new Date(lastModified).toUTCString(),
      // The browser may keep a copy, but must ask before each use: that question is what gets the 304.
      'Cache-Control': 'no-cache',
    };
    // ANCHOR_END: validators

    // ANCHOR: conditional
    const outcome = evaluatePreconditions(request.method, request.headers, { etag, lastModified });
    if (outcome === 304) return { status: 304, headers: validators };
    if (outcome === 412) return errorPage(412, 'The file is not in the state the request expected.');
    // ANCHOR_END: conditional

    // ANCHOR: file-body
    const headers = { 'Content-Type': contentType(file), ...validators };
    if (request.method === 'GET' && info.size <= SMALL_FILE) {
      let bytes = remembered?.bytes;
      if (bytes === undefined) {
        bytes = await readFile(file);
        cache.remember(file, info, bytes);
      }
      return { status: 200, headers, body: bytes };
    }
    // A large file is not read here: sendResponse streams it, and for HEAD never opens it.
    return { status: 200, headers, file: { path: file, size: info.size } };
    // ANCHOR_END: file-body
  } catch {
    // Missing, a file used as a folder, a name too long for the file system, no permission:
    // all of them mean there is no file to serve here.
    return notFound();
  }
}
