/**
 * The list of stages (`npm run list`, and `npm run lesson` without a terminal) in a narrow
 * terminal: each summary goes on under its title, and nothing is lost.
 */
import { stripVTControlCharacters } from 'node:util';
import { expect, test } from 'vitest';
import { stageList } from '../commands/list.ts';
import { coreStages, stages } from '../core/stages.ts';

const progress = { current: 2, passed: [1], hintsShown: {} };

test('in a 50-column terminal every line fits, continuation lines under the title', () => {
  const lines = stripVTControlCharacters(stageList(progress, 50)).split('\n');
  expect(lines.filter((line) => [...line].length > 50)).toEqual([]);
  expect(lines.filter((line) => /^ {7}\S/.test(line)).length).toBeGreaterThan(0);
  const words = (text: string) => text.replace(/\s+/g, ' ');
  for (const stage of stages) expect(words(lines.join(' '))).toContain(words(`${stage.title}`));
  expect(words(lines.join(' '))).toBe(words(stripVTControlCharacters(stageList(progress))));
});

test('for a file or a pipe, one line per stage', () => {
  const lines = stripVTControlCharacters(stageList(progress)).split('\n');
  for (const stage of stages) expect(lines.filter((line) => line.includes(stage.summary))).toHaveLength(1);
});

test('the current stage is marked even once it has passed, and the count of passed stages is given', () => {
  const lines = stripVTControlCharacters(stageList({ current: 1, passed: [1], hintsShown: {} })).split('\n');
  expect(lines.find((line) => line.includes(stages[0]!.title))).toMatch(/^✓→ +1 /);
  const core = coreStages.length;
  const bonus = stages.length - core;
  expect(lines).toContain(`1 of ${core} core stages passed (bonus: 0 of ${bonus})`);
});
