/**
 * Vitest setup file for the stage suites: no test leaves a connection open behind it, and once
 * the server has stopped answering, the rest of the file is skipped rather than each test
 * waiting out its own deadline.
 */
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { closeAllConnections, forgetStall, serverStalled } from './raw-client.ts';
import { target } from './server-under-test.ts';

// vitest hands a hook's context first, and insists on a destructuring pattern for it.
beforeAll(({}, file) => {
  forgetStall();
  // Which lane's server this file checks, for the report (run-check.ts).
  file.meta.port = target().port;
});

beforeEach((context) => {
  if (serverStalled()) context.skip('your server stopped answering in an earlier test');
});

afterEach(() => {
  closeAllConnections();
});
