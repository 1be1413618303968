/**
 * Config for `npm test`: the kit's own tests (checker/test). The stage suites in checker/suites
 * need a running server and are started by the checker, never by this config.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['checker/test/**/*.test.ts', 'site/build/**/*.test.ts'],
    globalSetup: ['checker/test/global-setup.ts'],
    // Many tests run the real checker against real servers, several at once on a small machine.
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
