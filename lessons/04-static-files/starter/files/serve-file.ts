import { errorPage, type Response } from '../http/response.ts';
import { contentType } from './content-type.ts';

/** Serve the file a request target names, from inside `root` (a real path) and nowhere else. */
export async function serveFile(root: string, target: string): Promise<Response> {
  // TODO: split the target at the first "?": the path is before it, the query after it.
  // TODO: decode the path exactly once with decodeURIComponent. It throws on a malformed
  //   escape: answer errorPage(400, …). A decoded NUL byte ("\0") is a 400 too.
  // TODO: split the decoded path on "/" into segments, and resolve the dots (RFC 3986 §5.2.4):
  //   skip "" and "."; ".." takes back the segment before it, and with none left it would leave
  //   ROOT: errorPage(404, …). Any other segment that starts with "." (a dotfile) or contains a
  //   backslash gets errorPage(404, …) too.
  // TODO: stat path.join(root, ...segments). A folder whose path does not end with "/" gets
  //   301 with Location "./name/" plus the query; a folder whose path does, its index.html.
  // TODO: check realpath(file) (from node:fs/promises) still starts with root + path.sep: a
  //   symbolic link can point anywhere. (root is already a real path: server.ts resolved it.)
  // TODO: read the file as a Buffer and answer 200 with Content-Type: contentType(file).
  //   Any file-system error (missing, ENOTDIR, ENAMETOOLONG…) means 404, never a crash.
  return errorPage(404, 'serveFile is not written yet.');
}
