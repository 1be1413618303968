/**
 * Vitest setup file for the stage suites: no test leaves a connection open behind it.
 */
import { afterEach } from 'vitest';
import { closeAllConnections } from './raw-client.ts';

afterEach(() => {
  closeAllConnections();
});
