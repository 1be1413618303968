/**
 * `npm run classroom`: the live progress board for a workshop.
 *
 *   npm run classroom [-- --host H --port P --stuck-minutes M --new-learners-per-minute N --new-room]
 *                                                                          the instructor starts the board
 *   npm run classroom -- join <address> <code> --name <name>               a learner joins the room
 *   npm run classroom -- leave | status                                     …leaves it, or sees where they stand
 *
 * This file only reads the arguments; checker/classroom/ does the work.
 */
import { DEFAULT_NEW_LEARNERS_PER_MINUTE } from '../classroom/board-server.ts';
import { DEFAULT_STUCK_MINUTES, validStuckMinutes } from '../classroom/board-state.ts';
import { joinRoom, leaveRoom, roomStatus } from '../classroom/join-room.ts';
import { classroomMessages } from '../classroom/messages.ts';
import { runBoard } from '../classroom/run-board.ts';
import { messages } from '../messages.ts';
import { UsageError, type Command } from './command.ts';

const BOARD_OPTIONS = ['host', 'port', 'stuck-minutes', 'new-learners-per-minute', 'new-room'] as const;

export const classroom: Command = {
  summary: 'Workshops: start the live progress board (instructor), or join, leave or check a room (learner)',
  usage: 'npm run classroom [-- join <address> <code> --name <name> | leave | status]',
  options: {
    name: { type: 'string', description: 'join: the name the instructor sees on the board' },
    host: { type: 'string', description: 'board: the address to listen on (default: all interfaces)' },
    port: { type: 'string', description: 'board: the port to listen on (default: 4000, or the next free one)' },
    'stuck-minutes': { type: 'string', description: `board: minutes on the same failure before a learner shows as stuck (default: the room's saved setting, ${DEFAULT_STUCK_MINUTES} for a new room)` },
    'new-learners-per-minute': { type: 'string', description: `board: new learners one network address may add a minute (default ${DEFAULT_NEW_LEARNERS_PER_MINUTE})` },
    'new-room': { type: 'boolean', description: 'board: start an empty room with a new code (the old one is kept in a file)' },
  },
  async run({ positionals, values }) {
    const [action, ...rest] = positionals;
    const usage = (detail: string) => new UsageError(messages.badOption(detail));

    if (action === undefined) {
      if (values.name !== undefined) throw usage(classroomMessages.onlyForJoin);
      return runBoard({
        host: values.host === undefined ? undefined : String(values.host),
        port: values.port === undefined ? undefined : port(String(values.port)),
        stuckMinutes: values['stuck-minutes'] === undefined ? undefined : minutes(String(values['stuck-minutes'])),
        newLearnersPerMinute: values['new-learners-per-minute'] === undefined ? undefined : perMinute(String(values['new-learners-per-minute'])),
        newRoom: Boolean(values['new-room']),
      });
    }

    const boardOption = BOARD_OPTIONS.find((option) => values[option] !== undefined);
    if (boardOption) throw usage(classroomMessages.onlyForBoard(boardOption));
    switch (action) {
      case 'join': {
        const [address, code, ...extra] = rest;
        if (address === undefined || code === undefined || extra.length > 0) throw new UsageError(classroomMessages.joinUsage);
        if (typeof values.name !== 'string') throw new UsageError(classroomMessages.nameMissing);
        return joinRoom(address, code, values.name);
      }
      case 'leave':
      case 'status':
        if (values.name !== undefined) throw usage(classroomMessages.onlyForJoin);
        if (rest.length > 0) throw usage(`"classroom ${action}" takes no other words, not "${rest.join(' ')}"`);
        return action === 'leave' ? leaveRoom() : roomStatus();
      default:
        throw usage(classroomMessages.unknownAction(action));
    }
  },
};

function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new UsageError(messages.badOption(classroomMessages.badPort(text)));
  return value;
}

function minutes(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !validStuckMinutes(value)) throw new UsageError(messages.badOption(classroomMessages.badMinutes(text)));
  return value;
}

function perMinute(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 1000) throw new UsageError(messages.badOption(classroomMessages.badPerMinute(text)));
  return value;
}
