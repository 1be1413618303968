/**
 * The learner's side of the room: workspace/classroom.json, written by `npm run classroom --
 * join` and removed by `leave`. It is kept apart from progress.json (which belongs to the
 * lesson commands) and holds only where the board is, the room code, the learner's name and a
 * random id that lets the board keep one row per learner across name changes and restarts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_DIR } from '../core/paths.ts';

export const MEMBERSHIP_FILE = path.join(WORKSPACE_DIR, 'classroom.json');

export interface Membership {
  version: 1;
  /** The board's origin, e.g. http://192.168.1.23:4000 */
  board: string;
  code: string;
  name: string;
  learnerId: string;
  joinedAt: string;
}

export function newLearnerId(): string {
  return randomBytes(12).toString('hex');
}

/** The learner's membership, or undefined when they have not joined (or the file is unreadable). */
export function readMembership(): Membership | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(MEMBERSHIP_FILE, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const data = raw as Record<string, unknown>;
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  const board = text('board');
  const code = text('code');
  const name = text('name');
  const learnerId = text('learnerId');
  if (!board || !code || !name || !learnerId || !/^[a-z0-9]{8,32}$/.test(learnerId)) return undefined;
  return { version: 1, board, code, name, learnerId, joinedAt: text('joinedAt') ?? '' };
}

export function writeMembership(membership: Membership): void {
  mkdirSync(WORKSPACE_DIR, { recursive: true });
  const temporary = `${MEMBERSHIP_FILE}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(membership, null, 2)}\n`);
  renameSync(temporary, MEMBERSHIP_FILE);
}

export function removeMembership(): void {
  rmSync(MEMBERSHIP_FILE, { force: true });
}
