/**
 * Lesson Markdown rendered for a terminal: headings, emphasis, code and lists styled through
 * ui/style.ts (so NO_COLOR and pipes get plain text), prose wrapped to the reading width. marked
 * parses; this file only decides how each kind of block looks.
 *
 * The layout never draws past the terminal's edge, where the terminal would wrap a line itself
 * and break the margins: prose and tables fit the reading width (a table too wide for it wraps
 * its cells, or at last shows each row as a little list), and code blocks fit the terminal's
 * width. A code line longer than that is soft-wrapped under its margin, the rest on the next
 * line marked ↪, so no character of the code is lost or moved out of the block. Inline code is
 * shown exactly as written: `&lt;` stays `&lt;` (lesson 12 teaches it), while character
 * references in prose read as the character they stand for, as on the site.
 */
import { marked, type Token, type Tokens } from 'marked';
import { style } from './style.ts';
import { breakCode, readingWidth, visibleLength, wrapText } from './wrap-text.ts';

/** The margin of a code block's lines, and the mark that starts the rest of a line too long for the terminal. */
export const CODE_MARGIN = '  │ ';
export const CODE_CONTINUED = '↪ ';

interface Layout {
  /** The columns for prose. */
  readonly width: number;
  /** The columns for a code block: the terminal's, which may be wider than is comfortable for prose. */
  readonly codeWidth: number;
}

/** Columns to lay code out in: the terminal's, or `width` where there is no terminal. */
function terminalColumns(width: number): number {
  return process.stdout.isTTY && process.stdout.columns ? Math.max(width, process.stdout.columns) : width;
}

