/**
 * The board's state file (workspace/classroom-board.json on the instructor's machine), so a
 * restart of the laptop loses nothing: same room code, same learners, same times. Writes are
 * atomic (a temporary file renamed over the old one) and coalesced, so a busy room costs a few
 * small writes a second at most; close() and flushSync() write whatever is still pending.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_DIR } from '../core/paths.ts';
import { newRoom, normaliseRoom, type RoomState } from './board-state.ts';
import { newRoomCode } from './room-code.ts';

export const BOARD_STATE_FILE = path.join(WORKSPACE_DIR, 'classroom-board.json');

const WRITE_DELAY_MS = 250;

export interface OpenedStore {
  store: BoardStore;
  /** How the room came to be: picked up from the file, or new (and why). */
  origin: 'resumed' | 'new' | 'new-replacing-damaged' | 'new-archiving-old';
  /** Where a damaged or archived earlier file was moved. */
  movedTo?: string;
}

export class BoardStore {
  readonly file: string;
  readonly room: RoomState;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;

  constructor(file: string, room: RoomState) {
    this.file = file;
    this.room = room;
  }

  /** Note a change; it reaches the disk within WRITE_DELAY_MS. */
  changed(): void {
    this.#dirty = true;
    this.#timer ??= setTimeout(() => this.flushSync(), WRITE_DELAY_MS);
  }

  flushSync(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#dirty) return;
    this.#dirty = false;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.room, null, 1)}\n`);
    renameSync(temporary, this.file);
  }
}

function asideName(file: string, label: string): string {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '').replaceAll(':', '-');
  let target = file.replace(/\.json$/, `-${label}-${stamp}.json`);
  for (let n = 2; existsSync(target); n++) target = file.replace(/\.json$/, `-${label}-${stamp}-${n}.json`);
  return target;
}

/**
 * Open the room in `file`, or start a new one. A damaged file is moved aside, never deleted;
 * so is a finished room's file when the instructor asks for a new room.
 */
export function openBoardStore(file: string, options: { newRoom?: boolean; now?: number } = {}): OpenedStore {
  const now = options.now ?? Date.now();
  const fresh = () => new BoardStore(file, newRoom(newRoomCode(), now));
  if (!existsSync(file)) {
    const opened: OpenedStore = { store: fresh(), origin: 'new' };
    opened.store.changed();
    return opened;
  }
  if (options.newRoom) {
    const movedTo = asideName(file, 'ended');
    renameSync(file, movedTo);
    const opened: OpenedStore = { store: fresh(), origin: 'new-archiving-old', movedTo };
    opened.store.changed();
    return opened;
  }
  let room: RoomState | undefined;
  try {
    room = normaliseRoom(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    room = undefined;
  }
  if (room) return { store: new BoardStore(file, room), origin: 'resumed' };
  const movedTo = asideName(file, 'damaged');
  renameSync(file, movedTo);
  const opened: OpenedStore = { store: fresh(), origin: 'new-replacing-damaged', movedTo };
  opened.store.changed();
  return opened;
}
