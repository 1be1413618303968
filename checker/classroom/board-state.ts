/**
 * The room as the board knows it: one record per learner, changed only by the three things a
 * learner's checker can say (join, result, leave). Pure functions over plain data, so the state
 * file is this object as JSON and the tests need no server. Times are the board's clock, never
 * the learner's: laptops in a room disagree about the time.
 */
import { createHash } from 'node:crypto';
import { stages } from '../core/stages.ts';
import type { JoinPayload, LeavePayload, ResultPayload } from './protocol.ts';

export const STATE_VERSION = 1;
/** A room bigger than any workshop; the cap keeps a flood of made-up learners from growing the board. */
export const MAX_LEARNERS = 200;
/** Ids the instructor removed, remembered so a removed learner's next check does not bring the row back. */
export const MAX_REMOVED = 1000;
/** Minutes on the same failure before a learner shows as stuck, until the instructor changes it. */
export const DEFAULT_STUCK_MINUTES = 10;
export const STUCK_MINUTES_RANGE = { min: 1, max: 240 } as const;

export interface LastCheck {
  at: number;
  ok: boolean;
  failedStage: number | null;
  failed: string[];
  problem: string | null;
  startProblem: string | null;
}

export interface LearnerRecord {
  /** The learner's private id (from their classroom.json). Never shown or sent to a page. */
  id: string;
  name: string;
  joinedAt: number;
  lastSeenAt: number;
  stage: number | null;
  stageSince: number | null;
  lastCheck: LastCheck | null;
  /** Since when the same first requirement has been failing; null while passing. */
  failingSince: number | null;
  passed: number[];
  checks: number;
  left: boolean;
}

export interface RoomState {
  version: number;
  code: string;
  createdAt: number;
  /** The room's one stuck threshold: the page, the live stream and the CSV export all use it. */
  stuckMinutes: number;
  learners: LearnerRecord[];
  /** Private ids of learners the instructor removed (oldest first, at most MAX_REMOVED). */
  removed: string[];
}

export type ChangeOutcome = 'changed' | 'room-full' | 'removed';

export function newRoom(code: string, now: number, stuckMinutes = DEFAULT_STUCK_MINUTES): RoomState {
  return { version: STATE_VERSION, code, createdAt: now, stuckMinutes, learners: [], removed: [] };
}

export function validStuckMinutes(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= STUCK_MINUTES_RANGE.min && value <= STUCK_MINUTES_RANGE.max;
}

/** Whether a join or result from `id` would add a row (for the per-address limit on new learners). */
export function isNewLearner(room: RoomState, id: string): boolean {
  return !room.learners.some((l) => l.id === id) && !room.removed.includes(id);
}

function findOrAdd(room: RoomState, id: string, name: string, now: number): LearnerRecord | 'room-full' | 'removed' {
  if (room.removed.includes(id)) return 'removed';
  let learner = room.learners.find((l) => l.id === id);
  if (!learner) {
    if (room.learners.length >= MAX_LEARNERS) return 'room-full';
    learner = { id, name, joinedAt: now, lastSeenAt: now, stage: null, stageSince: null, lastCheck: null, failingSince: null, passed: [], checks: 0, left: false };
    room.learners.push(learner);
  }
  learner.name = name;
  learner.lastSeenAt = now;
  learner.left = false;
  return learner;
}

function moveTo(learner: LearnerRecord, stage: number, now: number): void {
  if (learner.stage === stage) return;
  learner.stage = stage;
  learner.stageSince = now;
}

export function applyJoin(room: RoomState, join: JoinPayload, now: number): ChangeOutcome {
  const learner = findOrAdd(room, join.learnerId, join.name, now);
  if (typeof learner === 'string') return learner;
  if (join.stage !== null) moveTo(learner, join.stage, now);
  return 'changed';
}

/** What "the same failure" means: the same requirement of the same stage (or the same start-up problem). */
function failureKey(check: LastCheck): string {
  return `${check.failedStage}:${check.failed[0] ?? `start:${check.startProblem ?? ''}`}`;
}

export function applyResult(room: RoomState, result: ResultPayload, now: number): ChangeOutcome {
  const learner = findOrAdd(room, result.learnerId, result.name, now);
  if (typeof learner === 'string') return learner;
  const previous = learner.lastCheck;
  const movedStage = learner.stage !== result.stage;
  moveTo(learner, result.stage, now);
  const check: LastCheck = {
    at: now,
    ok: result.ok,
    failedStage: result.failedStage,
    failed: result.failed,
    problem: result.problem,
    startProblem: result.startProblem,
  };
  if (check.ok) {
    learner.failingSince = null;
    if (!learner.passed.includes(result.stage)) learner.passed = [...learner.passed, result.stage].sort((a, b) => a - b);
  } else if (movedStage || !previous || previous.ok || failureKey(previous) !== failureKey(check) || learner.failingSince === null) {
    learner.failingSince = now;
  }
  learner.lastCheck = check;
  learner.checks += 1;
  return 'changed';
}

export function applyLeave(room: RoomState, leave: LeavePayload, now: number): boolean {
  const learner = room.learners.find((l) => l.id === leave.learnerId);
  if (!learner || learner.left) return false;
  learner.left = true;
  learner.lastSeenAt = now;
  return true;
}

/**
 * The instructor takes a learner off the board (a duplicate, a test, a prank). Their place is
 * freed, and their id is remembered so their next check is refused instead of re-adding them.
 */
export function removeLearner(room: RoomState, key: string): LearnerRecord | undefined {
  const index = room.learners.findIndex((l) => publicKey(l.id) === key);
  if (index === -1) return undefined;
  const [learner] = room.learners.splice(index, 1);
  room.removed.push(learner!.id);
  if (room.removed.length > MAX_REMOVED) room.removed.splice(0, room.removed.length - MAX_REMOVED);
  return learner;
}

