/**
 * Vitest setup file for the stage suites: no test leaves a connection open behind it, and once
 * the server has stopped answering, the rest of the file is skipped rather than each test
 * waiting out its own deadline.
 */
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { closeAllConnections, forgetStall, serverStalled } from './raw-client.ts';

beforeAll(() => {
  forgetStall();
});

beforeEach((context) => {
  // A kit rule, not a learner's: every requirement says whose rule it is (basis.ts).
  if (!context.task.meta.basis) throw new Error(`The requirement "${context.task.name}" does not say whose rule it is: give its test must(), should(), may() or courseRule() options (checker/http/basis.ts).`);
  if (serverStalled()) context.skip('your server stopped answering in an earlier test');
});

afterEach(() => {
  closeAllConnections();
});
