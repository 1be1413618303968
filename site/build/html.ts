/**
 * The few string helpers every page needs: escaping text into HTML, and reading plain text back
 * out of the HTML this generator wrote (for heading ids and the search index). Not a general
 * HTML parser: it only has to understand markup that marked and render-page.ts produce.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The text a reader sees in a fragment of generated HTML: tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[\da-f]+|amp|lt|gt|quot|nbsp);/gi, (entity, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
      if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
      return { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ' }[lower] ?? entity;
    });
}
