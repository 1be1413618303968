/**
 * After each `npm run check` of the learner's own code: if they joined a room, send the result
 * to the board. One attempt with a one-second deadline; whatever happens, one quiet line and
 * never an exception, a changed exit code, or — with --json — a byte on stdout.
 *
 * What is sent is the stage, pass or fail, the test names of the failed requirements and the
 * first failure's one-sentence problem. Never code, never the server's output.
 */
import { startProblemText, type CheckReport } from '../ui/report.ts';
import { askBoard, type BoardOutcome } from './board-client.ts';
import { readMembership, type Membership } from './membership.ts';
import { classroomMessages as messages } from './messages.ts';
import { ENDPOINTS, LIMITS, PROTOCOL_VERSION, cleanText, type AcceptedAnswer, type ResultPayload } from './protocol.ts';

export const SEND_TIMEOUT_MS = 1000;

export function resultPayload(report: CheckReport, membership: Membership): ResultPayload {
  const failedStage = report.ok ? undefined : report.stages.find((s) => s.state === 'failed');
  const failed = failedStage?.requirements.filter((r) => r.state === 'failed') ?? [];
  const problem = report.startProblem ? startProblemText(report.startProblem, report) : failed[0]?.failure?.problem;
  return {
    v: PROTOCOL_VERSION,
    code: membership.code,
    learnerId: membership.learnerId,
    name: cleanText(membership.name, LIMITS.name),
    stage: report.stage.id,
    ok: report.ok,
    failedStage: report.ok ? null : (failedStage?.stage.id ?? report.stage.id),
    failed: failed.slice(0, LIMITS.failed).map((r) => cleanText(r.name, LIMITS.requirement)),
    problem: problem === undefined ? null : cleanText(problem, LIMITS.problem),
    startProblem: report.startProblem?.kind ?? null,
  };
}

function whyNotSent(outcome: Exclude<BoardOutcome, { kind: 'ok' }>): string {
  if (outcome.kind === 'unreachable') {
    if (outcome.reason === 'timeout') return messages.whyTimeout;
    if (outcome.reason === 'refused') return messages.whyRefused;
    if (outcome.reason === 'no-such-host') return messages.whyNoHost;
    return messages.whyOther(outcome.detail);
  }
  if (outcome.error === 'wrong-code') return messages.whyWrongCode;
  if (outcome.error === 'too-many-requests') return messages.whyBusy;
  if (outcome.error === 'room-full') return messages.whyRoomFull;
  if (outcome.error === 'removed') return messages.whyRemoved;
  if (outcome.error === 'too-many-new-learners') return messages.whyTooManyNew;
  return messages.whyNotUnderstood(outcome.status);
}

export async function sendResult(report: CheckReport, options: { json: boolean }): Promise<void> {
  try {
    const membership = readMembership();
    if (!membership) return;
    const outcome = await askBoard(membership.board, ENDPOINTS.result, { body: resultPayload(report, membership), timeoutMs: SEND_TIMEOUT_MS });
    // With --json, stdout is a machine's: the note goes to stderr, and only when something is wrong.
    if (outcome.kind === 'ok') {
      // The board's own name for the learner, "Ada (2)" when someone else is Ada too.
      const shownAs = (outcome.body as Partial<AcceptedAnswer>).shownAs;
      if (!options.json) console.log(messages.resultSent(typeof shownAs === 'string' ? cleanText(shownAs, LIMITS.name + 8) : membership.name));
    } else {
      (options.json ? console.error : console.log)(messages.resultNotSent(whyNotSent(outcome)));
    }
  } catch {
    // The board is a bonus: nothing about it may break a check.
  }
}
