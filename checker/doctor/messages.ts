/**
 * What `npm run doctor` says: for each preflight, one line when it is fine, and for a problem,
 * the fix in words a learner can follow alone at the start of a workshop.
 */
import { style } from '../ui/style.ts';
import type { NextStep } from './next-step.ts';

const cmd = style.command;

export const doctorMessages = {
  title: 'Preflight for From Socket to Server',
  nodeOk: (version: string, needed: string) => `Node ${version} (the course needs ${needed} or newer)`,
  nodeOld: (version: string, needed: string) => `Node ${version} is too old: the course needs ${needed} or newer`,
  nodeFix: `Install the current LTS from https://nodejs.org/ (or ${cmd('nvm install --lts')}), open a new terminal, and check with ${cmd('node --version')}.`,
  depsOk: (count: number) => `npm install is complete (${count} packages)`,
  depsMissing: (names: string[]) => `npm install is not complete: missing ${names.join(', ')}`,
  depsFix: `Run ${cmd('npm install')} in the course folder (it needs the internet once), then ${cmd('npm run doctor')} again.`,
  devDepsMissing: (names: string[]) => `Tools for the course's own tests are missing: ${names.join(', ')}`,
  devDepsFix: `Only ${cmd('npm test')} needs them, not the lessons. ${cmd('npm install')} (without --omit=dev) installs them.`,
  tsxOk: 'tsx runs TypeScript files',
  tsxFailed: (detail: string) => `tsx could not run a TypeScript file (${detail})`,
  tsxFix: `Run ${cmd('npm install')} again; if it still fails, delete node_modules/ and run ${cmd('npm install')} once more.`,
  portOk: (port: number) => `A free port can be bound on 127.0.0.1 (port ${port})`,
  portFailed: (detail: string) => `No port could be bound on 127.0.0.1 (${detail})`,
  portFix: 'Something on this machine blocks local connections (security software, a sandbox). Ask the instructor: the checker needs 127.0.0.1.',
  port8000Taken: 'Port 8000, your server\'s default, is in use by another program',
  port8000Fix: `Checks are unaffected (they choose a free port). To try your server by hand, stop the other program (often your own server in another terminal) or use another port: ${cmd('PORT=8001 npx tsx workspace/01-listen/server.ts')}.`,
  workspaceOk: (folder: string) => `The workspace folder is writable (${folder})`,
  workspaceFailed: (folder: string, detail: string) => `The workspace folder ${folder} is not writable (${detail})`,
  workspaceFix: `The course keeps your code in that folder. Move the course to a folder you own (your home folder, say) or fix the folder's permissions, then run ${cmd('npm run doctor')} again.`,
  browserOk: (where: string) => `A browser for the capstone: ${where}`,
  browserMissing: 'No Chromium or Chrome found (only the capstone, the last stage, needs one)',
  browserBadPath: (where: string, fallback: string | undefined) =>
    `CHROME_PATH is set to ${where}, which does not exist${fallback ? ` (the capstone will use ${fallback} instead)` : ''}`,
  browserBadPathFix: 'Point CHROME_PATH at your Chrome or Chromium program, or unset it to let the course find one.',
  browserFix: `Install it: ${cmd('sudo apt-get install chromium')} (Debian, Ubuntu), or install Chrome and set CHROME_PATH to it. The other lessons work without it.`,
  classroomOk: (board: string, name: string) => `In the classroom room at ${board} as ${name}; the board answers`,
  classroomDown: (board: string) => `In the classroom room at ${board}, but the board does not answer right now`,
  classroomFix: `Checks still work. If the instructor started a new board, join again: ${cmd('npm run classroom -- join <address> <code> --name <your name>')}.`,
  fix: (text: string) => `Fix: ${text}`,
  allGood: (warnings: number, next: string) =>
    `${style.pass('Ready.')} ${warnings ? `${warnings} ${warnings === 1 ? 'note' : 'notes'} above, nothing that stops the lessons. ` : ''}${next}`,
  /** The learner's next step, from their progress (doctor/next-step.ts). */
  next: (step: NextStep) => {
    switch (step.kind) {
      case 'start':
        return `Start with ${cmd('npm run lesson 1')}.`;
      case 'carry-on':
        return `You are on lesson ${step.stage.id}, ${step.stage.title}: ${cmd(`npm run lesson ${step.stage.id}`)} shows it again, ${cmd('npm run check')} checks your code.`;
      case 'next':
        return `Next is lesson ${step.stage.id}, ${step.stage.title}: ${cmd('npm run next')} opens it.`;
      case 'all-passed':
        return `You have passed all ${step.count} stages. ${cmd('npm run lesson')} opens any of them again.`;
    }
  },
  problems: (count: number) => `${style.fail(`${count} ${count === 1 ? 'problem' : 'problems'} to fix`)} before the workshop: follow the Fix lines above, then run ${cmd('npm run doctor')} again.`,
} as const;
