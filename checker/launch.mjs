/**
 * The entry point of every npm script of the course (`node checker/launch.mjs <command>`).
 *
 * Why this one file is JavaScript: tsx's loader hooks run for every module imported after
 * they are registered, and vitest's hundreds of modules take about a second longer to load
 * through them (bench/results.md). Loading vitest first and registering tsx afterwards keeps
 * `npm run check` fast; everything else is TypeScript, loaded by tsx as usual.
 *
 * For a check, the process the learner's server will run in is started first of all: it gets
 * ready on the other CPU core while this one loads vitest and the checker.
 */
const command = process.argv[2];
if (command === 'check') {
  const { prepareServerProcess } = await import('./core/server-process.mjs');
  prepareServerProcess();
  await import('vitest/node');
}

const { register } = await import('tsx/esm/api');
register();
await import('./cli.ts');
