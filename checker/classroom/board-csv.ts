/**
 * The room's progress as CSV, for the instructor to keep after the workshop (GET /export.csv).
 * RFC 4180 quoting, plus one guard spreadsheets need: a learner's name or a requirement that
 * starts with = + - @ would run as a formula when the file is opened, so it gets a leading '.
 */
import { findStage } from '../core/stages.ts';
import { boardLabels, stuckForMs, type RoomState } from './board-state.ts';

const COLUMNS = [
  'name',
  'stage',
  'stage title',
  'stages passed',
  'last check',
  'last check at',
  'failing requirement',
  'problem',
  'failing since',
  'stuck',
  'minutes on this stage',
  'checks',
  'joined at',
  'left',
] as const;

function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The name column is the board's label, so two learners who gave the same name stay two people. */
export function roomCsv(room: RoomState, now: number): string {
  const labels = boardLabels(room);
  const rows = room.learners.map((l) => {
    const check = l.lastCheck;
    const stage = l.stage === null ? undefined : findStage(l.stage);
    return [
      labels.get(l.id) ?? l.name,
      l.stage,
      stage?.title ?? null,
      l.passed.join(' '),
      check ? (check.ok ? 'passed' : 'failed') : 'no check yet',
      iso(check?.at ?? null),
      check && !check.ok ? (check.failed[0] ?? 'the server could not be checked') : null,
      check && !check.ok ? check.problem : null,
      iso(l.failingSince),
      stuckForMs(l, now, room.stuckMinutes * 60_000) === undefined ? 'no' : 'yes',
      l.stageSince === null ? null : Math.floor((now - l.stageSince) / 60_000),
      l.checks,
      iso(l.joinedAt),
      l.left ? 'yes' : 'no',
    ].map(cell).join(',');
  });
  return [COLUMNS.map(cell).join(','), ...rows].join('\r\n') + '\r\n';
}
