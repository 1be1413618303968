/**
 * The error every suite throws when a requirement is not met. It carries what the report needs
 * to teach: one sentence saying what went wrong, the bytes sent and received, where the first
 * wrong byte is, and a hint. Vitest copies these fields from the test worker to the checker.
 */
import { framingBasis, type Basis } from './basis.ts';
import { HINTS, type Symptom } from './hints.ts';

export interface FailureDetails {
  /** One sentence: "Expected status 200, got 404." */
  problem: string;
  /** What a correct server would have sent, when a sentence is not enough. */
  expected?: string;
  /** The bytes this connection sent, as latin1 text (one char per byte). */
  sent?: string;
  /** The bytes that came back, as latin1 text. */
  received?: string;
  /** Offset in `received` of the first wrong byte. */
  caret?: number;
  symptom?: Symptom;
  hint?: string;
  /**
   * Whose rule this failure breaks, when it is not the one the requirement's test options name:
   * a test that checks a course rule and an RFC MUST in one exchange says which one failed.
   */
  basis?: Basis;
}

export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
  readonly details: FailureDetails;

  constructor(details: FailureDetails) {
    super(details.problem);
    this.details = {
      ...details,
      hint: details.hint ?? (details.symptom ? HINTS[details.symptom] : undefined),
      basis: details.basis ?? framingBasis(details.symptom),
    };
  }
}

export function isFailureDetails(value: unknown): value is FailureDetails {
  return typeof value === 'object' && value !== null && typeof (value as FailureDetails).problem === 'string';
}
