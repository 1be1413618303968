import type { Response } from '../http/response.ts';

/** Text made safe to stand in HTML: between tags, or inside a quoted attribute. */
export function escapeHtml(text: string): string {
  // TODO: turn & < > " ' into &amp; &lt; &gt; &quot; &#39;, in one pass (text.replace with a
  //   function), so that an "&" you have just written is never escaped a second time.
  throw new Error('escapeHtml is not written yet: see the TODO in files/directory-listing.ts');
}

/**
 * A page listing a folder: its subfolders, then its files, each sorted by name and each a link.
 * `urlPath` is the folder's path as the client asked for it, decoded, ending in "/".
 */
export async function directoryListing(folder: string, urlPath: string): Promise<Response> {
  // TODO: readdir(folder, { withFileTypes: true }) (from node:fs/promises), and leave out every
  //   name that starts with ".": the server never serves those, so it does not list them either.
  // TODO: subfolders first, then files, each sorted by name with
  //   new Intl.Collator('en', { numeric: true }).compare (the same order on every machine).
  // TODO: one <li><a href="…">…</a></li> per name. The href is "./" + encodeURIComponent(name),
  //   HTML-escaped; the text is escapeHtml(name). A folder gets a "/" after both. Except at "/",
  //   the first item links to "../".
  // TODO: answer 200 with "Content-Type: text/html; charset=utf-8" and a page whose <title> and
  //   <h1> say "Index of " + escapeHtml(urlPath).
  throw new Error('directoryListing is not written yet: see the TODOs in files/directory-listing.ts');
}
