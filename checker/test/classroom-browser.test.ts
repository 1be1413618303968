/**
 * The classroom board's page in a real browser: headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core; never a downloaded one) watching a board on 127.0.0.1 while
 * simulated learners post. Rows appear and change live without a reload, the stuck learner is
 * on top, the instructor's threshold works, a name made of markup stays text, and the page asks
 * nothing of any other host. Without Chromium the tests are skipped, saying how to install it.
 *
 * A screenshot of the board is left in the temp folder (its path is printed) for a person to look at.
 */
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newRoom, type LearnerRecord } from '../classroom/board-state.ts';
import { ENDPOINTS } from '../classroom/protocol.ts';
import { stages } from '../core/stages.ts';
import { failing, learnerId, postJson, result, startTestBoard, tempStateFile, type TestBoard } from './classroom-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`Skipping the classroom board's browser tests: Chromium is not installed at ${CHROMIUM}. Install Debian's package (sudo apt-get install chromium) to run them.`);
}

const STEP_TIMEOUT = 10_000;
const XSS_NAME = '<img src=x onerror=alert(1)>';
const SCREENSHOT = path.join(os.tmpdir(), 'classroom-board.png');
const MINUTE = 60_000;

/** A room already under way: Grace has failed the same requirement for 25 minutes, Linus passes. */
function roomUnderWay(file: string): void {
  const now = Date.now();
  const room = newRoom('kasemu-31', now - 90 * MINUTE);
  const learner = (name: string, fields: Partial<LearnerRecord>): LearnerRecord => ({
    id: learnerId(), name, joinedAt: now - 80 * MINUTE, lastSeenAt: now - MINUTE, stage: 1, stageSince: now - 40 * MINUTE,
    lastCheck: null, failingSince: null, passed: [], checks: 3, left: false, ...fields,
  });
  room.learners.push(
    learner('Linus', { stage: 2, passed: [1, 2], lastCheck: { at: now - 2 * MINUTE, ok: true, failedStage: null, failed: [], problem: null, startProblem: null } }),
    learner('Grace', {
      stage: 3,
      stageSince: now - 35 * MINUTE,
      passed: [1, 2],
      failingSince: now - 25 * MINUTE,
      lastCheck: {
        at: now - MINUTE, ok: false, failedStage: 3, startProblem: null,
        failed: ['answers 404 for a path that does not exist', 'answers 400 to a malformed request line'],
        problem: 'Expected status 404, got 200.',
      },
    }),
    learner('Margaret', { stage: 4, passed: [1, 2, 3], stageSince: now - 6 * MINUTE, lastCheck: { at: now - 3 * MINUTE, ok: false, failedStage: 4, startProblem: null, failed: ['serves index.html for a folder'], problem: 'Expected status 200, got 404.' }, failingSince: now - 3 * MINUTE }),
  );
  writeFileSync(file, JSON.stringify(room));
}

