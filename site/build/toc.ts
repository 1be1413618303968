/**
 * toc.js: the table of contents, written once for the whole site rather than into every page.
 * site.js renders it into each page's sidebar and marks the current page. A script, not JSON,
 * so it loads from file://.
 */
import { JS_BANNER } from './banner.ts';
import type { PageLink } from './render-page.ts';

export interface TocGroup {
  /** Shown above the group; the first group has none. */
  readonly label?: string;
  /** Numbered: the lessons. */
  readonly ordered?: boolean;
  /** The number of an ordered group's first page, when it is not 1 (the bonus lessons). */
  readonly start?: number;
  readonly pages: readonly PageLink[];
}

export function tocScript(groups: readonly TocGroup[]): string {
  return `${JS_BANNER}window.courseToc = ${JSON.stringify(groups, null, 1)};\n`;
}
