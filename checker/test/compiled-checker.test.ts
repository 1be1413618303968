/**
 * The compiled checker (checker/core/compiled-checker.mjs), on a small project of its own: the
 * bundle behaves as the TypeScript does when Node loads it, it is made again exactly when a file
 * it was made from changes, and when it cannot be made the caller is told so instead of crashing.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { compiledChecker } from '../core/compiled-checker.mjs';
import { scratchDir } from './scratch.ts';

function project() {
  const folder = scratchDir('fsts-compiled-');
  // Saved a minute ago: a file saved while it compiles is not trusted to be in the bundle.
  const earlier = new Date(Date.now() - 60_000);
  const file = (name: string, text: string) => {
    writeFileSync(path.join(folder, name), text);
    utimesSync(path.join(folder, name), earlier, earlier);
  };
  file('main.ts', [
    "import { label, where } from './helper.ts';",
    "import { state } from './shared.mjs';",
    'export const report: { label: string; where: string } = { label, where };',
    'export { state };',
  ].join('\n'));
  const helper = (label: string) => file('helper.ts', `export const label: string = '${label}';\nexport const where = import.meta.url;\n`);
  helper('first');
  file('shared.mjs', 'export const state = {};\n');
  const options = { entry: path.join(folder, 'main.ts'), cacheDir: path.join(folder, 'cache') };
  const bundles = () => readdirSync(options.cacheDir).filter((name) => name.startsWith('bundle-'));
  return { folder, file, helper, options, bundles };
}

/** Load the compiled module in a plain Node process, as launch.mjs does, and report what it exports. */
function load(compiled: string, shared: string): { label: string; where: string; sameState: boolean } {
  const script = `const m = await import(${JSON.stringify(compiled)}); const s = await import(${JSON.stringify(shared)});
    console.log(JSON.stringify({ ...m.report, sameState: m.state === s.state }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 }));
}

test('the bundle runs in plain Node, with each module’s own import.meta.url and one instance of a shared .mjs', async () => {
  const { folder, options } = project();
  const compiled = await compiledChecker(options);
  expect(compiled).toBeDefined();
  const shared = pathToFileURL(path.join(folder, 'shared.mjs')).href;
  expect(load(compiled!, shared)).toEqual({ label: 'first', where: pathToFileURL(path.join(folder, 'helper.ts')).href, sameState: true });
});

test('is compiled again when, and only when, a file it was made from changes', async () => {
  const { folder, helper, options, bundles } = project();
  const first = await compiledChecker(options);
  expect(await compiledChecker(options)).toBe(first);
  expect(bundles()).toHaveLength(1);
  helper('second');
  const second = await compiledChecker(options);
  expect(second).not.toBe(first);
  expect(load(second!, pathToFileURL(path.join(folder, 'shared.mjs')).href).label).toBe('second');
});

test('a damaged record or a removed bundle means compiling again, and a file that does not compile means undefined', async () => {
  const { file, options, bundles } = project();
  await compiledChecker(options);
  writeFileSync(path.join(options.cacheDir, 'main.ts.json'), '{"entry": ');
  expect(await compiledChecker(options)).toBeDefined();
  expect(bundles()).toHaveLength(2);
  for (const bundle of bundles()) rmSync(path.join(options.cacheDir, bundle), { recursive: true });
  const again = await compiledChecker(options);
  expect(again).toBeDefined();
  expect(bundles()).toHaveLength(1);
  file('helper.ts', "export const label: string = 'unterminated;\n");
  expect(await compiledChecker(options)).toBeUndefined();
});
