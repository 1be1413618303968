/**
 * Whose rule a requirement is. Every requirement of every suite says, in its test options, what
 * it rests on: a sentence of an RFC (its section and its level: MUST, SHOULD, MAY), or a rule of
 * this course (lessons/course-rules.ts: the lesson that sets it, and why). A learner should come
 * out knowing which rules are HTTP's and which are this course's, and a ✗ should never claim more
 * than its basis does.
 *
 *   test('answers 405 with Allow', must('RFC 9110 §15.5.6'), async () => { … });
 *   test('closes an idle connection', courseRule('idle-timeout'), async () => { … });
 *
 * The report shows the basis next to a failure, and `--json` carries it for every requirement.
 */
import { COURSE_RULES, type CourseRuleId } from '../../lessons/course-rules.ts';
import type { Symptom } from './hints.ts';

export type Level = 'MUST' | 'SHOULD' | 'MAY';

export type Basis =
  /** `cite` names the document and section: "RFC 9110 §15.5.6", "RFC 3986 §5.2.4". */
  | { kind: 'rfc'; cite: string; level: Level }
  | { kind: 'course'; rule: CourseRuleId };

declare module '@vitest/runner' {
  interface TaskMeta {
    basis?: Basis;
    /** On a suite file: the port of the server it ran against (suite-setup.ts), to tell lanes apart. */
    port?: number;
  }
}

/** Test options for a requirement that an RFC states with MUST (or MUST NOT). */
export function must(cite: string): { meta: { basis: Basis } } {
  return { meta: { basis: { kind: 'rfc', cite, level: 'MUST' } } };
}

/** Test options for a requirement that an RFC states with SHOULD (or SHOULD NOT). */
export function should(cite: string): { meta: { basis: Basis } } {
  return { meta: { basis: { kind: 'rfc', cite, level: 'SHOULD' } } };
}

/**
 * Test options for behaviour an RFC allows but does not require, which the lesson teaches: the
 * test accepts every answer the RFC allows, so a ✗ here means none of them was given.
 */
export function may(cite: string): { meta: { basis: Basis } } {
  return { meta: { basis: { kind: 'rfc', cite, level: 'MAY' } } };
}

/** Test options for a rule of this course, set by a lesson for a reason it gives. */
export function courseRule(rule: CourseRuleId): { meta: { basis: Basis } } {
  return { meta: { basis: { kind: 'course', rule } } };
}

const rfcMust = (cite: string): Basis => ({ kind: 'rfc', cite, level: 'MUST' });

/**
 * A response the client cannot even read breaks the grammar of HTTP messages, whatever the
 * requirement was about: such a failure rests on the framing rule it breaks, not on the test's.
 */
const FRAMING: Partial<Record<Symptom, Basis>> = {
  'not-http': rfcMust('RFC 9112 §4'),
  'lf-not-crlf': rfcMust('RFC 9112 §2.1'),
  'head-never-ends': rfcMust('RFC 9112 §2.1'),
  'bad-header-line': rfcMust('RFC 9112 §5'),
  'content-length-chars': rfcMust('RFC 9112 §6.3'),
  'body-too-short': rfcMust('RFC 9112 §6.3'),
  'body-too-long': rfcMust('RFC 9112 §6.3'),
  'bad-chunk': rfcMust('RFC 9112 §7.1'),
  'length-and-chunked': rfcMust('RFC 9112 §6.2'),
  'bad-date': rfcMust('RFC 9110 §5.6.7'),
};

export function framingBasis(symptom: Symptom | undefined): Basis | undefined {
  return symptom === undefined ? undefined : FRAMING[symptom];
}

/** A sentence for the report, under the first failure: whose rule this is, and how strong. */
export function describeBasis(basis: Basis): string {
  if (basis.kind === 'course') {
    const rule = courseRuleOf(basis);
    return `course rule, lesson ${rule.stage}: ${rule.why}`;
  }
  switch (basis.level) {
    case 'MUST':
      return `${basis.cite}, a MUST: every HTTP server has to do this.`;
    case 'SHOULD':
      return `${basis.cite}, a SHOULD: HTTP asks for this unless a server has a good reason not to.`;
    case 'MAY':
      return `${basis.cite} lets a server choose here, and every allowed answer passes: this one was none of them.`;
  }
}

/** A few words, for a failure shown in one line: "RFC 9110 §15.5.6, MUST" or "course rule, lesson 7". */
export function basisTag(basis: Basis): string {
  return basis.kind === 'rfc' ? `${basis.cite}, ${basis.level}` : `course rule, lesson ${courseRuleOf(basis).stage}`;
}

/** The basis as data, for `--json`: the course rule's lesson and reason spelt out. */
export function basisJson(basis: Basis): object {
  if (basis.kind === 'rfc') return basis;
  const rule = courseRuleOf(basis);
  return { kind: 'course', rule: basis.rule, lesson: rule.stage, text: rule.rule, why: rule.why };
}

/**
 * The rule a basis names. The type system keeps the names right; a suite edited while a check
 * runs (watch mode, a half-saved file) could still name one that is gone, and a report must not
 * crash over it.
 */
function courseRuleOf(basis: { rule: CourseRuleId }): { stage: number | string; rule: string; why: string } {
  return COURSE_RULES[basis.rule] ?? { stage: '?', rule: basis.rule, why: `a rule of the course named "${basis.rule}"` };
}
