/**
 * `npm run doctor`: the preflight a learner runs at the start of a workshop. One line per part
 * of their machine (✓ fine, ! worth knowing, ✗ must be fixed), each problem with its fix.
 * Exit code 0 when nothing failed, so a room can run it in a script too. The last line is the
 * learner's next step, from their progress: lesson 1 on a new machine, their lesson after that.
 */
import { readProgress } from '../core/progress.ts';
import { nextStep } from '../doctor/next-step.ts';
import { runPreflight } from '../doctor/preflight.ts';
import { doctorMessages } from '../doctor/messages.ts';
import { style, symbols } from '../ui/style.ts';
import type { Command } from './command.ts';

const MARKS = { pass: symbols.pass, fail: symbols.fail, warn: style.warn('!') } as const;

export const doctor: Command = {
  summary: 'Check that this machine is ready for the course (run it before a workshop)',
  usage: 'npm run doctor',
  options: {},
  async run() {
    console.log(`${style.strong(doctorMessages.title)}\n`);
    const results = await runPreflight();
    for (const result of results) {
      console.log(`${MARKS[result.status]} ${result.line}`);
      if (result.fix && result.status !== 'pass') console.log(`  ${doctorMessages.fix(result.fix)}`);
    }
    const failed = results.filter((r) => r.status === 'fail').length;
    const warnings = results.filter((r) => r.status === 'warn').length;
    console.log(`\n${failed ? doctorMessages.problems(failed) : doctorMessages.allGood(warnings, doctorMessages.next(nextStep(readProgress())))}`);
    return failed ? 1 : 0;
  },
};