const nameKey = (name: string) => name.normalize('NFC').toLocaleLowerCase('en');

/**
 * What the board calls each learner: their name, and for a second (third…) learner under a
 * name already on the board, that name with a number, "Ada (2)", in the order they joined.
 * Names are compared without case. A number is never one another learner already uses.
 */
export function boardLabels(room: RoomState): Map<string, string> {
  const labels = new Map<string, string>();
  const taken = new Set(room.learners.map((l) => nameKey(l.name)));
  const seen = new Map<string, number>();
  const ordered = [...room.learners].sort((a, b) => a.joinedAt - b.joinedAt);
  for (const learner of ordered) {
    const key = nameKey(learner.name);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count === 1) {
      labels.set(learner.id, learner.name);
      continue;
    }
    let n = count;
    while (taken.has(nameKey(`${learner.name} (${n})`))) n += 1;
    const label = `${learner.name} (${n})`;
    taken.add(nameKey(label));
    labels.set(learner.id, label);
  }
  return labels;
}

/** How the board shows `id`, and whether someone who joined before them has the same name. */
export function labelOf(room: RoomState, id: string): { shownAs: string; sameName: boolean } | undefined {
  const learner = room.learners.find((l) => l.id === id);
  if (!learner) return undefined;
  const shownAs = boardLabels(room).get(id) ?? learner.name;
  return { shownAs, sameName: shownAs !== learner.name };
}

/** Stuck: the same requirement has been failing for at least the threshold. */
export function stuckForMs(learner: LearnerRecord, now: number, thresholdMs: number): number | undefined {
  if (learner.left || !learner.lastCheck || learner.lastCheck.ok || learner.failingSince === null) return undefined;
  const failingFor = now - learner.failingSince;
  return failingFor >= thresholdMs ? failingFor : undefined;
}

// ---------------------------------------------------------------------------------------------
// What a page sees.

export interface LearnerView {
  /** A stable key for the page's rows that does not reveal the learner's id. */
  key: string;
  /** The name the learner gave. */
  name: string;
  /** What the board shows: the name, numbered when an earlier learner has the same one. */
  label: string;
  stage: number | null;
  stageSince: number | null;
  lastCheck: LastCheck | null;
  failingSince: number | null;
  passed: number[];
  checks: number;
  left: boolean;
}

export interface Snapshot {
  serverNow: number;
  stuckMinutes: number;
  stages: { id: number; title: string }[];
  learners: LearnerView[];
}

export function publicKey(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 12);
}

export function snapshot(room: RoomState, now: number): Snapshot {
  const labels = boardLabels(room);
  return {
    serverNow: now,
    stuckMinutes: room.stuckMinutes,
    stages: stages.map((s) => ({ id: s.id, title: s.title })),
    learners: room.learners.map((l) => ({
      key: publicKey(l.id),
      name: l.name,
      label: labels.get(l.id) ?? l.name,
      stage: l.stage,
      stageSince: l.stageSince,
      lastCheck: l.lastCheck,
      failingSince: l.failingSince,
      passed: l.passed,
      checks: l.checks,
      left: l.left,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading a state file back: it may be old, hand-edited or damaged, so keep only what makes sense.

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const stageOrNull = (v: unknown): number | null => (isNumber(v) && stages.some((s) => s.id === v) ? v : null);

export function normaliseRoom(raw: unknown): RoomState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const data = raw as Record<string, unknown>;
  if (!isString(data.code) || !data.code || !isNumber(data.createdAt) || !Array.isArray(data.learners)) return undefined;
  const learners: LearnerRecord[] = [];
  for (const item of data.learners.slice(0, MAX_LEARNERS)) {
    if (typeof item !== 'object' || item === null) continue;
    const l = item as Record<string, unknown>;
    if (!isString(l.id) || !isString(l.name) || learners.some((other) => other.id === l.id)) continue;
    const c = (typeof l.lastCheck === 'object' && l.lastCheck !== null ? l.lastCheck : undefined) as Record<string, unknown> | undefined;
    const lastCheck: LastCheck | null = c && isNumber(c.at) && typeof c.ok === 'boolean'
      ? {
          at: c.at,
          ok: c.ok,
          failedStage: stageOrNull(c.failedStage),
          failed: Array.isArray(c.failed) ? c.failed.filter(isString) : [],
          problem: isString(c.problem) ? c.problem : null,
          startProblem: isString(c.startProblem) ? c.startProblem : null,
        }
      : null;
    learners.push({
      id: l.id,
      name: l.name,
      joinedAt: isNumber(l.joinedAt) ? l.joinedAt : data.createdAt,
      lastSeenAt: isNumber(l.lastSeenAt) ? l.lastSeenAt : data.createdAt,
      stage: stageOrNull(l.stage),
      stageSince: isNumber(l.stageSince) ? l.stageSince : null,
      lastCheck,
      failingSince: isNumber(l.failingSince) ? l.failingSince : null,
      passed: Array.isArray(l.passed) ? l.passed.map(stageOrNull).filter((v): v is number => v !== null) : [],
      checks: isNumber(l.checks) ? l.checks : 0,
      left: l.left === true,
    });
  }
  const removed = Array.isArray(data.removed) ? data.removed.filter(isString).slice(-MAX_REMOVED) : [];
  const stuckMinutes = validStuckMinutes(data.stuckMinutes) ? data.stuckMinutes : DEFAULT_STUCK_MINUTES;
  return { version: STATE_VERSION, code: data.code, createdAt: data.createdAt, stuckMinutes, learners: learners.filter((l) => !removed.includes(l.id)), removed };
}
