/**
 * `npm run lesson N`, the lesson read in a terminal (checker/ui/render-markdown.ts): every lesson
 * rendered at 60 columns and in a wide terminal, in colour. Inline code reads exactly as the
 * lesson wrote it; no line is wider than the terminal except a web address too long for any
 * line (it is kept whole, so it can be copied); code blocks keep their margin, a line too long
 * for the terminal goes on under it marked ↪, and no character of the code is lost.
 */
import { stripVTControlCharacters } from 'node:util';
import kleur from 'kleur';
import { marked, type Token, type Tokens } from 'marked';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lessonMarkdown } from '../core/lesson-text.ts';
import { stages } from '../core/stages.ts';
import { CODE_CONTINUED, CODE_MARGIN, renderMarkdown } from '../ui/render-markdown.ts';

const wasEnabled = kleur.enabled;
beforeAll(() => void (kleur.enabled = true));
afterAll(() => void (kleur.enabled = wasEnabled));

/** Every token of a kind in a lesson's Markdown, nested ones too. */
function tokensOf<T extends Token>(markdown: string, type: string): T[] {
  const found: T[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => void (token.type === type && found.push(token as T)));
  return found;
}

const words = (text: string) => text.replace(/\s+/g, ' ');
/** A line that is only a web address (in parentheses, perhaps): too long to fit, and kept whole. */
const isLongAddress = (line: string) => /^\s*\(?https?:\/\/\S+$/.test(line);

const terminals = [
  { name: '60 columns', width: 60, codeWidth: 60 },
  { name: 'a 200-column terminal (prose at 88)', width: 88, codeWidth: 200 },
];

describe.each(terminals)('at $name', ({ width, codeWidth }) => {
  test.each(stages.map((stage) => [stage.id, stage] as const))('lesson %i fits, and its code is whole and behind its margin', (_, stage) => {
    const markdown = lessonMarkdown(stage);
    const lines = stripVTControlCharacters(renderMarkdown(markdown, width, codeWidth)).split('\n');

    const code = lines.filter((line) => line.startsWith(CODE_MARGIN));
    const prose = lines.filter((line) => !line.startsWith(CODE_MARGIN));
    expect(prose.filter((line) => stringWidth(line) > width && !isLongAddress(line)), `prose wider than ${width} columns`).toEqual([]);
    expect(code.filter((line) => stringWidth(line) > codeWidth), `code wider than ${codeWidth} columns`).toEqual([]);
    // The terminal never wraps a code line itself, so every line of a block starts with the margin.
    expect(lines.filter((line) => line.includes('│') && !line.startsWith(CODE_MARGIN) && !line.startsWith('  ▌ '))).toEqual([]);

    // Put back together, the code blocks hold every character of the lesson's code, in order.
    const shown = code.map((line) => line.slice(CODE_MARGIN.length)).map((line) => (line.startsWith(CODE_CONTINUED) ? line.slice(CODE_CONTINUED.length) : line));
    const written = tokensOf<Tokens.Code>(markdown, 'code').flatMap((block) => block.text.replace(/\t/g, '    ').split('\n'));
    expect(shown.join('').replace(/\s/g, '')).toBe(written.join('').replace(/\s/g, ''));
    expect(shown.filter((line) => !line.startsWith(CODE_CONTINUED)).length).toBeGreaterThanOrEqual(written.length - 0);

    // Inline code exactly as written (an h1 is upper-cased, and has none). In a table whose
    // cells wrap, a span may be split over two lines of its column: its words are all there.
    const text = words(lines.join(' '));
    const inTables = new Set(tokensOf<Tokens.Table>(markdown, 'table').flatMap((table) => tokensOf<Tokens.Codespan>(table.raw, 'codespan').map((span) => span.text)));
    for (const span of tokensOf<Tokens.Codespan>(markdown, 'codespan')) {
      if (inTables.has(span.text)) for (const word of span.text.split(/\s+/)) expect(text, 'a word of a code span in a table').toContain(word);
      else expect(text.includes(words(span.text)), `\`${span.text}\` shown as written`).toBe(true);
    }
  });
});

test('lesson 12, which teaches escaping, shows its character references as written', () => {
  const text = words(stripVTControlCharacters(renderMarkdown(lessonMarkdown(stages.find((s) => s.id === 12)!), 60)));
  expect(text).toContain('such as &lt; for <');
  expect(text).toContain('HTML escaping gives Tom &amp; Jerry.png');
});

test('character references in prose read as their characters; in code, as written', () => {
  const plain = (markdown: string) => stripVTControlCharacters(renderMarkdown(markdown, 60)).trim();
  expect(plain('Tom &amp; Jerry &lt;3 &#8212; &#x2192; &unknown; `&amp;`')).toBe('Tom & Jerry <3 — → &unknown; &amp;');
  expect(plain('```html\n<p>&lt;b&gt;</p>\n```')).toBe('html\n  │ <p>&lt;b&gt;</p>');
});

test('a code line too long for the terminal goes on under the margin, marked; a short one is left alone', () => {
  const long = `const answer = [${Array.from({ length: 30 }, (_, i) => `'item${i}'`).join(', ')}];`;
  const lines = stripVTControlCharacters(renderMarkdown(`\`\`\`ts\n${long}\nshort();\n\`\`\`\n`, 40)).trimEnd().split('\n');
  expect(lines[0]).toBe('  ts');
  expect(lines.at(-1)).toBe(`${CODE_MARGIN}short();`);
  const pieces = lines.slice(1, -1);
  expect(pieces.length).toBeGreaterThan(5);
  expect(pieces[0]!.startsWith(`${CODE_MARGIN}const answer`)).toBe(true);
  for (const line of pieces.slice(1)) expect(line.startsWith(`${CODE_MARGIN}${CODE_CONTINUED}`), line).toBe(true);
  for (const line of pieces) expect(stringWidth(line)).toBeLessThanOrEqual(40);
});

test('wide characters count two columns: a line of CJK text wraps at the width it is drawn at', () => {
  const lines = stripVTControlCharacters(renderMarkdown(`${'漢字 '.repeat(30)}\n`, 20)).trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(3);
  for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(20);
});

test('a table too wide for the terminal wraps its cells, or shows each row as a list, losing no word', () => {
  const table = '| header | the question | compared how |\n| --- | --- | --- |\n| `If-None-Match` | does the client already hold this representation, by its tag? | weakly, every tag in the list |\n';
  for (const width of [60, 30]) {
    const lines = stripVTControlCharacters(renderMarkdown(table, width)).trimEnd().split('\n');
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
    expect(words(lines.join(' '))).toContain('If-None-Match');
    for (const word of ['representation,', 'weakly,', 'compared']) expect(lines.join(' ')).toContain(word);
  }
});
