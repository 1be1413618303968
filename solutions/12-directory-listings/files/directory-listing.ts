import type { Dirent } from 'node:fs';
import { opendir } from 'node:fs/promises';
import type { Response } from '../http/response.ts';

// ANCHOR: escape
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to stand in HTML: between tags, or inside a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}
// ANCHOR_END: escape

// ANCHOR: sort
// Names compare the way people read them: "Notes" next to "notes", "file2" before "file10".
// A fixed locale, so the order is the same on every machine.
const byName = new Intl.Collator('en', { numeric: true }).compare;
// ANCHOR_END: sort

// ANCHOR: cap
// The most names one page lists. A folder of 50,000 files would make a page of megabytes, and
// sorting it would keep the event loop, and every other client, waiting for a third of a second.
// Nobody reads that many links: past the cap, the page says how many it shows.
export const MAX_LISTED = 1000;
// ANCHOR_END: cap

// ANCHOR: listing
/**
 * A page listing a folder: its subfolders, then its files, each sorted by name and each a link.
 * `urlPath` is the folder's path as the client asked for it, decoded, ending in "/".
 */
export async function directoryListing(folder: string, urlPath: string): Promise<Response> {
  // opendir reads the folder a few entries at a time, off the event loop, so other clients are
  // served in between; and we stop once we have more than we will list.
  const entries: Dirent[] = [];
  let more = false;
  for await (const entry of await opendir(folder)) {
    // Dotfiles are never served, so they are not listed either.
    if (entry.name.startsWith('.')) continue;
    if (entries.length === MAX_LISTED) {
      more = true;
      break;
    }
    entries.push(entry);
  }
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort(byName);
  const files = entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name).sort(byName);

  // A name goes into the page twice, escaped differently each time. In the link it is
  // percent-encoded, so that "a b#2.txt" is one name and not a name and a "#2.txt" fragment;
  // "./" in front means a name like "x:y" can never be read as a scheme. As text it is
  // HTML-escaped, so that a file called "<script>…" is shown, never run.
  const link = (name: string, slash: string) =>
    `<li><a href="./${escapeHtml(encodeURIComponent(name))}${slash}">${escapeHtml(name)}${slash}</a></li>`;
  const items = [
    ...(urlPath === '/' ? [] : ['<li><a href="../">../</a></li>']),
    ...folders.map((name) => link(name, '/')),
    ...files.map((name) => link(name, '')),
  ];
  // Which names make the cut depends on the order the folder gives them in: say that some are missing.
  const cut = more ? `<p>This folder holds more than ${MAX_LISTED} entries; only ${MAX_LISTED} of them are listed.</p>\n` : '';
  const title = `Index of ${escapeHtml(urlPath)}`;
  return {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items.join('\n')}\n</ul>\n${cut}</body>\n</html>\n`,
  };
}
// ANCHOR_END: listing
