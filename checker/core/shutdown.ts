/**
 * Nothing the checker starts outlives it. Modules register what must be undone (kill a server,
 * remove a fixture folder); it runs on normal exit, on Ctrl-C (exit 130) and on SIGTERM (143).
 * The callbacks are synchronous because an exiting process cannot wait.
 */

const cleanups = new Set<() => void>();
let installed = false;

export function onShutdown(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export function runCleanups(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Keep going: every other cleanup still has to run.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanups);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      runCleanups();
      process.exit(code);
    });
  }
}
