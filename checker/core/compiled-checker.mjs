// @ts-check
/**
 * The checker's TypeScript compiled into a cached bundle of JavaScript that Node loads directly.
 *
 * Why: Node 20 cannot run TypeScript, and tsx compiles each module as it is imported, through
 * loader hooks that run on a thread of their own. For `npm run check` that cost 0.3 s of 1.6 s:
 * 0.2 s to register the hooks and 0.1 s of overhead on the checker's modules (bench/results.md).
 * esbuild, the compiler tsx itself uses, compiles the whole CLI in about 0.2 s; that happens
 * once, and again only when one of the files it read has changed. Each bundle records the size
 * and modification time of every file it was made from, so a launch costs a few dozen `stat`
 * calls. Learners never see a build step: a fresh clone compiles on its first command.
 *
 * Only the checker's own code is bundled. Packages are imported from node_modules as usual, the
 * learner's server still runs under tsx in its own process, and vitest compiles the suites.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

/**
 * Older bundles are kept a while: a checker started before a `git pull` may still load parts of
 * its own, and a checker that compiled at the same moment as this one is about to load its own.
 */
const BUNDLES_KEPT = 3;
const BUNDLE_MIN_AGE_MS = 10 * 60_000;

/**
 * @typedef {object} CompileOptions
 * @property {string} entry the TypeScript module to compile, with everything it imports
 * @property {string} cacheDir where bundles and the record of what they were made from are kept
 *
 * @typedef {object} BundleRecord
 * @property {string} entry
 * @property {string} bundle folder inside cacheDir
 * @property {string} main the entry's compiled file, inside the bundle
 * @property {{ [file: string]: [mtimeMs: number, size: number] }} inputs
 */

/** @type {CompileOptions} */
const CHECKER = {
  entry: path.join(REPO_ROOT, 'checker', 'cli.ts'),
  cacheDir: path.join(REPO_ROOT, 'node_modules', '.cache', 'from-socket-to-server'),
};

/**
 * The file URL of the compiled entry, compiling it first if no bundle is up to date; undefined
 * when it cannot be compiled (a syntax error, a read-only node_modules): the caller then loads
 * the TypeScript through tsx, which reports any error in the learner-facing way it always has.
 * @param {CompileOptions} [options]
 * @returns {Promise<string | undefined>}
 */
export async function compiledChecker(options = CHECKER) {
  const ready = upToDateBundle(options);
  if (ready) return pathToFileURL(ready).href;
  try {
    return await compile(options);
  } catch {
    return undefined;
  }
}

/**
 * The last bundle's compiled entry, if the bundle is still there and every file it was made from
 * is as it was then.
 * @param {CompileOptions} options
 * @returns {string | undefined}
 */
function upToDateBundle(options) {
  try {
    /** @type {BundleRecord} */
    const record = JSON.parse(readFileSync(recordFile(options), 'utf8'));
    if (record.entry !== options.entry) return undefined;
    const main = path.join(options.cacheDir, record.bundle, record.main);
    statSync(main);
    const unchanged = Object.entries(record.inputs).every(([file, [mtimeMs, size]]) => {
      const stats = statSync(file, { throwIfNoEntry: false });
      return stats !== undefined && stats.mtimeMs === mtimeMs && stats.size === size;
    });
    return unchanged ? main : undefined;
  } catch {
    return undefined; // no record yet, a damaged one, or its bundle was removed: compile again
  }
}

/**
 * @param {CompileOptions} options
 * @returns {Promise<string>}
 */
async function compile(options) {
  const started = Date.now();
  const { build } = await import('esbuild');
  // A folder of its own for each compilation, so two checkers compiling at once never write
  // over each other's files, nor over files a running checker may still load.
  mkdirSync(options.cacheDir, { recursive: true });
  const bundle = `bundle-${started.toString(36)}-${process.pid}`;
  const outdir = path.join(options.cacheDir, bundle);
  const result = await build({
    entryPoints: [options.entry],
    outdir,
    absWorkingDir: path.dirname(options.entry),
    bundle: true,
    // Each lazily imported module stays a file of its own, loaded only when it is used, with the
    // packages it imports: a check does not load the lesson renderer or the classroom board.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Read by Node only with --debug (launch.mjs), so a stack trace names the TypeScript lines.
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    plugins: [keepModulesInPlace],
  });
  const main = `${path.basename(options.entry, path.extname(options.entry))}.js`;
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(path.dirname(options.entry), input));
  /** @type {BundleRecord} */
  const record = { entry: options.entry, bundle, main, inputs: {} };
  for (const file of [...inputs, THIS_FILE]) {
    const stats = statSync(file);
    record.inputs[file] = [stats.mtimeMs, stats.size];
  }
  // A file saved while esbuild was reading it may or may not be in this bundle: use it this time,
  // but do not record it, so the next launch compiles again.
  if (Object.values(record.inputs).every(([mtimeMs]) => mtimeMs < started)) {
    try {
      const temporary = `${recordFile(options)}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify(record));
      renameSync(temporary, recordFile(options));
      removeOldBundles(options.cacheDir);
    } catch {
      // Not recorded (another checker is reading the record on Windows, say): compiled again next time.
    }
  }
  return pathToFileURL(path.join(outdir, main)).href;
}

/** @param {CompileOptions} options */
function recordFile(options) {
  return path.join(options.cacheDir, `${path.basename(options.entry)}.json`);
}

/** @param {string} cacheDir */
function removeOldBundles(cacheDir) {
  const bundles = readdirSync(cacheDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('bundle-'))
    .map((entry) => ({ folder: path.join(cacheDir, entry.name), mtimeMs: statSync(path.join(cacheDir, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { folder, mtimeMs } of bundles.slice(BUNDLES_KEPT)) {
    if (Date.now() - mtimeMs > BUNDLE_MIN_AGE_MS) rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Two things a bundle would otherwise change:
 * - `import.meta.url` would be the bundle's address, not the module's, and the checker finds
 *   its files from it (paths.ts);
 * - a JavaScript module (server-process.mjs) would be copied in, and launch.mjs, which imports
 *   it too, would get a second instance that does not know the first one's state.
 * @type {import('esbuild').Plugin}
 */
const keepModulesInPlace = {
  name: 'keep-modules-in-place',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/.*\.mjs$/ }, (args) => ({
      path: pathToFileURL(path.resolve(args.resolveDir, args.path)).href,
      external: true,
    }));
    build.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};
