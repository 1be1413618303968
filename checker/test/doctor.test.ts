/**
 * `npm run doctor` as a learner runs it before a workshop: a line per part of the machine, a
 * fix for each problem, exit 0 unless something must be fixed — and a missing browser is a
 * note, never a failure.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { stages } from '../core/stages.ts';
import { nextStep } from '../doctor/next-step.ts';
import { checkBrowser, checkNode, neededNode } from '../doctor/preflight.ts';
import { closedPort } from './classroom-fixture.ts';
import { runCli, tempWorkspace } from './run-cli.ts';

describe('npm run doctor', () => {
  test('on this machine: every check passes, exit 0', async () => {
    const result = await runCli(['doctor'], { env: { CHROME_PATH: undefined } });
    expect(result.code, result.stdout).toBe(0);
    for (const line of [/^✓ Node \d+\.\d+\.\d+ \(the course needs/m, /^✓ npm install is complete/m, /^✓ tsx runs TypeScript files$/m, /^✓ A free port can be bound on 127\.0\.0\.1/m, /^✓ The workspace folder is writable/m]) {
      expect(result.stdout).toMatch(line);
    }
    expect(result.stdout).toMatch(/^[✓!] .*(browser|Chromium)/m);
    expect(result.stdout).toContain('Start with npm run lesson 1.');
  });

  test('no browser is a note with the way to install one, not a failure', async () => {
    const result = await runCli(['doctor'], { env: { CHROME_PATH: 'none' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^! No Chromium or Chrome found.*\n {2}Fix: Install it: sudo apt-get install chromium/m);
  });

  test('a workspace that cannot be written is a failure with its fix, exit 1', async () => {
    const blocker = path.join(tempWorkspace(), 'a-file');
    writeFileSync(blocker, '');
    const result = await runCli(['doctor'], { workspace: path.join(blocker, 'workspace') });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ The workspace folder .* is not writable \(ENOTDIR\)\n {2}Fix: The course keeps your code in that folder/m);
    expect(result.stdout).toContain('1 problem to fix before the workshop');
  });

  test('a learner in a room whose board is away gets a note, not a failure', async () => {
    const workspace = tempWorkspace();
    writeFileSync(path.join(workspace, 'classroom.json'), JSON.stringify({ version: 1, board: await closedPort(), code: 'rakovi-07', name: 'Ada', learnerId: 'abcdef0123456789' }));
    const result = await runCli(['doctor'], { workspace });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^! In the classroom room at http:\/\/127\.0\.0\.1:\d+, but the board does not answer right now/m);
  });

  test('Node older than package.json\'s engines fails; the minimum itself passes', () => {
    expect(neededNode()).toMatch(/^\d+\.\d+/);
    expect(checkNode('18.19.0').status).toBe('fail');
    expect(checkNode('18.19.0').fix).toContain('nodejs.org');
    expect(checkNode(neededNode()).status).toBe('pass');
    expect(checkNode('22.1.0').status).toBe('pass');
  });

  test('a CHROME_PATH that does not exist is pointed out', () => {
    expect(checkBrowser({ CHROME_PATH: '/no/such/chrome' }, () => undefined)).toMatchObject({ status: 'warn', line: expect.stringContaining('/no/such/chrome') });
    expect(checkBrowser({}, () => '/usr/bin/chromium')).toMatchObject({ status: 'pass' });
  });

  test('the last line is the learner\'s next step, from their progress', async () => {
    const withProgress = (progress: object) => {
      const workspace = tempWorkspace();
      writeFileSync(path.join(workspace, 'progress.json'), JSON.stringify({ hintsShown: {}, ...progress }));
      return workspace;
    };
    const [onFour, passedFour] = await Promise.all([
      runCli(['doctor'], { workspace: withProgress({ current: 4, passed: [1, 2, 3] }) }),
      runCli(['doctor'], { workspace: withProgress({ current: 4, passed: [1, 2, 3, 4] }) }),
    ]);
    expect(onFour.code, onFour.stdout).toBe(0);
    expect(onFour.stdout).toContain(`You are on lesson 4, ${stages[3]!.title}: npm run lesson 4 shows it again, npm run check checks your code.`);
    expect(onFour.stdout).not.toContain('npm run lesson 1');
    expect(passedFour.stdout).toContain(`Next is lesson 5, ${stages[4]!.title}: npm run next opens it.`);
  });

  test('next step: lesson 1 on a new machine, the open lesson before the next one, and an end', () => {
    const last = stages.at(-1)!;
    expect(nextStep({ current: undefined, passed: [] })).toEqual({ kind: 'start' });
    expect(nextStep({ current: 1, passed: [] })).toMatchObject({ kind: 'carry-on', stage: { id: 1 } });
    expect(nextStep({ current: 2, passed: [1, 2] })).toMatchObject({ kind: 'next', stage: { id: 3 } });
    // Opened lesson 3 again after passing 5: the next new lesson is 6.
    expect(nextStep({ current: 3, passed: [1, 2, 3, 4, 5] })).toMatchObject({ kind: 'next', stage: { id: 6 } });
    // Jumped ahead to 7 without passing it: carry on there.
    expect(nextStep({ current: 7, passed: [1, 2] })).toMatchObject({ kind: 'carry-on', stage: { id: 7 } });
    expect(nextStep({ current: last.id, passed: stages.map((s) => s.id) })).toEqual({ kind: 'all-passed', count: stages.length });
  });
});
