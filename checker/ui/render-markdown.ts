/**
 * Lesson Markdown rendered for a terminal: headings, emphasis, code and lists styled through
 * ui/style.ts (so NO_COLOR and pipes get plain text), paragraphs wrapped to the window. marked
 * parses; this file only decides how each kind of block looks.
 */
import { marked, type Token, type Tokens } from 'marked';
import { style } from './style.ts';
import { readingWidth, visibleLength, wrapText } from './wrap-text.ts';

export function renderMarkdown(markdown: string, width = readingWidth()): string {
  return blocks(marked.lexer(markdown), width).join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function blocks(tokens: readonly Token[], width: number): string[] {
  const out: string[] = [];
  for (const token of tokens) out.push(...block(token, width));
  return out;
}

function block(token: Token, width: number): string[] {
  switch (token.type) {
    case 'heading': {
      const t = token as Tokens.Heading;
      const text = inline(t.tokens);
      const styled = t.depth === 1 ? style.heading(text.toUpperCase()) : t.depth === 2 ? style.heading(text) : style.strong(text);
      return ['', styled, ''];
    }
    case 'paragraph':
      return [...wrapText(inline((token as Tokens.Paragraph).tokens), width), ''];
    case 'code': {
      const t = token as Tokens.Code;
      const label = t.lang ? [style.dim(`  ${t.lang}`)] : [];
      return [...label, ...t.text.split('\n').map((line) => `${style.dim('  │ ')}${style.code(line)}`), ''];
    }
    case 'blockquote': {
      const inner = blocks((token as Tokens.Blockquote).tokens, width - 4);
      while (inner.at(-1) === '') inner.pop();
      return [...inner.map((line) => `${style.dim('  ▌ ')}${line}`), ''];
    }
    case 'list': {
      const t = token as Tokens.List;
      const out: string[] = [];
      t.items.forEach((item, index) => {
        const marker = t.ordered ? `${Number(t.start || 1) + index}. ` : '• ';
        const inner = blocks(item.tokens, width - marker.length - 2).filter((line, i, all) => line !== '' || i < all.length - 1);
        inner.forEach((line, i) => out.push(`  ${i === 0 ? marker : ' '.repeat(marker.length)}${line}`));
      });
      return [...out.filter((line) => line.trim() !== ''), ''];
    }
    case 'table': {
      const t = token as Tokens.Table;
      const rows = [t.header.map((cell) => style.strong(inline(cell.tokens))), ...t.rows.map((row) => row.map((cell) => inline(cell.tokens)))];
      const widths = t.header.map((_, c) => Math.max(...rows.map((row) => visibleLength(row[c] ?? ''))));
      return [
        ...rows.map((row) => `  ${row.map((cell, c) => cell + ' '.repeat(widths[c]! - visibleLength(cell))).join('  ')}`.trimEnd()),
        '',
      ];
    }
    case 'hr':
      return [style.dim('─'.repeat(Math.min(width, 40))), ''];
    case 'text': {
      const t = token as Tokens.Text;
      return wrapText(t.tokens ? inline(t.tokens) : t.text, width);
    }
    case 'html':
      // Lessons use a little HTML for the site (a <details>, say); the terminal shows its text.
      return wrapText((token as Tokens.HTML).text.replace(/<[^>]+>/g, '').trim(), width);
    case 'space':
      return [];
    default:
      return 'raw' in token ? [token.raw] : [];
  }
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
          return style.code(unescapeHtml((token as Tokens.Codespan).text));
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
          return 'tokens' in t && t.tokens ? inline(t.tokens) : unescapeHtml(t.text);
        }
        default:
          return 'text' in token ? String(token.text) : token.raw;
      }
    })
    .join('');
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}
