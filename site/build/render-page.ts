/**
 * The HTML shell around every page: head, skip link, top bar (menu, search, theme), the sidebar
 * site.js fills from toc.js, main content, previous/next links, footer. Every URL in it is
 * relative, so the site reads the same from file:// and from any static server; except on the
 * 404 page (see Page.root).
 */
import { HTML_BANNER } from './banner.ts';
import { escapeHtml } from './html.ts';

export const COURSE_NAME = 'From Socket to Server';

/** Ids the shell uses; a page's headings must pick others. */
export const SHELL_IDS = ['content', 'sidebar', 'search-input', 'search-results', 'search-status', 'copy-status'] as const;

export interface PageLink {
  readonly href: string;
  readonly title: string;
}

export interface Page {
  readonly file: string;
  /** The document title, before the course name. */
  readonly title: string;
  readonly description: string;
  /** What goes inside <main>: one h1 and the page's content. */
  readonly main: string;
  readonly previous?: PageLink | undefined;
  readonly next?: PageLink | undefined;
  /**
   * What the site's own URLs start with: '' (relative) for every page, '/' for 404.html. A
   * server sends that page for any missing address, /lessons/old/name.html as well as
   * /name.html, and relative links would then point into a folder that does not exist (the page
   * unstyled, every link dead). It is only ever shown by a server, never from file://, so it can
   * name everything from the server's root; site.js then builds the sidebar and search links
   * from there too.
   */
  readonly root?: string;
}

// Runs before the first paint: the stored theme applies at once instead of flashing the other.
const HEAD_SCRIPT =
  "document.documentElement.classList.add('js');try{var t=localStorage.getItem('fsts-theme');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}";

// An inline icon: a browser asks for /favicon.ico otherwise, which a file:// page cannot have.
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%230e6a75'/%3E%3Cpath d='M4 5h8M4 8h8M4 11h5' stroke='white' stroke-width='1.6'/%3E%3C/svg%3E";

const ICON_MENU = '<svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><path d="M4 6h16M4 12h16M4 18h16" /></svg>';
const ICON_THEME =
  '<svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><circle cx="12" cy="12" r="8" /><path d="M12 4a8 8 0 0 0 0 16z" class="fill" /></svg>';

export function renderPage(page: Page): string {
  const root = page.root ?? '';
  return `${HTML_BANNER}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title === COURSE_NAME ? COURSE_NAME : `${page.title} · ${COURSE_NAME}`)}</title>
<meta name="description" content="${escapeHtml(page.description)}">
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="${root}assets/site.css">
<script>${HEAD_SCRIPT}</script>
</head>
<body data-page="${escapeHtml(page.file)}">
<a class="skip-link" href="#content">Skip to content</a>
<header class="topbar">
<button type="button" class="icon-button menu-button js-only" aria-controls="sidebar" aria-expanded="false" aria-label="Contents">${ICON_MENU}</button>
<a class="brand" href="${root}index.html">${COURSE_NAME}</a>
<div class="search js-only" role="search">
<input id="search-input" type="search" placeholder="Search the course" aria-label="Search the course" autocomplete="off" spellcheck="false" aria-controls="search-results">
<div id="search-results" class="search-results" hidden></div>
<p id="search-status" class="visually-hidden" aria-live="polite"></p>
</div>
<button type="button" class="icon-button theme-button js-only" aria-label="Dark theme" aria-pressed="false">${ICON_THEME}</button>
</header>
<div class="layout">
<nav id="sidebar" class="sidebar" aria-label="Course">
<p class="toc-fallback"><a href="${root}index.html">All lessons</a></p>
</nav>
<main id="content" tabindex="-1">
${page.main}${pager(page, root)}</main>
</div>
<footer class="footer">
<p><a href="${root}index.html">${COURSE_NAME}</a> · <a href="${root}print.html">The whole course on one page</a> · <a href="${root}instructor.html">Instructor's guide</a></p>
</footer>
<p id="copy-status" class="visually-hidden" aria-live="polite"></p>
<script src="${root}toc.js"></script>
<script src="${root}assets/site.js"></script>
</body>
</html>
`;
}

function pager(page: Page, root: string): string {
  if (!page.previous && !page.next) return '';
  const link = (rel: 'prev' | 'next', label: string, target: PageLink) =>
    `<a class="pager-${rel}" rel="${rel}" href="${escapeHtml(root + target.href)}"><span class="pager-label">${label}</span> <span class="pager-title">${escapeHtml(target.title)}</span></a>`;
  return `<nav class="pager" aria-label="Previous and next">
${[page.previous && link('prev', 'Previous', page.previous), page.next && link('next', 'Next', page.next)].filter(Boolean).join('\n')}
</nav>
`;
}
