/**
 * Every sentence classroom mode says in the terminal, in one place, each naming the next thing
 * to run. (Kept apart from checker/messages.ts so the two can change without stepping on
 * each other.)
 */
import { style } from '../ui/style.ts';

const cmd = style.command;
const JOIN = 'npm run classroom -- join <address> <code> --name <your name>';

export const classroomMessages = {
  // --- the instructor's board
  boardTitle: 'Classroom board · From Socket to Server',
  roomCode: (code: string) => `Room code:  ${style.strong(code)}`,
  learnersType: 'Learners type (on the same network as this machine):',
  severalNetworks: 'This machine is on several networks: give the room the address of the one they share.',
  learnerCommand: (address: string, code: string) => cmd(`npm run classroom -- join ${address} ${code} --name "Your name"`),
  noNetwork:
    'This machine has no network address besides itself, so other machines cannot reach the board yet. Join the room\'s network (Wi-Fi or cable), then run npm run classroom again.',
  onlyThisMachine: (host: string) => `The board listens on ${host} only, so other machines cannot reach it. To let the room in, run ${cmd('npm run classroom')} without --host.`,
  boardPage: (url: string) => `The board:  ${style.path(url)}   ${style.dim('(open it here, and project it)')}`,
  exportCsv: (url: string) => `CSV export: ${style.path(url)}`,
  listening: (where: string, port: number) => `Listening on ${where}, port ${port}.`,
  stateFile: (file: string, origin: 'resumed' | 'new' | 'new-replacing-damaged' | 'new-archiving-old', learners: number) =>
    origin === 'resumed'
      ? `Picked up the room from ${style.path(file)} (${learners} ${learners === 1 ? 'learner' : 'learners'}): same code, nobody needs to join again. ${cmd('npm run classroom -- --new-room')} starts an empty room.`
      : `The room is saved in ${style.path(file)}, so restarting the board loses nothing.`,
  movedAside: (file: string, why: 'damaged' | 'ended') =>
    why === 'damaged'
      ? style.warn(`The board's state file could not be read; it was moved to ${file} and a new room started.`)
      : `The previous room's file was kept as ${style.path(file)}.`,
  stuckAfter: (minutes: number) =>
    `Learners failing the same requirement for ${minutes} minutes or more are shown as stuck, at the top. Change it on the board page (it is one setting for the whole room, kept with the room), or with --stuck-minutes.`,
  newLearnersLimit: (perMinute: number) =>
    `One address may add ${perMinute} new learners a minute (a room behind one router shares an address). For a bigger room joining all at once: ${cmd(`npm run classroom -- --new-learners-per-minute ${Math.max(perMinute * 2, 100)}`)}.`,
  removeHint: 'To take a learner off the board (a duplicate, a test), use Remove on their row, on the board page on this machine.',
  removed: (name: string, learners: number) => `${name} was removed from the board ${style.dim(`(${learners} in the room)`)}`,
  sameNameOnBoard: (name: string, shownAs: string) => style.warn(`Another learner also joined as ${name}: the board shows them as ${shownAs}. They were told, and can join again with another name.`),
  stuckChanged: (minutes: number) => `Stuck threshold set to ${minutes} minutes on the board page.`,
  stopHint: 'Press Ctrl-C to stop the board.',
  portTaken: (port: number) => `Port ${port} is already in use. Choose another with ${cmd('npm run classroom -- --port 4100')}, or leave out --port to let the board find a free one.`,
  cannotListen: (host: string, detail: string) =>
    `The board could not listen on ${host} (${detail}). Is that one of this machine's addresses? Run ${cmd('npm run classroom')} without --host to listen on all of them.`,
  joined: (name: string, learners: number) => `${name} joined ${style.dim(`(${learners} in the room)`)}`,
  left: (name: string, learners: number) => `${name} left ${style.dim(`(${learners} in the room)`)}`,
  alreadyRunning: (pid: number, port: number) =>
    `A board for this room is already running (process ${pid}, port ${port}): it is at ${style.path(`http://127.0.0.1:${port}/`)}. Stop it with Ctrl-C in its terminal before starting another.`,
  boardStopped: (file: string) => `Board stopped. The room is saved in ${style.path(file)}; ${cmd('npm run classroom')} picks it up again.`,

  // --- the learner's side
  joinUsage: `To join a room: ${cmd(JOIN)}. The instructor's screen shows the address and the code.`,
  nameMissing: `Say the name the instructor should see: ${cmd(JOIN)}.`,
  badAddress: (reason: string) => `That address does not work: ${reason}. Copy it from the instructor's screen, like ${cmd('npm run classroom -- join 192.168.1.23:4000 rakovi-07 --name Ada')}.`,
  joinedRoom: (board: string, name: string) =>
    `You joined the room at ${board} as ${style.strong(name)}.\nFrom now on every ${cmd('npm run check')} also sends the board its result: the stage, pass or fail, the names of the requirements that failed and the first problem sentence. Never your code, never your server's output. ${cmd('npm run classroom -- leave')} stops it.`,
  wrongCode: (board: string, code: string) =>
    `The board at ${board} does not know the room code "${code}". Check the code on the instructor's screen, then run the join command again.`,
  roomFull: 'The room is full. Tell the instructor: the board takes a limited number of learners.',
  removedFromRoom: `The instructor removed you from this room's board. If that was a mistake, ask them, then join as new: ${cmd('npm run classroom -- leave')}, then the join command again.`,
  tooManyNewLearners: 'Too many learners joined from your network in the last minute. Wait a minute, then run the join command again (the instructor can raise the limit with --new-learners-per-minute).',
  sameName: (name: string, shownAs: string, address: string, code: string) =>
    style.warn(`Someone on the board already goes by ${name}, so the board shows you as ${style.strong(shownAs)}. To be told apart by name, join again with a fuller one: ${cmd(`npm run classroom -- join ${address} ${code} --name "<a fuller name>"`)} (you keep your row and your progress on it).`),
  slowDown: 'The board is getting too many requests from this machine. Wait a minute, then run the command again.',
  notABoard: (board: string, status: number) =>
    `Something answered at ${board} (HTTP ${status}), but it is not a classroom board. Check the address on the instructor's screen and run the join command again.`,
  boardRefused: (board: string, detail: string) => `The board at ${board} did not accept the request (${detail}). Run ${cmd('npm run classroom -- status')} to see your settings, and ask the instructor.`,
  unreachable: (board: string, reason: string) =>
    `Could not reach a board at ${board} (${reason}). Check the address on the instructor's screen, that you are on the same network (Wi-Fi) as the instructor, and run the join command again.`,
  leftRoom: (board: string) => `You left the room at ${board}. ${cmd('npm run check')} no longer sends anything.`,
  notInRoom: `You are not in a classroom room. To join one: ${cmd(JOIN)}.`,
  status: (board: string, name: string, code: string, since: string) =>
    `You are in the room at ${board} as ${style.strong(name)} (room code ${code}${since ? `, joined ${since}` : ''}). Every ${cmd('npm run check')} sends its result there; ${cmd('npm run classroom -- leave')} stops it.`,
  boardAnswering: `${style.pass('✓')} The board is answering.`,
  boardNotAnswering: (reason: string) =>
    `${style.warn('!')} The board is not answering right now (${reason}). Checks still work: each says in one line that its result was not sent.`,
  onlyForBoard: (option: string) => `--${option} is for starting the board (${cmd('npm run classroom')}), not for join, leave or status`,
  onlyForJoin: '--name is for joining: npm run classroom -- join <address> <code> --name <your name>',
  unknownAction: (action: string) => `There is no "classroom ${action}". Use ${cmd('npm run classroom')} (start the board), or join, leave or status`,
  badPort: (text: string) => `--port takes a port number from 0 to 65535, not "${text}"`,
  badMinutes: (text: string) => `--stuck-minutes takes a whole number of minutes from 1 to 240, not "${text}"`,
  badPerMinute: (text: string) => `--new-learners-per-minute takes a whole number from 1 to 1000, not "${text}"`,

  // --- after each check (one quiet line; a check is never slowed or failed by the board)
  resultSent: (name: string) => style.dim(`↗ Sent to the classroom board as ${name}.`),
  resultNotSent: (why: string) => style.dim(`↗ Not sent to the classroom board: ${why}. Your check is unaffected; ${cmd('npm run classroom -- status')} tests the connection.`),
  whyTimeout: 'it did not answer within a second',
  whyRefused: 'nothing is listening at its address (is the board running?)',
  whyNoHost: 'its address could not be found',
  whyWrongCode: 'it no longer knows your room code (the instructor may have started a new room; join again)',
  whyBusy: 'it is busy; the next check will send again',
  whyRoomFull: 'the room is full',
  whyRemoved: 'the instructor removed you from the board (ask them; to join again as new: npm run classroom -- leave, then join)',
  whyTooManyNew: 'too many learners joined from your network just now; the next check will send again',
  whyNotUnderstood: (status: number) => `it turned the result down (HTTP ${status}); if the board runs an older copy of the course, the instructor can update it with git pull`,
  whyOther: (detail: string) => `it could not be reached (${detail})`,
} as const;
