/**
 * Lesson Markdown to page HTML with marked: headings get stable ids (GitHub's style, so links
 * people share keep working) and link to themselves, code is highlighted at build time and
 * wrapped so site.js can add its copy button, tables scroll sideways on a phone, and every link
 * goes through the caller's resolver, which is where links between lessons become links between
 * pages. One `MarkdownDocument` renders one page: ids are unique within it.
 */
import { Marked, Renderer, type RendererObject } from 'marked';
import { highlight } from './highlight.ts';
import { escapeHtml, htmlToText } from './html.ts';
import { SiteError } from './site-error.ts';

export interface DocumentOptions {
  /** The file the Markdown comes from: named in error messages. */
  readonly source: string;
  /** Maps every link target written in the Markdown to the href the page uses. */
  readonly resolveLink: (href: string) => string;
  /** Prepended to every heading id, so several lessons can share print.html. */
  readonly idPrefix?: string;
  /** Added to every heading level: print.html demotes each lesson's `#` to an h2 under its own h1. */
  readonly headingShift?: number;
  /** Ids the page shell already uses, which a heading must not take. */
  readonly reservedIds: readonly string[];
}

/** Generated HTML a prose page places with a line `{{name}}`. */
export type Blocks = Readonly<Record<string, (document: MarkdownDocument) => string>>;

export interface Heading {
  readonly depth: number;
  readonly id: string;
  readonly text: string;
}

export class MarkdownDocument {
  readonly headings: Heading[] = [];
  readonly #used: Set<string>;
  readonly #options: DocumentOptions;
  readonly #marked: Marked;

  constructor(options: DocumentOptions) {
    this.#options = options;
    this.#used = new Set(options.reservedIds);
    this.#marked = new Marked({ gfm: true, async: false, renderer: siteRenderer(this) });
  }

  render(markdown: string): string {
    return this.#marked.parse(markdown, { async: false });
  }

  /**
   * Markdown with generated blocks: a line that is only `{{name}}` is replaced by that block's
   * HTML. The Markdown around it is rendered in pieces, so a block never has to be valid Markdown.
   */
  renderWithBlocks(markdown: string, blocks: Blocks): string {
    return markdown
      .split(/^\{\{([a-z-]+)\}\}$/m)
      .map((part, i) => {
        if (i % 2 === 0) return this.render(part);
        const block = blocks[part];
        if (!block) {
          throw new SiteError(`${this.#options.source} asks for the block {{${part}}}, which does not exist. The blocks are: ${Object.keys(blocks).map((b) => `{{${b}}}`).join(', ')}.`);
        }
        return block(this);
      })
      .join('');
  }

  /** A heading for generated content (registry data), numbered alongside the Markdown's own. */
  heading(depth: number, text: string): string {
    return this.headingHtml(depth, escapeHtml(text));
  }

  headingHtml(depth: number, innerHtml: string): string {
    const level = Math.min(6, depth + (this.#options.headingShift ?? 0));
    const text = htmlToText(innerHtml).trim();
    const id = this.#uniqueId(`${this.#options.idPrefix ?? ''}${slug(text)}`);
    this.headings.push({ depth: level, id, text });
    // A heading that already holds a link cannot be wrapped in another one.
    const inner = level === 1 || innerHtml.includes('<a ') ? innerHtml : `<a class="heading-link" href="#${id}">${innerHtml}</a>`;
    return `<h${level} id="${id}">${inner}</h${level}>\n`;
  }

  resolveLink(href: string): string {
    return this.#options.resolveLink(href);
  }

  #uniqueId(base: string): string {
    let id = base || 'section';
    for (let n = 1; this.#used.has(id); n++) id = `${base}-${n}`;
    this.#used.add(id);
    return id;
  }
}

/** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
}

/** marked's renderer with this site's headings, code blocks, tables and links; the rest as marked does it. */
function siteRenderer(document: MarkdownDocument): RendererObject {
  return {
    heading({ tokens, depth }) {
      return document.headingHtml(depth, this.parser.parseInline(tokens));
    },
    code({ text, lang }) {
      const fence = lang?.trim().split(/\s+/)[0] || undefined;
      const label = fence ? ` data-lang="${escapeHtml(fence)}"` : '';
      const className = fence ? ` class="hljs language-${escapeHtml(fence)}"` : ' class="hljs"';
      // tabindex: a block wider than the screen must scroll with the keyboard too.
      return `<div class="code-block"${label}><pre tabindex="0"><code${className}>${highlight(text, fence)}</code></pre></div>\n`;
    },
    table(token) {
      return `<div class="table-wrap">${Renderer.prototype.table.call(this, token)}</div>\n`;
    },
    link(token) {
      return Renderer.prototype.link.call(this, { ...token, href: document.resolveLink(token.href) });
    },
  };
}
