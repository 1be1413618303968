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
  if (serverStalled()) context.skip('your server stopped answering in an earlier test');
});

afterEach(() => {
  closeAllConnections();
});
