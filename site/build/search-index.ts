/**
 * The full-text search, shipped as search-index.js: a script, not JSON, so it loads from file://
 * where fetch() is refused. site.js loads it on the first search only: reading a page never
 * costs its bytes.
 *
 * The index is built here, at `npm run site`, by MiniSearch (a maintained, dependency-free
 * full-text engine: BM25 ranking, prefix and fuzzy matching), and shipped serialized, with the
 * MiniSearch code itself (minified, under its MIT licence) and the few lines that ask it. The
 * documents are sections (the part of a page under an h2 or h3), so a result links straight to
 * the place that matches. One script holds it all, and the same script answers the kit tests in
 * Node (through vm) and a reader in the browser: what the tests rank is what the reader sees.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { transformSync } from 'esbuild';
import { JS_BANNER } from './banner.ts';
import { htmlToText } from './html.ts';

export interface SearchablePage {
  readonly file: string;
  readonly title: string;
  /** The page's main HTML, as rendered. */
  readonly html: string;
}

/** One search document. Short names: the index ships to every reader who searches. */
export interface Section {
  /** The page's title. */
  readonly p: string;
  /** The section's heading; empty for the part before the first one. */
  readonly h: string;
  /** href: the page file and, for a section, its heading's id. */
  readonly u: string;
  /** The section's text, whitespace collapsed. */
  readonly t: string;
}

/** What search-index.js defines as window.courseSearch. */
export interface CourseSearch {
  readonly sections: readonly Section[];
  /** The best sections for `query`, best first, each with the index terms that matched (for highlighting). */
  search(query: string): Array<{ section: Section; terms: string[] }>;
}

const SECTION_START = /(?=<h[23] id=")/;
const HEADING = /^<h([23]) id="([^"]+)">([\s\S]*?)<\/h\1>/;

/**
 * How text becomes terms, and how a query is asked: JavaScript source, run as it is by the build
 * (to index) and by the browser (to search), so the two can never split words differently.
 *
 * Words are runs of letters and digits, lower case, accents dropped; a hyphenated word is indexed
 * as its parts and as one word, so `keepalive` finds "keep-alive". A word in the page title
 * counts most, then one in a section's heading. Every word of the query must match (all of
 * them: a longer query narrows), as itself, as the start of a longer word, or, from five letters
 * on, with one or two letters wrong (`backpresure`). Sections are then grouped by page, the page
 * whose sections match best first, a few sections each, so the lesson that is about a word
 * comes before one that mentions it under a heading.
 */
const RUNTIME = String.raw`
var OPTIONS = {
  idField: 'id',
  fields: ['p', 'h', 'k', 't'],
  storeFields: [],
  tokenize: function (text) {
    // A \r\n written out in an example is a line break, not part of the word after it.
    var words = text.replace(/\\[rnt]/g, ' ').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').match(/[a-z0-9]+(?:-[a-z0-9]+)*/g) || [];
    var terms = [];
    words.forEach(function (word) {
      var parts = word.split('-');
      parts.forEach(function (part) { terms.push(part); });
      if (parts.length > 1) terms.push(parts.join(''));
    });
    return terms;
  },
  searchOptions: {
    boost: { p: 4, h: 2.5, k: 2 },
    prefix: function (term) { return term.length >= 3; },
    fuzzy: function (term) { return term.length >= 5 ? 0.2 : false; },
    maxFuzzy: 2,
    combineWith: 'AND'
  }
};
var PER_PAGE = 3;
var MAX_RESULTS = 10;

function search(engine, sections, query) {
  // The lessons teach; the landing page and the instructor's guide only sum them up.
  var hits = engine.search(query, { boostDocument: function (id) { return /^\d/.test(sections[id].u) ? 1 : 0.6; } });
  var pages = {};
  hits.forEach(function (hit) {
    var page = sections[hit.id].p;
    (pages[page] = pages[page] || { score: 0, hits: [] });
    // Each matching section adds, but less and less for a higher score: a page that speaks of a
    // word all through outranks one that has it in a single heading.
    pages[page].score += Math.log(1 + hit.score);
    pages[page].hits.push(hit);
  });
  var order = Object.keys(pages).sort(function (a, b) { return pages[b].score - pages[a].score; });
  var results = [];
  order.forEach(function (page) {
    pages[page].hits.slice(0, PER_PAGE).forEach(function (hit) {
      results.push({ section: sections[hit.id], terms: hit.terms });
    });
  });
  return results.slice(0, MAX_RESULTS);
}
`;

