/**
 * What a learner's checker and the classroom board say to each other, and the limits the board
 * holds every field to. Both sides import this file: the checker trims what it sends to these
 * limits, and the board parses whatever arrives as untrusted input from a shared network.
 */

export const PROTOCOL_VERSION = 1;

export const LIMITS = {
  /** Bytes of one request body; a result is a few hundred bytes, so this is generous. */
  bodyBytes: 8 * 1024,
  name: 40,
  code: 32,
  learnerId: 32,
  requirement: 160,
  problem: 300,
  /** Names of failed requirements kept per result. */
  failed: 12,
} as const;

export const ENDPOINTS = {
  join: '/api/join',
  result: '/api/result',
  leave: '/api/leave',
  ping: '/api/ping',
  /** The instructor's page only: take a learner off the board, and change the room's settings. */
  remove: '/api/remove',
  settings: '/api/settings',
} as const;

/** The header the instructor's page sends its token in (a custom header: no form can send one). */
export const INSTRUCTOR_TOKEN_HEADER = 'x-board-token';

/** The board's answer to a join or a result: how it shows the learner. */
export interface AcceptedAnswer {
  ok: true;
  /** The learner's name, numbered ("Ada (2)") when an earlier learner on the board has the same one. */
  shownAs: string;
  sameName: boolean;
}

/** Sent by `npm run classroom -- join`, so the learner learns at once whether the code is right. */
export interface JoinPayload {
  v: number;
  code: string;
  learnerId: string;
  name: string;
  /** The stage the learner is on when they join, when they have started one. */
  stage: number | null;
}

/** Sent after every `npm run check` of the learner's own code. Never code, never output. */
export interface ResultPayload {
  v: number;
  code: string;
  learnerId: string;
  name: string;
  /** The stage that was checked. */
  stage: number;
  ok: boolean;
  /** The stage whose suite failed: the checked one, or an earlier one that used to pass. */
  failedStage: number | null;
  /** Test names of the failed requirements, first failure first. */
  failed: string[];
  /** The first failure's one-sentence problem. */
  problem: string | null;
  /** Set when the server could not be checked at all (it never listened, it crashed…). */
  startProblem: string | null;
}

export interface LeavePayload {
  v: number;
  code: string;
  learnerId: string;
}

/** Why the board turned a request down: the checker maps each to its own sentence. */
export type RejectionKind =
  | 'wrong-code'
  | 'bad-json'
  | 'bad-field'
  | 'too-large'
  | 'too-many-requests'
  | 'room-full'
  | 'removed'
  | 'too-many-new-learners'
  | 'not-instructor'
  | 'wrong-content-type'
  | 'not-found'
  | 'method-not-allowed';

export interface Rejection {
  error: RejectionKind;
  message: string;
}

const LEARNER_ID = /^[a-z0-9]{8,32}$/;

/**
 * Text from the network, made safe to keep: no control or bidirectional-override characters
 * (they can disguise a name), whitespace collapsed, at most `max` characters. Escaping for HTML
 * is the page's job, which only ever sets textContent.
 */
export function cleanText(value: string, max: number): string {
  const cleaned = value
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(cleaned);
  return chars.length <= max ? cleaned : `${chars.slice(0, max - 1).join('')}…`;
}

/** Room codes are read aloud and typed by hand: compare without case, spaces or dashes. */
export function normaliseCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '');
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

function record(raw: unknown): Record<string, unknown> | undefined {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

function common(data: Record<string, unknown>): Parsed<{ code: string; learnerId: string }> {
  if (data.v !== PROTOCOL_VERSION) return fail(`"v" must be ${PROTOCOL_VERSION}`);
  if (typeof data.code !== 'string' || data.code.length > LIMITS.code) return fail('"code" must be a short string');
  if (typeof data.learnerId !== 'string' || !LEARNER_ID.test(data.learnerId)) return fail('"learnerId" must be 8 to 32 lowercase letters or digits');
  return { ok: true, value: { code: data.code, learnerId: data.learnerId } };
}

function name(data: Record<string, unknown>): Parsed<string> {
  // Checked before cleaning so a megabyte name is refused, not cut down after the fact.
  if (typeof data.name !== 'string' || data.name.length > LIMITS.name * 4) return fail('"name" must be a short string');
  const cleaned = cleanText(data.name, LIMITS.name);
  return cleaned ? { ok: true, value: cleaned } : fail('"name" must not be empty');
}

function stageId(value: unknown, stageCount: number, nullable: boolean): Parsed<number | null> {
  if (value === null && nullable) return { ok: true, value: null };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= stageCount) return { ok: true, value };
  return fail(`a stage must be a whole number from 1 to ${stageCount}`);
}

function optionalText(value: unknown, max: number, field: string): Parsed<string | null> {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (typeof value !== 'string' || value.length > max * 4) return fail(`"${field}" must be a short string`);
  return { ok: true, value: cleanText(value, max) || null };
}

export function parseJoin(raw: unknown, stageCount: number): Parsed<JoinPayload> {
  const data = record(raw);
  if (!data) return fail('the body must be a JSON object');
  const base = common(data);
  if (!base.ok) return base;
  const learnerName = name(data);
  if (!learnerName.ok) return learnerName;
  const stage = stageId(data.stage ?? null, stageCount, true);
  if (!stage.ok) return stage;
  return { ok: true, value: { v: PROTOCOL_VERSION, ...base.value, name: learnerName.value, stage: stage.value } };
}

export function parseResult(raw: unknown, stageCount: number): Parsed<ResultPayload> {
  const data = record(raw);
  if (!data) return fail('the body must be a JSON object');
  const base = common(data);
  if (!base.ok) return base;
  const learnerName = name(data);
  if (!learnerName.ok) return learnerName;
  const stage = stageId(data.stage, stageCount, false);
  if (!stage.ok) return stage;
  if (typeof data.ok !== 'boolean') return fail('"ok" must be true or false');
  const failedStage = stageId(data.failedStage ?? null, stageCount, true);
  if (!failedStage.ok) return failedStage;
  if (!Array.isArray(data.failed) || data.failed.length > LIMITS.failed * 4) return fail('"failed" must be a short list of requirement names');
  const failed: string[] = [];
  for (const item of data.failed.slice(0, LIMITS.failed)) {
    if (typeof item !== 'string' || item.length > LIMITS.requirement * 4) return fail('"failed" must hold short strings');
    const cleaned = cleanText(item, LIMITS.requirement);
    if (cleaned) failed.push(cleaned);
  }
  const problem = optionalText(data.problem, LIMITS.problem, 'problem');
  if (!problem.ok) return problem;
  const startProblem = optionalText(data.startProblem, 40, 'startProblem');
  if (!startProblem.ok) return startProblem;
  return {
    ok: true,
    value: {
      v: PROTOCOL_VERSION,
      ...base.value,
      name: learnerName.value,
      stage: stage.value as number,
      ok: data.ok,
      failedStage: data.ok ? null : failedStage.value,
      failed: data.ok ? [] : failed,
      problem: data.ok ? null : problem.value,
      startProblem: data.ok ? null : startProblem.value,
    },
  };
}

export function parseLeave(raw: unknown): Parsed<LeavePayload> {
  const data = record(raw);
  if (!data) return fail('the body must be a JSON object');
  const base = common(data);
  if (!base.ok) return base;
  return { ok: true, value: { v: PROTOCOL_VERSION, ...base.value } };
}
