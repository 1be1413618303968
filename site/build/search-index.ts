/**
 * The full-text search index, shipped as search-index.js: a script, not JSON, so it loads from
 * file:// where fetch() is refused. One entry per section (the part of a page under an h2 or
 * h3), so a result can link straight to the place that matches. site.js loads it on the first
 * search only: reading a page never costs its bytes.
 */
import { JS_BANNER } from './banner.ts';
import { htmlToText } from './html.ts';

export interface SearchablePage {
  readonly file: string;
  readonly title: string;
  /** The page's main HTML, as rendered. */
  readonly html: string;
}

interface Section {
  /** The page's title. */
  readonly p: string;
  /** The section's heading; empty for the part before the first one. */
  readonly h: string;
  /** href: the page file and, for a section, its heading's id. */
  readonly u: string;
  /** The section's text, whitespace collapsed. */
  readonly t: string;
}

const SECTION_START = /(?=<h[23] id=")/;
const HEADING = /^<h([23]) id="([^"]+)">([\s\S]*?)<\/h\1>/;

export function searchIndexScript(pages: readonly SearchablePage[]): string {
  return `${JS_BANNER}window.courseSearchIndex = ${JSON.stringify(pages.flatMap(sections))};\n`;
}

function sections(page: SearchablePage): Section[] {
  return page.html.split(SECTION_START).flatMap((chunk) => {
    const heading = HEADING.exec(chunk);
    const body = heading ? chunk.slice(heading[0].length) : chunk.replace(/<h1[\s\S]*?<\/h1>/, '');
    const text = textOf(body);
    if (!text) return [];
    return [{ p: page.title, h: heading ? textOf(heading[3]!) : '', u: heading ? `${page.file}#${heading[2]}` : page.file, t: text }];
  });
}

/** The text of a piece of HTML, with a space where one block (a cell, a paragraph) ends and the next begins. */
function textOf(html: string): string {
  return htmlToText(html.replace(/<\/(?:p|li|td|th|tr|h[1-6]|pre|div|blockquote)>|<br>/g, '$& ')).replace(/\s+/g, ' ').trim();
}
