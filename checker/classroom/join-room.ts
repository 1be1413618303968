/**
 * The learner's classroom commands: join a room (checked against the board at once, so a
 * mistyped code or address is found now, not at the first check), leave it, and see where they
 * stand. Joining is remembered in workspace/classroom.json; send-result.ts reads it.
 */
import { readProgress } from '../core/progress.ts';
import { askBoard, type BoardOutcome } from './board-client.ts';
import { parseBoardAddress } from './board-address.ts';
import { newLearnerId, readMembership, removeMembership, writeMembership } from './membership.ts';
import { classroomMessages as messages } from './messages.ts';
import { ENDPOINTS, LIMITS, PROTOCOL_VERSION, cleanText, type AcceptedAnswer, type JoinPayload } from './protocol.ts';

/** Joining is interactive, so it may wait a little longer than a check's one second. */
const JOIN_TIMEOUT_MS = 3000;
const QUICK_TIMEOUT_MS = 1000;

function unreachableReason(outcome: Extract<BoardOutcome, { kind: 'unreachable' }>): string {
  if (outcome.reason === 'timeout') return 'no answer within a few seconds';
  if (outcome.reason === 'refused') return 'nothing is listening there';
  if (outcome.reason === 'no-such-host') return 'that name is not known on this network';
  return outcome.detail;
}

/** Returns the exit code; the caller has already checked the arguments are there. */
export async function joinRoom(address: string, code: string, name: string): Promise<number> {
  const parsed = parseBoardAddress(address);
  if (!parsed.ok) {
    console.error(messages.badAddress(parsed.reason));
    return 2;
  }
  const cleanName = cleanText(name, LIMITS.name);
  if (!cleanName) {
    console.error(messages.nameMissing);
    return 2;
  }
  const board = parsed.origin;
  const cleanCode = code.trim().slice(0, LIMITS.code);
  // Keep the learner's id across joins, so the board keeps one row for them.
  const learnerId = readMembership()?.learnerId ?? newLearnerId();
  const payload: JoinPayload = { v: PROTOCOL_VERSION, code: cleanCode, learnerId, name: cleanName, stage: readProgress().current ?? null };
  const outcome = await askBoard(board, ENDPOINTS.join, { body: payload, timeoutMs: JOIN_TIMEOUT_MS });

  if (outcome.kind === 'unreachable') {
    console.error(messages.unreachable(board, unreachableReason(outcome)));
    return 1;
  }
  if (outcome.kind === 'rejected') {
    if (outcome.error === 'wrong-code') console.error(messages.wrongCode(board, cleanCode));
    else if (outcome.error === 'room-full') console.error(messages.roomFull);
    else if (outcome.error === 'removed') console.error(messages.removedFromRoom);
    else if (outcome.error === 'too-many-new-learners') console.error(messages.tooManyNewLearners);
    else if (outcome.error === 'too-many-requests') console.error(messages.slowDown);
    else if (outcome.error === 'unknown') console.error(messages.notABoard(board, outcome.status));
    else console.error(messages.boardRefused(board, `${outcome.error}, HTTP ${outcome.status}`));
    return 1;
  }
  writeMembership({ version: 1, board, code: cleanCode, name: cleanName, learnerId, joinedAt: new Date().toISOString() });
  console.log(messages.joinedRoom(board, cleanName));
  const answer = outcome.body as Partial<AcceptedAnswer>;
  if (answer.sameName === true && typeof answer.shownAs === 'string') {
    console.log(`\n${messages.sameName(cleanName, cleanText(answer.shownAs, LIMITS.name + 8), address, code)}`);
  }
  return 0;
}

export async function leaveRoom(): Promise<number> {
  const membership = readMembership();
  if (!membership) {
    console.log(messages.notInRoom);
    return 0;
  }
  // Tell the board, if it is there; leaving must work without it.
  await askBoard(membership.board, ENDPOINTS.leave, {
    body: { v: PROTOCOL_VERSION, code: membership.code, learnerId: membership.learnerId },
    timeoutMs: QUICK_TIMEOUT_MS,
  });
  removeMembership();
  console.log(messages.leftRoom(membership.board));
  return 0;
}

export async function roomStatus(): Promise<number> {
  const membership = readMembership();
  if (!membership) {
    console.log(messages.notInRoom);
    return 0;
  }
  const since = membership.joinedAt ? new Date(membership.joinedAt).toLocaleString() : '';
  console.log(messages.status(membership.board, membership.name, membership.code, since === 'Invalid Date' ? '' : since));
  const ping = await askBoard(membership.board, ENDPOINTS.ping, { timeoutMs: QUICK_TIMEOUT_MS });
  console.log(ping.kind === 'ok' ? messages.boardAnswering : messages.boardNotAnswering(ping.kind === 'unreachable' ? unreachableReason(ping) : `HTTP ${ping.status}`));
  return 0;
}
