/**
 * The whole site, built in memory: each generated file's name (relative to site/) and text.
 * `npm run site` (build-site.ts) writes them; the staleness test compares them with the committed
 * files. The output depends only on the registry, the lessons, the solutions they include and
 * the prose next to this file (no clock, no environment), so the same sources give the same bytes.
 *
 * Pages: index.html, one NN-slug.html per stage, instructor.html, print.html and 404.html; plus
 * toc.js and search-index.js. Every name is a plain file name: nothing is ever generated into
 * site/build/ or site/assets/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IncludeError, lessonMarkdown } from '../../checker/core/lesson-text.ts';
import { REPO_ROOT, SITE_DIR } from '../../checker/core/paths.ts';
import { isBonus, stageKey, stagePaths, stages as registry, type Stage } from '../../checker/core/stages.ts';
import { escapeHtml } from './html.ts';
import { instructorBlocks, landingBlocks, pageFile } from './registry-blocks.ts';
import { MarkdownDocument, type Blocks } from './render-markdown.ts';
import { COURSE_NAME, renderPage, SHELL_IDS, type PageLink } from './render-page.ts';
import { searchIndexScript, type SearchablePage } from './search-index.ts';
import { SiteError } from './site-error.ts';
import { tocScript } from './toc.ts';

const BUILD_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The pages written from prose in site/build/ rather than from a lesson. */
const PROSE = {
  landing: { file: 'index.html', source: path.join(BUILD_DIR, 'landing.md'), toc: 'Start here' },
  instructor: { file: 'instructor.html', source: path.join(BUILD_DIR, 'instructor.md'), toc: "Instructor's guide" },
  notFound: { file: '404.html', source: path.join(BUILD_DIR, 'not-found.md'), toc: '' },
} as const;
const PRINT_FILE = 'print.html';

export function generateSite(stages: readonly Stage[] = registry): Map<string, string> {
  const files = new Map<string, string>();
  const pageFiles = new Set([...Object.values(PROSE).map((p) => p.file), PRINT_FILE, ...stages.map(pageFile)]);
  const linkTo = (stage: Stage): PageLink => ({ href: pageFile(stage), title: `${stage.id}. ${stage.title}` });
  const start: PageLink = { href: PROSE.landing.file, title: PROSE.landing.toc };
  const searchable: SearchablePage[] = [];

  const landing = prosePage(PROSE.landing.source, landingBlocks(stages), stages, pageFiles);
  files.set(PROSE.landing.file, renderPage({
    file: PROSE.landing.file,
    title: COURSE_NAME,
    description: 'Build a static file server by hand on node:net, one tested stage at a time.',
    main: landing.html,
    next: stages[0] && linkTo(stages[0]),
  }));
  searchable.push({ file: PROSE.landing.file, title: landing.title, html: landing.html });

  stages.forEach((stage, i) => {
    const lesson = lessonPage(stage, stages, pageFiles, 'page');
    const previous = stages[i - 1];
    const next = stages[i + 1];
    files.set(pageFile(stage), renderPage({
      file: pageFile(stage),
      title: `Lesson ${stage.id}: ${stage.title}`,
      description: stage.summary,
      main: `<p class="eyebrow">Lesson ${stage.id}${isBonus(stage) ? ' · bonus, after the course' : ''} · about ${stage.minutes} minutes</p>\n${lesson}`,
      previous: previous ? linkTo(previous) : start,
      next: next && linkTo(next),
    }));
    searchable.push({ file: pageFile(stage), title: linkTo(stage).title, html: lesson });
  });

  const instructor = prosePage(PROSE.instructor.source, instructorBlocks(stages), stages, pageFiles);
  files.set(PROSE.instructor.file, renderPage({
    file: PROSE.instructor.file,
    title: instructor.title,
    description: 'How to run a From Socket to Server workshop: timings, preflight, catch-up, where people get stuck.',
    main: instructor.html,
  }));
  searchable.push({ file: PROSE.instructor.file, title: instructor.title, html: instructor.html });

  files.set(PRINT_FILE, renderPage({
    file: PRINT_FILE,
    title: 'The whole course',
    description: 'Every lesson of From Socket to Server on one page, to print or to read offline.',
    main: printMain(stages, pageFiles),
  }));

  // Served for any missing address, however deep: every URL from the server's root (Page.root).
  const notFound = prosePage(PROSE.notFound.source, {}, stages, pageFiles, '/');
  files.set(PROSE.notFound.file, renderPage({ file: PROSE.notFound.file, title: notFound.title, description: notFound.title, main: notFound.html, root: '/' }));

  files.set('toc.js', tocScript([
    { pages: [start] },
    { label: 'Lessons', ordered: true, pages: stages.filter((stage) => !isBonus(stage)).map((stage) => ({ href: pageFile(stage), title: stage.title })) },
    // Bonus lessons keep their numbers (the N of `npm run lesson N`) in a list of their own.
    ...(stages.some(isBonus) ? [{ label: 'Bonus lessons', ordered: true, start: stages.find(isBonus)!.id, pages: stages.filter(isBonus).map((stage) => ({ href: pageFile(stage), title: stage.title })) }] : []),
    { label: 'More', pages: [{ href: PROSE.instructor.file, title: PROSE.instructor.toc }, { href: PRINT_FILE, title: 'The whole course on one page' }] },
  ]));
  files.set('search-index.js', searchIndexScript(searchable));
  return files;
}

