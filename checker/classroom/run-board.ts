/**
 * `npm run classroom` for the instructor: open (or resume) the room, start the board where the
 * instructor said, print what to give the room, and run until Ctrl-C — then save and stop.
 * It opens nothing else: no browser, no outside connection.
 */
import { displayPath } from '../core/paths.ts';
import { style } from '../ui/style.ts';
import { hostPort, isAllInterfaces, isLoopback, roomAddresses } from './addresses.ts';
import { DEFAULT_NEW_LEARNERS_PER_MINUTE, newLearnerLimit, startBoard, type BoardEvent, type RunningBoard } from './board-server.ts';
import { runningBoard, takeLock } from './board-lock.ts';
import { BOARD_STATE_FILE, openBoardStore } from './board-store.ts';
import { classroomMessages as messages } from './messages.ts';

export interface RunBoardOptions {
  host: string | undefined;
  /** undefined: 4000, or the next free port. */
  port: number | undefined;
  /** undefined: the room's saved threshold (10 minutes for a new room). */
  stuckMinutes: number | undefined;
  /** undefined: DEFAULT_NEW_LEARNERS_PER_MINUTE. */
  newLearnersPerMinute: number | undefined;
  newRoom: boolean;
}

function eventLine(event: BoardEvent): string {
  switch (event.kind) {
    case 'joined':
      return messages.joined(event.name, event.learners);
    case 'left':
      return messages.left(event.name, event.learners);
    case 'removed':
      return messages.removed(event.name, event.learners);
    case 'same-name':
      return messages.sameNameOnBoard(event.name, event.shownAs);
    case 'stuck-minutes':
      return messages.stuckChanged(event.minutes);
  }
}

export const DEFAULT_PORT = 4000;

export async function runBoard(options: RunBoardOptions): Promise<number> {
  const running = runningBoard(BOARD_STATE_FILE);
  if (running) {
    console.error(messages.alreadyRunning(running.pid, running.port));
    return 1;
  }
  const opened = openBoardStore(BOARD_STATE_FILE, { newRoom: options.newRoom });
  const { store } = opened;
  const room = store.room;
  const time = () => new Date().toTimeString().slice(0, 5);
  const newLearnersPerMinute = options.newLearnersPerMinute ?? DEFAULT_NEW_LEARNERS_PER_MINUTE;

  let board: RunningBoard;
  try {
    board = await startBoard({
      store,
      host: options.host,
      port: options.port ?? DEFAULT_PORT,
      portFallback: options.port === undefined,
      stuckMinutes: options.stuckMinutes,
      limits: { newLearners: newLearnerLimit(newLearnersPerMinute) },
      joinAddresses: (port) => roomAddresses(options.host, port),
      onEvent: (event) => console.log(`${style.dim(time())}  ${eventLine(event)}`),
    });
  } catch (error) {
    store.flushSync();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') console.error(messages.portTaken(options.port ?? DEFAULT_PORT));
    else console.error(messages.cannotListen(options.host ?? 'all interfaces', code ?? (error as Error).message));
    return 1;
  }

  store.flushSync();
  const releaseLock = takeLock(store.file, board.port);
  const addresses = roomAddresses(options.host, board.port);
  // The instructor's own view: loopback when the board listens there, else the named address with the code.
  const localView = isAllInterfaces(options.host) || isLoopback(options.host!)
    ? `http://${hostPort(isAllInterfaces(options.host) ? '127.0.0.1' : options.host!, board.port)}/`
    : `http://${hostPort(options.host!, board.port)}/#code=${room.code}`;

  const out: string[] = [style.heading(messages.boardTitle), '', messages.roomCode(room.code), ''];
  if (addresses.length === 0 || (options.host !== undefined && isLoopback(options.host))) {
    out.push(style.warn(addresses.length === 0 ? messages.noNetwork : messages.onlyThisMachine(options.host!)), '');
  }
  const shown = addresses.length > 0 ? addresses : [hostPort('127.0.0.1', board.port)];
  out.push(messages.learnersType, ...shown.map((address) => `  ${messages.learnerCommand(address, room.code)}`));
  if (shown.length > 1) out.push(style.dim(messages.severalNetworks));
  out.push(
    '',
    messages.boardPage(localView),
    messages.exportCsv(localView.replace(/\/(#.*)?$/, `/export.csv${localView.includes('#code=') ? `?code=${room.code}` : ''}`)),
    messages.listening(isAllInterfaces(options.host) ? 'all interfaces' : options.host!, board.port),
    messages.stateFile(displayPath(store.file), opened.origin, room.learners.length),
  );
  if (opened.movedTo) out.push(messages.movedAside(displayPath(opened.movedTo), opened.origin === 'new-replacing-damaged' ? 'damaged' : 'ended'));
  out.push(messages.stuckAfter(room.stuckMinutes), messages.newLearnersLimit(newLearnersPerMinute), messages.removeHint, '', style.dim(messages.stopHint), '');
  console.log(out.join('\n'));

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGHUP', resolve);
  });
  await board.close();
  releaseLock();
  console.log(`\n${messages.boardStopped(displayPath(store.file))}`);
  return 0;
}
