/**
 * Wrapping text for the terminal (checker/ui/wrap-text.ts), as hints, failure hints and lessons use it.
 */
import { expect, test } from 'vitest';
import { wrapText } from '../ui/wrap-text.ts';

test('wraps at spaces to the width, keeping explicit line breaks', () => {
  expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  expect(wrapText('one\ntwo three', 20)).toEqual(['one', 'two three']);
});

test('colour codes take no columns', () => {
  const red = (text: string) => `\u001b[31m${text}\u001b[39m`;
  expect(wrapText(`${red('one')} ${red('two')}`, 7)).toEqual([`${red('one')} ${red('two')}`]);
});

test('never splits a short quoted string or a regular expression at its spaces', () => {
  expect(wrapText('Splitting on " " would accept "GET  / HTTP/1.1".', 14)).toEqual(['Splitting on', '" " would', 'accept', '"GET  / HTTP/1.1".']);
  expect(wrapText('strict: /^([^ ]+) ([^ ]+)$/ allows', 12)).toEqual(['strict:', '/^([^ ]+) ([^ ]+)$/', 'allows']);
  // A lone quote mark protects nothing: the rest still wraps.
  expect(wrapText('a 5" screen and a long tail of words', 12)).toEqual(['a 5" screen', 'and a long', 'tail of', 'words']);
});

test('keeps a course command whole, coloured or not', () => {
  const cyan = (text: string) => `\u001b[36m${text}\u001b[39m`;
  expect(wrapText('Edit it, then run npm run check (or npm run check -- --watch to re-check)', 26)).toEqual(['Edit it, then run', 'npm run check (or', 'npm run check -- --watch', 'to re-check)']);
  expect(wrapText(`then run ${cyan('npm run lesson 12 -- --catch-up')}.`, 20)).toEqual(['then run', `${cyan('npm run lesson 12 -- --catch-up')}.`]);
});

test('wide characters take two columns', () => {
  expect(wrapText('漢字 漢字 漢字', 9)).toEqual(['漢字 漢字', '漢字']);
});
