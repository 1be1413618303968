/**
 * The registry's invariants (rustlings' `dev check`, for this course). Each failure names the
 * file and the fix.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { findIncludes, includedText } from '../core/lesson-text.ts';
import { LESSONS_DIR, SOLUTIONS_DIR, SUITES_DIR } from '../core/paths.ts';
import { ENTRY_FILE, stageKey, stagePaths, stages } from '../core/stages.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('lessons/stages.ts', () => {
  test('ids run 1..n in array order', () => {
    expect(stages.map((s) => s.id), 'Renumber the stages in lessons/stages.ts so ids are 1, 2, 3… in order').toEqual(stages.map((_, i) => i + 1));
  });

  test('slugs are unique, kebab-case and at most 32 characters', () => {
    for (const stage of stages) {
      expect(stage.slug, `stage ${stage.id}: slug must be kebab-case`).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(stage.slug.length, `stage ${stage.id}: slug too long`).toBeLessThanOrEqual(32);
    }
    expect(new Set(stages.map((s) => s.slug)).size, 'two stages share a slug').toBe(stages.length);
  });

  test('every stage has a title, a summary and hints', () => {
    for (const stage of stages) {
      expect(stage.title.trim(), `stage ${stage.id}: empty title`).not.toBe('');
      expect(stage.summary.trim(), `stage ${stage.id}: empty summary`).not.toBe('');
      expect(stage.hints.length, `stage ${stage.id}: add at least one hint`).toBeGreaterThan(0);
    }
  });

  test('titles, summaries and hints hold no control characters (write "\\r\\n" to show a CRLF)', () => {
    for (const stage of stages) {
      for (const text of [stage.title, stage.summary, ...stage.hints]) {
        expect(text, `stage ${stage.id}: a raw control character, which terminals and pages would act on instead of showing`).not.toMatch(/[\x00-\x1f\x7f]/);
      }
    }
  });
});

describe.each(stages.map((stage) => [stageKey(stage), stage] as const))('stage %s', (_key, stage) => {
  const paths = stagePaths(stage);

  test('has every file its name promises', () => {
    for (const file of [paths.lessonFile, path.join(paths.starterDir, ENTRY_FILE), paths.solutionEntry, paths.suiteFile]) {
      expect(existsSync(file), `${path.relative(process.cwd(), file)} is missing`).toBe(true);
    }
  });

  test('its starter says TODO and its solution does not', () => {
    const starterFiles = filesUnder(paths.starterDir).filter((f) => f.endsWith('.ts'));
    expect(starterFiles.some((f) => readFileSync(f, 'utf8').includes('// TODO:')), `${stageKey(stage)}/starter needs at least one "// TODO:"`).toBe(true);
    for (const file of filesUnder(paths.solutionDir)) {
      expect(readFileSync(file, 'utf8'), `${path.relative(process.cwd(), file)} still has a TODO`).not.toMatch(/TODO/);
    }
  });

  test('every {{#include}} in its lesson resolves', () => {
    const markdown = readFileSync(paths.lessonFile, 'utf8');
    for (const include of findIncludes(markdown, paths.lessonFile)) {
      expect(() => includedText(include)).not.toThrow();
    }
  });
});

describe('no stage folder or suite that the registry does not name', () => {
  const keys = new Set(stages.map(stageKey));
  test('lessons/', () => {
    const extra = readdirSync(LESSONS_DIR).filter((name) => !keys.has(name) && !['README.md', 'stages.ts', 'course-rules.ts', 'tsconfig.json'].includes(name));
    expect(extra, 'Register these in lessons/stages.ts or remove them').toEqual([]);
  });
  test('solutions/', () => {
    const extra = readdirSync(SOLUTIONS_DIR).filter((name) => !keys.has(name) && name !== 'README.md');
    expect(extra, 'Register these in lessons/stages.ts or remove them').toEqual([]);
  });
  test('checker/suites/', () => {
    const extra = readdirSync(SUITES_DIR).filter((name) => !keys.has(name.replace(/\.test\.ts$/, '')));
    expect(extra, 'Every suite is named NN-slug.test.ts after a registered stage').toEqual([]);
  });
});

test('an older Node than the course runs on gets a sentence saying what to install', async () => {
  const { nodeTooOld, OLDEST } = await import('../core/node-version.mjs');
  expect(nodeTooOld('v18.19.0')).toMatch(/needs Node\.js 20\.11 or newer, and this is Node\.js v18\.19\.0[\s\S]*current LTS/);
  expect(nodeTooOld('v20.10.0')).toBeDefined();
  expect(nodeTooOld(`v${OLDEST.major}.${OLDEST.minor}.0`)).toBeUndefined();
  expect(nodeTooOld('v26.12.1')).toBeUndefined();
  expect(nodeTooOld(process.version)).toBeUndefined();
  // package.json's engines says the same.
  const { readFileSync } = await import('node:fs');
  const engines = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).engines.node;
  expect(engines).toBe(`>=${OLDEST.major}.${OLDEST.minor}`);
});

test('every course rule is the basis of some requirement, and names a stage that exists', async () => {
  const { COURSE_RULES } = await import('../../lessons/course-rules.ts');
  const sources = readdirSync(SUITES_DIR).map((name) => readFileSync(path.join(SUITES_DIR, name), 'utf8')).join('\n');
  const used = new Set([...sources.matchAll(/courseRule\('([^']+)'\)|rule: '([^']+)'/g)].map((m) => m[1] ?? m[2]));
  const unused = Object.keys(COURSE_RULES).filter((id) => !used.has(id));
  expect(unused, 'course rules that no requirement rests on: remove them, or give them a requirement').toEqual([]);
  for (const [id, rule] of Object.entries(COURSE_RULES)) expect(stages.some((s) => s.id === rule.stage), id).toBe(true);
});
