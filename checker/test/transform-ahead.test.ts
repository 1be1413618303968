/**
 * Compiling a run's suites ahead (checker/core/transform-ahead.ts): against vite itself, the
 * helpers a suite imports are compiled too, so the worker thread finds them ready; against a
 * stand-in compiler, a module that fails does not stop the others and nothing is compiled twice.
 */
import path from 'node:path';
import { expect, test } from 'vitest';
import { createVitest } from 'vitest/node';
import { REPO_ROOT } from '../core/paths.ts';
import { transformAhead, type ModuleCompiler } from '../core/transform-ahead.ts';

test('compiles a suite and the helpers it imports, leaving packages to Node', async () => {
  const vitest = await createVitest('test', { config: false, root: REPO_ROOT, watch: false }, { server: { watch: null }, logLevel: 'silent' });
  try {
    const ssr = vitest.getRootProject().vite.environments.ssr!;
    const compiled = (file: string) => ssr.moduleGraph.getModuleById(path.join(REPO_ROOT, file).replaceAll('\\', '/'))?.transformResult != null;
    expect(compiled('checker/http/raw-client.ts')).toBe(false);
    await transformAhead(ssr, [path.join(REPO_ROOT, 'checker', 'suites', '02-first-response.test.ts')]);
    expect(compiled('checker/suites/02-first-response.test.ts')).toBe(true);
    // Imported by the suite's helpers, not by the suite itself.
    expect(compiled('checker/http/raw-client.ts')).toBe(true);
    expect([...ssr.moduleGraph.idToModuleMap.keys()].filter((id) => id.includes('/node_modules/') && ssr.moduleGraph.getModuleById(id)?.transformResult)).toEqual([]);
  } finally {
    await vitest.close();
  }
});

test('a module that does not compile stops nothing, and no module is compiled twice', async () => {
  const imports: Record<string, string[]> = {
    '/a.ts': ['/shared.ts', '/broken.ts'],
    '/b.ts': ['/shared.ts', '/node_modules/pkg/index.js'],
    '/broken.ts': [],
    '/shared.ts': ['/leaf.ts'],
    '/leaf.ts': [],
  };
  const asked: string[] = [];
  const compiler: ModuleCompiler = {
    async transformRequest(url) {
      asked.push(url);
      if (url === '/broken.ts') throw new Error('a syntax error');
      return { deps: imports[url] ?? [] };
    },
  };
  await expect(transformAhead(compiler, ['/a.ts', '/b.ts'])).resolves.toBeUndefined();
  expect(asked.sort()).toEqual(['/a.ts', '/b.ts', '/broken.ts', '/leaf.ts', '/shared.ts']);
});