export function renderMarkdown(markdown: string, width = readingWidth(), codeWidth = terminalColumns(width)): string {
  return blocks(marked.lexer(markdown), { width, codeWidth }).join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function blocks(tokens: readonly Token[], layout: Layout): string[] {
  const out: string[] = [];
  for (const token of tokens) out.push(...block(token, layout));
  return out;
}

/** The same layout, `columns` narrower (for what is drawn inside a margin or after a list marker). */
const inset = (layout: Layout, columns: number): Layout => ({ width: layout.width - columns, codeWidth: layout.codeWidth - columns });

function block(token: Token, layout: Layout): string[] {
  const { width } = layout;
  switch (token.type) {
    case 'heading': {
      const t = token as Tokens.Heading;
      const text = inline(t.tokens);
      const paint = t.depth === 1 ? (line: string) => style.heading(line.toUpperCase()) : t.depth === 2 ? style.heading : style.strong;
      return ['', ...wrapText(text, width).map(paint), ''];
    }
    case 'paragraph':
      return [...wrapText(inline((token as Tokens.Paragraph).tokens), width), ''];
    case 'code':
      return [...codeBlock(token as Tokens.Code, layout.codeWidth), ''];
    case 'blockquote': {
      const inner = blocks((token as Tokens.Blockquote).tokens, inset(layout, 4));
      while (inner.at(-1) === '') inner.pop();
      return [...inner.map((line) => `${style.dim('  ▌ ')}${line}`), ''];
    }
    case 'list': {
      const t = token as Tokens.List;
      const out: string[] = [];
      t.items.forEach((item, index) => {
        const marker = t.ordered ? `${Number(t.start || 1) + index}. ` : '• ';
        const inner = blocks(item.tokens, inset(layout, marker.length + 2)).filter((line, i, all) => line !== '' || i < all.length - 1);
        inner.forEach((line, i) => out.push(`  ${i === 0 ? marker : ' '.repeat(marker.length)}${line}`));
      });
      return [...out.filter((line) => line.trim() !== ''), ''];
    }
    case 'table':
      return [...table(token as Tokens.Table, width), ''];
    case 'hr':
      return [style.dim('─'.repeat(Math.min(width, 40))), ''];
    case 'text': {
      const t = token as Tokens.Text;
      return wrapText(t.tokens ? inline(t.tokens) : decodeEntities(t.text), width);
    }
    case 'html':
      // Lessons use a little HTML for the site (a <details>, say); the terminal shows its text.
      return wrapText(decodeEntities((token as Tokens.HTML).text.replace(/<[^>]+>/g, '').trim()), width);
    case 'space':
      return [];
    default:
      return 'raw' in token ? wrapText(token.raw, width) : [];
  }
}

/** A fenced block: its language above, every line behind the margin, a line too long continued under it. */
function codeBlock(token: Tokens.Code, codeWidth: number): string[] {
  const label = token.lang ? [style.dim(`  ${token.lang}`)] : [];
  const room = codeWidth - visibleLength(CODE_MARGIN);
  const lines = token.text.replace(/\t/g, '    ').split('\n').flatMap((line) => {
    const [first = '', ...rest] = breakCode(line, room);
    // wrap-ansi starts the rest with the space it broke at: the line break stands for it.
    const continued = rest.length ? breakCode(rest.join('').replace(/^ /, ''), room - visibleLength(CODE_CONTINUED)).map((piece, i) => (i === 0 ? piece : piece.replace(/^ /, ''))) : [];
    return [
      `${style.dim(CODE_MARGIN)}${style.code(first.trimEnd())}`,
      ...continued.map((piece) => `${style.dim(CODE_MARGIN)}${style.dim(CODE_CONTINUED)}${style.code(piece.trimEnd())}`),
    ];
  });
  return [...label, ...lines];
}

/**
 * A table in columns when it fits the width, its cells wrapped inside their columns when that
 * leaves each column room for its longest word, or else each row as a short list of
 * "header: cell" lines, which reads at any width.
 */
function table(token: Tokens.Table, width: number): string[] {
  const header = token.header.map((cell) => inline(cell.tokens));
  const rows = token.rows.map((row) => row.map((cell) => inline(cell.tokens)));
  const all = [header, ...rows];
  const columns = header.length;
  const gap = 2;
  const indent = 2;
  const natural = header.map((_, c) => Math.max(...all.map((row) => visibleLength(row[c] ?? ''))));
  const longestWord = header.map((_, c) => Math.max(...all.flatMap((row) => (row[c] ?? '').split(' ').map(visibleLength))));
  const room = width - indent - gap * (columns - 1);
  const widths = fitColumns(natural, room);
  if (widths && widths.every((w, c) => w >= longestWord[c]!)) {
    return all.flatMap((row, r) => {
      const cells = widths.map((w, c) => wrapText(row[c] ?? '', w));
      const height = Math.max(...cells.map((cell) => cell.length));
      return Array.from({ length: height }, (_, l) =>
        `${' '.repeat(indent)}${cells.map((cell, c) => {
          const text = cell[l] ?? '';
          return (r === 0 ? style.strong(text) : text) + ' '.repeat(widths[c]! - visibleLength(text));
        }).join(' '.repeat(gap))}`.trimEnd(),
      );
    });
  }
  return rows.flatMap((row, r) => [
    ...(r > 0 ? [''] : []),
    ...row.flatMap((cell, c) => {
      const lead = `  ${c === 0 ? '• ' : '  '}`;
      return wrapText(`${style.strong(`${header[c]}:`)} ${cell}`, width - lead.length).map((line, i) => `${i === 0 ? lead : '    '}${line}`);
    }),
  ]);
}

/**
 * Column widths that add up to at most `room`: narrow columns keep their natural width and the
 * rest share what is left, in proportion to how wide they would be. Undefined when a column
 * would get fewer than 8 columns.
 */
function fitColumns(natural: readonly number[], room: number): number[] | undefined {
  if (natural.reduce((a, b) => a + b, 0) <= room) return [...natural];
  const widths: (number | undefined)[] = natural.map(() => undefined);
  let left = room;
  for (;;) {
    const open = natural.map((_, c) => (widths[c] === undefined ? c : -1)).filter((c) => c !== -1);
    const share = left / open.length;
    const settled = open.filter((c) => natural[c]! <= share);
    if (!settled.length) {
      const total = open.reduce((sum, c) => sum + natural[c]!, 0);
      for (const c of open) widths[c] = Math.floor((left * natural[c]!) / total);
      break;
    }
    for (const c of settled) {
      widths[c] = natural[c]!;
      left -= natural[c]!;
    }
  }
  const result = widths.map((w) => w ?? 0);
  return result.every((w) => w >= 8) ? result : undefined;
}

function inline(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .map((token): string => {
      switch (token.type) {
        case 'strong':
          return style.strong(inline((token as Tokens.Strong).tokens));
        case 'em':
          return style.emphasis(inline((token as Tokens.Em).tokens));
        case 'codespan':
          // Exactly as written: marked leaves a code span's text as it is in the source.
          return style.code((token as Tokens.Codespan).text);
        case 'link': {
          const t = token as Tokens.Link;
          const text = inline(t.tokens);
          return /^https?:/.test(t.href) && t.href !== text ? `${text} ${style.dim(`(${t.href})`)}` : text;
        }
        case 'br':
          return '\n';
        case 'del':
          return inline((token as Tokens.Del).tokens);
        case 'html':
          return '';
        case 'text':
        case 'escape': {
          const t = token as Tokens.Text;
          return 'tokens' in t && t.tokens ? inline(t.tokens) : decodeEntities(t.text);
        }
        default:
          return 'text' in token ? String(token.text) : token.raw;
      }
    })
    .join('');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', mdash: '—', ndash: '–', hellip: '…', rarr: '→', larr: '←', times: '×', copy: '©' };

/** Prose's character references read as their characters, as a browser shows them; an unknown one is left as written. */
function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d+)|#x([\da-f]+)|([a-z]+));/gi, (whole, decimal?: string, hex?: string, name?: string) => {
    const code = decimal ? Number(decimal) : hex ? parseInt(hex, 16) : undefined;
    if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return NAMED[name!.toLowerCase()] ?? whole;
  });
}
