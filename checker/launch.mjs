/**
 * The entry point of every npm script of the course (`node checker/launch.mjs <command>`).
 *
 * Why this one file is JavaScript: it decides how the TypeScript of the checker is loaded. Node
 * runs a compiled bundle of it (compiled-checker.mjs), made on the first command and again after
 * a change; if that cannot be made, tsx loads the TypeScript as it is. Either way vitest is
 * imported first: under tsx's loader hooks its hundreds of modules take about a second longer
 * to load (bench/results.md).
 *
 * For a check, the process the learner's server will run in is started first of all: it gets
 * ready on the other CPU core while this one loads vitest and the checker.
 */
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { nodeTooOld } from './core/node-version.mjs';

const tooOld = nodeTooOld(process.version);
if (tooOld) {
  console.error(tooOld);
  process.exit(1);
}

// Node 22.1 and later can keep the compiled code of the modules they load (vitest's, most of
// all) on disk: 0.05 s of a check (bench/results.md). Older Node has no such cache.
module.enableCompileCache?.(fileURLToPath(new URL('../node_modules/.cache/from-socket-to-server/v8', import.meta.url)));

const command = process.argv[2];
if (command === 'check') {
  const { prepareServerProcess } = await import('./core/server-process.mjs');
  prepareServerProcess();
  await import('vitest/node');
}

// Stack traces name the TypeScript files and lines, for whoever asked to see them.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);

const { compiledChecker } = await import('./core/compiled-checker.mjs');
const compiled = await compiledChecker();
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
}
