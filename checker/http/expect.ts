/**
 * Readable expectations on a response: each one says "Expected X, got Y" in a sentence, shows the
 * bytes, and points the caret at the part of the response that is wrong.
 */
import type { Basis } from './basis.ts';
import { CheckFailure, type FailureDetails } from './check-failure.ts';
import type { Symptom } from './hints.ts';
import type { HttpResponse } from './raw-client.ts';

/** Fail with the response's own bytes attached. */
export function fail(response: HttpResponse, details: FailureDetails): never {
  throw new CheckFailure({
    sent: response.connection.sent.toString('latin1'),
    received: response.raw.toString('latin1'),
    ...details,
  });
}

const STATUS_OFFSET = 'HTTP/1.1 '.length;

/** `basis`: whose rule a failure of this expectation breaks, when it is not the test's own. */
interface ExpectOptions {
  because?: string;
  hint?: string;
  symptom?: Symptom;
  basis?: Basis;
}

export function expectStatus(response: HttpResponse, expected: number, options: ExpectOptions = {}): void {
  if (response.status === expected) return;
  fail(response, {
    problem: `Expected status ${expected}, got ${response.status}${options.because ? ` — ${options.because}` : '.'}`,
    caret: STATUS_OFFSET,
    symptom: options.symptom ?? (options.hint ? undefined : 'wrong-status'),
    hint: options.hint,
    basis: options.basis,
  });
}

/**
 * A status among several the RFCs allow. `allowed` is a list of codes, or a test with words for
 * the message ("a 4xx"); the status is returned, for the checks that depend on which one it was.
 */
export function expectStatusIn(
  response: HttpResponse,
  allowed: readonly number[] | { test: (status: number) => boolean; describe: string },
  options: ExpectOptions = {},
): number {
  const ok = Array.isArray(allowed) ? allowed.includes(response.status) : (allowed as { test: (status: number) => boolean }).test(response.status);
  if (ok) return response.status;
  const wanted = Array.isArray(allowed) ? `status ${allowed.slice(0, -1).join(', ')}${allowed.length > 1 ? ' or ' : ''}${allowed.at(-1)}` : (allowed as { describe: string }).describe;
  fail(response, {
    problem: `Expected ${wanted}, got ${response.status}${options.because ? ` — ${options.because}` : '.'}`,
    caret: STATUS_OFFSET,
    symptom: options.symptom ?? (options.hint ? undefined : 'wrong-status'),
    hint: options.hint,
    basis: options.basis,
  });
}

/** Where a field line starts in the raw response, for the caret. */
function fieldOffset(response: HttpResponse, name: string): number {
  const raw = response.raw.subarray(0, response.head.length).toString('latin1').toLowerCase();
  const at = raw.indexOf(`\r\n${name.toLowerCase()}:`);
  return at === -1 ? response.head.length - 2 : at + 2;
}

export function expectHeader(
  response: HttpResponse,
  name: string,
  expected: { test: (value: string) => boolean; describe: string; hint?: string; symptom?: Symptom; basis?: Basis },
): string {
  const value = response.header(name);
  if (value === undefined) {
    fail(response, {
      problem: `Expected a ${name} header (${expected.describe}), but the response has none.`,
      caret: response.head.length - 2,
      symptom: expected.symptom ?? (expected.hint ? undefined : 'missing-header'),
      hint: expected.hint,
      basis: expected.basis,
    });
  }
  if (!expected.test(value)) {
    fail(response, {
      problem: `Expected ${name} to be ${expected.describe}, got "${value}".`,
      caret: fieldOffset(response, name),
      symptom: expected.symptom,
      hint: expected.hint,
      basis: expected.basis,
    });
  }
  return value;
}

export function expectNoHeader(response: HttpResponse, name: string, because: string, hint?: string): void {
  const value = response.header(name);
  if (value === undefined) return;
  fail(response, { problem: `Expected no ${name} header — ${because} — but got "${name}: ${value}".`, caret: fieldOffset(response, name), hint });
}

export function expectBody(response: HttpResponse, expected: Buffer | string, describe: string, hint?: string): void {
  const wanted = typeof expected === 'string' ? Buffer.from(expected) : expected;
  if (response.body.equals(wanted)) return;
  const firstDifference = [...wanted].findIndex((byte, i) => response.body[i] !== byte);
  const at = firstDifference === -1 ? Math.min(wanted.length, response.body.length) : firstDifference;
  fail(response, {
    problem: `Expected the body to be ${describe} (${wanted.length} bytes), got ${response.body.length} bytes that differ from byte ${at} on.`,
    caret: response.head.length + at,
    hint,
  });
}
