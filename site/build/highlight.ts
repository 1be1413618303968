/**
 * Syntax highlighting at build time, so a page needs no highlighter in the browser: highlight.js
 * turns code into spans with `hljs-*` classes, and site/assets/site.css colours them for both
 * themes. Output depends only on the input, so rebuilding gives the same bytes.
 */
import hljs from 'highlight.js';
import { escapeHtml } from './html.ts';

/** The fence names lessons use, mapped to highlight.js languages; `text` and the rest stay plain. */
const LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  typescript: 'typescript',
  js: 'javascript',
  javascript: 'javascript',
  sh: 'bash',
  bash: 'bash',
  shell: 'bash',
  http: 'http',
  json: 'json',
  html: 'xml',
};

export function highlight(code: string, fence: string | undefined): string {
  const language = fence ? LANGUAGES[fence.toLowerCase()] : undefined;
  return language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeHtml(code);
}