/** A lesson's HTML: as its own page, or as a section of print.html with prefixed ids and levels one down. */
function lessonPage(stage: Stage, stages: readonly Stage[], pageFiles: ReadonlySet<string>, mode: 'page' | 'print'): string {
  const file = stagePaths(stage).lessonFile;
  if (!existsSync(file)) {
    throw new SiteError(`${relative(file)} does not exist. Every stage in lessons/stages.ts needs its lesson: write it (lessons/README.md says how), then run \`npm run site\` again.`);
  }
  let markdown: string;
  try {
    markdown = lessonMarkdown(stage);
  } catch (error) {
    if (error instanceof IncludeError) throw new SiteError(`${relative(file)}: ${error.message}`);
    throw error;
  }
  const prefix = mode === 'print' ? `${stageKey(stage)}-` : '';
  const document = new MarkdownDocument({
    source: relative(file),
    resolveLink: linkResolver(file, stages, pageFiles, mode),
    idPrefix: prefix,
    headingShift: mode === 'print' ? 1 : 0,
    reservedIds: mode === 'print' ? [...SHELL_IDS, ...stages.map(stageKey)] : SHELL_IDS,
  });
  const html = document.render(markdown);
  oneTopHeading(document, file, mode === 'print' ? 2 : 1);
  return html;
}

function prosePage(file: string, blocks: Blocks, stages: readonly Stage[], pageFiles: ReadonlySet<string>, root = ''): { title: string; html: string } {
  const resolve = linkResolver(file, stages, pageFiles, 'page');
  // A link within the site (not another host, not a #place on the page) starts from `root`.
  const resolveLink = (href: string) => {
    const resolved = resolve(href);
    return root && !/^([a-z][a-z\d+.-]*:|#)/i.test(resolved) ? root + resolved : resolved;
  };
  const document = new MarkdownDocument({ source: relative(file), resolveLink, reservedIds: SHELL_IDS });
  // CRLF from a Windows checkout would hide a `{{block}}` line from its line-anchored pattern.
  const html = document.renderWithBlocks(readFileSync(file, 'utf8').replace(/\r\n/g, '\n'), blocks);
  return { title: oneTopHeading(document, file, 1), html };
}

/** The text of the page's one top heading; a page with none or several is an error in its source. */
function oneTopHeading(document: MarkdownDocument, file: string, depth: number): string {
  const top = document.headings.filter((h) => h.depth === depth);
  if (top.length !== 1 || document.headings.some((h) => h.depth < depth)) {
    throw new SiteError(`${relative(file)} must have exactly one top-level heading (a line starting with "# "); it has ${top.length}. The page's title comes from it.`);
  }
  return top[0]!.text;
}

function printMain(stages: readonly Stage[], pageFiles: ReadonlySet<string>): string {
  const contents = stages.map((stage) => `<li><a href="#${stageKey(stage)}">${escapeHtml(stage.title)}</a></li>`).join('\n');
  const lessons = stages
    .map((stage) => `<section id="${stageKey(stage)}" class="print-lesson">\n${lessonPage(stage, stages, pageFiles, 'print')}</section>\n`)
    .join('');
  return `<h1>${COURSE_NAME}: the whole course</h1>
<p class="print-note">Every lesson on one page, for printing or reading offline. <button type="button" class="print-button js-only">Print</button></p>
<nav aria-label="Lessons on this page"><ol>
${contents}
</ol></nav>
${lessons}`;
}

/**
 * Where a link written in a source file points on the site. Lessons link to each other by their
 * lesson.md (which works on GitHub too) and that becomes the lesson's page, or a place in
 * print.html. Anything else relative that is not a page of the site would be a dead link.
 */
function linkResolver(source: string, stages: readonly Stage[], pageFiles: ReadonlySet<string>, mode: 'page' | 'print'): (href: string) => string {
  const own = stages.find((stage) => stagePaths(stage).lessonFile === source);
  return (href) => {
    if (/^[a-z][a-z\d+.-]*:/i.test(href)) return href;
    const hashAt = href.indexOf('#');
    const target = hashAt === -1 ? href : href.slice(0, hashAt);
    const anchor = hashAt === -1 ? '' : href.slice(hashAt + 1);
    const targetFile = target ? path.resolve(path.dirname(source), target) : source;
    const stage = stages.find((s) => stagePaths(s).lessonFile === targetFile) ?? (target ? undefined : own);
    if (stage) {
      if (mode === 'print') return `#${stageKey(stage)}${anchor ? `-${anchor}` : ''}`;
      return `${stage === own ? '' : pageFile(stage)}${anchor ? `#${anchor}` : ''}`;
    }
    if (!target) return href;
    const sitePage = path.relative(SITE_DIR, targetFile);
    if (pageFiles.has(sitePage)) return `${sitePage}${anchor ? `#${anchor}` : ''}`;
    throw new SiteError(
      `${relative(source)} links to "${href}", which is not a page of the site. Link to a lesson by its lesson.md (it becomes that lesson's page), to a site page such as ../print.html from site/build/, or to a full https:// address.`,
    );
  };
}

function relative(file: string): string {
  return path.relative(REPO_ROOT, file);
}