describe.skipIf(!hasChromium)('the classroom board in Chromium', () => {
  let board: TestBoard;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const errors: string[] = [];
  const foreignRequests: string[] = [];
  let navigations = 0;

  beforeAll(async () => {
    const file = tempStateFile();
    roomUnderWay(file);
    board = await startTestBoard({ file, stuckMinutes: 10 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
        // A second name for the board, so the page can also be seen as from another machine.
        '--host-resolver-rules=MAP board.test 127.0.0.1',
      ],
      timeout: 20_000,
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(STEP_TIMEOUT);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(board.origin)) foreignRequests.push(request.url());
    });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    await page.goto(`${board.origin}/`);
    await page.locator('#status[data-state="live"]').waitFor();
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
    await board?.close();
  });

  test('the room as it is: a row per learner, the stuck learner on top, a bar of stages from the registry', async () => {
    const rows = page.locator('#learners tr');
    await expect.poll(() => rows.count()).toBe(3);
    const first = rows.first();
    expect(await first.getAttribute('data-stuck')).toBe('true');
    expect(await first.locator('.learner-name').textContent()).toBe('Grace');
    expect(await first.locator('.stuck-badge').textContent()).toMatch(/^stuck 2[5-6] min$/);
    expect(await first.locator('.requirement').textContent()).toBe('answers 404 for a path that does not exist');
    expect(await first.locator('.problem').textContent()).toBe('Expected status 404, got 200.');
    expect(await page.locator('tr[data-stuck]').count()).toBe(1);

    const bar = page.locator('#stage-bar .stage');
    expect(await bar.count()).toBe(stages.length);
    for (const [index, stage] of stages.entries()) {
      expect(await bar.nth(index).locator('.stage-title').textContent()).toBe(`${stage.id}${stage.title}`);
    }
    expect(await page.locator('#stage-bar .stage[data-stage="3"]').getAttribute('data-count')).toBe('1');
    expect(await page.locator('#room-code').textContent()).toBe('kasemu-31');
    // The instructor's own page never shows the code form (CSS once overrode its hidden attribute).
    expect(await page.locator('#access').isHidden()).toBe(true);
    expect(await page.locator('#join-commands').textContent()).toContain('npm run classroom -- join');
  });

  test('live: a learner who joins and checks appears, then changes, without a reload', async () => {
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const before = navigations;
    const id = learnerId();
    expect((await postJson(board.origin, ENDPOINTS.result, result(board.code, id, 'Ada', { stage: 2 }))).status).toBe(200);
    const ada = page.locator('#learners tr', { has: page.locator('.learner-name', { hasText: /^Ada$/ }) });
    await expect.poll(() => ada.locator('.passed').count()).toBe(1);
    expect(await ada.locator('.stage-cell').textContent()).toBe(`2 · ${stages[1]!.title}`);

    await postJson(board.origin, ENDPOINTS.result, failing(board.code, id, 'Ada', 3, 'answers 405 to a method it does not do', 'Expected status 405, got 200.'));
    await expect.poll(() => ada.locator('.requirement').textContent()).toBe('answers 405 to a method it does not do');
    expect(await ada.locator('.stage-cell').textContent()).toBe(`3 · ${stages[2]!.title}`);
    expect(await page.locator('#stage-bar .stage[data-stage="3"]').getAttribute('data-count')).toBe('2');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(navigations).toBe(before);
  });

  test('a name made of markup shows as text and runs nothing', async () => {
    const requirement = '<script>alert(2)</script>';
    await postJson(board.origin, ENDPOINTS.result, failing(board.code, learnerId(), XSS_NAME, 1, requirement, '<b>not bold</b>'));
    const row = page.locator('#learners tr', { has: page.locator('.learner-name', { hasText: XSS_NAME }) });
    await row.waitFor();
    expect(await row.locator('.learner-name').textContent()).toBe(XSS_NAME);
    expect(await row.locator('.requirement').textContent()).toBe(requirement);
    expect(await row.locator('.problem').textContent()).toBe('<b>not bold</b>');
    expect(await page.locator('#learners img, #learners script, #learners b').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  });

  test('the instructor changes the stuck threshold on the page: it is the room\'s, kept by the board', async () => {
    const input = page.locator('#stuck-minutes');
    expect(await input.inputValue()).toBe('10');
    expect(await input.isDisabled()).toBe(false);
    await input.fill('30');
    await input.press('Enter');
    await expect.poll(() => page.locator('tr[data-stuck]').count()).toBe(0);
    expect(board.store.room.stuckMinutes).toBe(30);
    expect(await page.locator('#export').getAttribute('href')).toBe('/export.csv');
    // Another page (a second tab, another machine) sees the same threshold, and cannot change it.
    const other = await browser.newPage();
    try {
      await other.goto(`${board.origin.replace('127.0.0.1', 'board.test')}/#code=${board.code}`);
      await other.locator('#status[data-state="live"]').waitFor();
      expect(await other.locator('#stuck-minutes').inputValue()).toBe('30');
      expect(await other.locator('#stuck-minutes').isDisabled()).toBe(true);
      expect(await other.locator('button.remove').count()).toBe(0);
      expect(await other.locator('tr[data-stuck]').count()).toBe(0);
    } finally {
      await other.close();
    }
    await input.fill('2');
    await input.press('Enter');
    // Grace (25 min) and Margaret (3 min) are both stuck now, the longest first.
    await expect.poll(() => page.locator('tr[data-stuck] .learner-name').allTextContents()).toEqual(['Grace', 'Margaret']);
    await input.fill('10');
    await input.press('Enter');
    await expect.poll(() => page.locator('tr[data-stuck]').count()).toBe(1);
  });

  test('two learners under one name are told apart on the page', async () => {
    await postJson(board.origin, ENDPOINTS.result, result(board.code, learnerId(), 'Linus', { stage: 1 }));
    const names = page.locator('.learner-name', { hasText: /^Linus( \(2\))?$/ });
    await expect.poll(() => names.allTextContents().then((t) => t.sort())).toEqual(['Linus', 'Linus (2)']);
    expect(await page.locator('tr[data-same-name] .learner-name').textContent()).toBe('Linus (2)');
  });

  test('the instructor removes a learner with two clicks on Remove', async () => {
    const row = page.locator('#learners tr', { has: page.locator('.learner-name', { hasText: /^Linus \(2\)$/ }) });
    const button = row.locator('button.remove');
    await button.click();
    expect(await button.textContent()).toBe('Remove Linus (2)?');
    expect(board.store.room.learners.some((l) => l.name === 'Linus' && l.stage === 1)).toBe(true);
    await button.click();
    await expect.poll(() => page.locator('.learner-name', { hasText: /^Linus \(2\)$/ }).count()).toBe(0);
    expect(board.store.room.learners.filter((l) => l.name === 'Linus')).toHaveLength(1);
    expect(board.store.room.removed).toHaveLength(1);
  });

  test('screenshot of the board with a few learners, one stuck, and the markup name', async () => {
    await page.locator('#stuck-minutes').blur();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`Classroom board screenshot: ${SCREENSHOT}`);
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  test('seen from another machine, the board asks for the room code first and never shows it', async () => {
    const other = await browser.newPage();
    other.setDefaultTimeout(STEP_TIMEOUT);
    try {
      const origin = board.origin.replace('127.0.0.1', 'board.test');
      await other.goto(`${origin}/`);
      await other.locator('#access').waitFor();
      expect(await other.locator('#board').isHidden()).toBe(true);
      await other.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-code-form.png') });
      await other.locator('#access-code').fill('rakovi-00');
      await other.locator('#access button').click();
      await expect.poll(() => other.locator('#access-error').textContent()).toContain('not this room');
      await other.locator('#access-code').fill(board.code.toUpperCase());
      await other.locator('#access button').click();
      await other.locator('#status[data-state="live"]').waitFor();
      expect(await other.locator('#learners tr').count()).toBeGreaterThanOrEqual(3);
      expect(await other.locator('#room').isHidden()).toBe(true);
      expect(await other.content()).not.toContain(board.code);
    } finally {
      await other.close();
    }
  });

  test('the page asked no other host for anything and logged no errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(errors).toEqual([]);
  });
});