export function searchIndexScript(pages: readonly SearchablePage[]): string {
  const parts = pages.flatMap(sectionsOf);
  const sections = parts.map((part) => part.section);
  const keyTerms = parts.map((part) => part.keyTerms);
  const { MiniSearch, OPTIONS } = runtime();
  const engine = new MiniSearch(OPTIONS);
  engine.addAll(sections.map((section, id) => ({ id, ...section, k: keyTerms[id] })));
  const library = minisearch();
  return `${JS_BANNER}/* MiniSearch ${library.version}, from npm (github.com/lucaong/minisearch):
${library.license.trim().replace(/\*\//g, '* /')}
*/
(function () {
'use strict';
var module = { exports: {} };
var exports = module.exports;
${library.code.trim()}
var MiniSearch = module.exports;
${RUNTIME.trim()}
var sections = ${JSON.stringify(sections)};
var engine = MiniSearch.loadJS(${JSON.stringify(engine)}, OPTIONS);
window.courseSearch = {
  sections: sections,
  search: function (query) { return search(engine, sections, query); }
};
})();
`;
}

interface Engine {
  addAll(documents: readonly object[]): void;
}

/** MiniSearch and the options above, evaluated in Node as the browser will evaluate them. */
function runtime(): { MiniSearch: new (options: unknown) => Engine; OPTIONS: unknown } {
  const sandbox: Record<string, unknown> = { module: { exports: {} } };
  sandbox.exports = (sandbox.module as { exports: unknown }).exports;
  vm.runInNewContext(`${minisearch().code}\nthis.MiniSearch = module.exports;\n${RUNTIME}\nthis.OPTIONS = OPTIONS;`, sandbox);
  return sandbox as unknown as { MiniSearch: new (options: unknown) => Engine; OPTIONS: unknown };
}

let cached: { version: string; license: string; code: string } | undefined;

/** MiniSearch's browser build from node_modules, minified (esbuild's output is the same for the same input). */
function minisearch(): { version: string; license: string; code: string } {
  if (cached) return cached;
  const root = path.resolve(path.dirname(createRequire(import.meta.url).resolve('minisearch')), '..', '..');
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const source = readFileSync(path.join(root, 'dist', 'umd', 'index.js'), 'utf8');
  const code = transformSync(source, { minify: true, target: 'es2017', legalComments: 'none' }).code;
  return (cached = { version, license: readFileSync(path.join(root, 'LICENSE.txt'), 'utf8'), code });
}

/**
 * A page's sections, each with its key terms: the words it sets in bold, where a lesson names
 * what it is teaching ("this is called **backpressure**"). They are indexed, not shipped.
 */
function sectionsOf(page: SearchablePage): Array<{ section: Section; keyTerms: string }> {
  return page.html.split(SECTION_START).flatMap((chunk) => {
    const heading = HEADING.exec(chunk);
    const body = heading ? chunk.slice(heading[0].length) : chunk.replace(/<h1[\s\S]*?<\/h1>/, '');
    const text = textOf(body);
    if (!text) return [];
    const keyTerms = [...body.matchAll(/<strong>([\s\S]*?)<\/strong>/g)].map((m) => textOf(m[1]!)).join(' · ');
    return [{ section: { p: page.title, h: heading ? textOf(heading[3]!) : '', u: heading ? `${page.file}#${heading[2]}` : page.file, t: text }, keyTerms }];
  });
}

/** The text of a piece of HTML, with a space where one block (a cell, a paragraph) ends and the next begins. */
function textOf(html: string): string {
  return htmlToText(html.replace(/<\/(?:p|li|td|th|tr|h[1-6]|pre|div|blockquote)>|<br>/g, '$& ')).replace(/\s+/g, ' ').trim();
}
