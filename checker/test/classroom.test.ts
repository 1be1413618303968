/**
 * Classroom mode without a browser: the board on 127.0.0.1 taking results from simulated
 * learners and from the real `npm run check`, keeping its state across a restart, exporting
 * CSV, turning away everything a shared network can throw at it, and a board that is down
 * never slowing a check or changing its exit code. (The page itself: classroom-browser.test.ts.)
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { askBoard } from '../classroom/board-client.ts';
import { parseBoardAddress } from '../classroom/board-address.ts';
import { roomCsv } from '../classroom/board-csv.ts';
import { DEFAULT_NEW_LEARNERS_PER_MINUTE } from '../classroom/board-server.ts';
import { applyJoin, applyResult, boardLabels, MAX_LEARNERS, newRoom, stuckForMs, type RoomState, type Snapshot } from '../classroom/board-state.ts';
import { openBoardStore } from '../classroom/board-store.ts';
import { cleanText, ENDPOINTS, LIMITS } from '../classroom/protocol.ts';
import { RateLimiter } from '../classroom/rate-limit.ts';
import { codeMatches, newRoomCode } from '../classroom/room-code.ts';
import { SEND_TIMEOUT_MS } from '../classroom/send-result.ts';
import { REPO_ROOT } from '../core/paths.ts';
import { stageKey, stagePaths, stages } from '../core/stages.ts';
import {
  asInstructor,
  blackHole,
  closedPort,
  failing,
  instructorToken,
  learnerId,
  postJson,
  recordingBoard,
  request,
  result,
  startTestBoard,
  tempStateFile,
  waitForEvent,
  type TestBoard,
} from './classroom-fixture.ts';
import { runCli, tempWorkspace } from './run-cli.ts';

type State = Snapshot & { room: { code: string; joinAddresses: string[]; token: string } | null };

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});
async function board(options: Parameters<typeof startTestBoard>[0] = {}): Promise<TestBoard> {
  const started = await startTestBoard(options);
  closers.push(started.close);
  return started;
}
const state = async (origin: string) => (await request(origin, '/state.json')).json as State;

/** A workspace holding `file` as the learner's code for stage `stageIndex + 1`. */
function workspaceWith(stageIndex: number, file: string, extra = ''): string {
  const workspace = tempWorkspace();
  const dir = path.join(workspace, stageKey(stages[stageIndex]!));
  mkdirSync(dir, { recursive: true });
  cpSync(path.dirname(file), dir, { recursive: true });
  if (extra) writeFileSync(path.join(dir, 'server.ts'), `${readFileSync(file, 'utf8')}\n${extra}\n`);
  return workspace;
}
const solution = (n: number) => stagePaths(stages[n - 1]!).solutionEntry;

function membership(workspace: string, origin: string, code: string, name = 'Ada'): void {
  writeFileSync(path.join(workspace, 'classroom.json'), JSON.stringify({ version: 1, board: origin, code, name, learnerId: learnerId(), joinedAt: new Date().toISOString() }));
}

describe('the pieces', () => {
  test('room codes are easy to read aloud, and compared without case, spaces or dashes', () => {
    const codes = new Set(Array.from({ length: 200 }, newRoomCode));
    expect(codes.size).toBeGreaterThan(190);
    for (const code of codes) expect(code).toMatch(/^([fkmrsvz][aeiou]){3}-\d\d$/);
    expect(codeMatches('RAKOVI 07', 'rakovi-07')).toBe(true);
    expect(codeMatches('rakovi-08', 'rakovi-07')).toBe(false);
    expect(codeMatches('', 'rakovi-07')).toBe(false);
  });

  test('text from the network loses control and direction-override characters and is length-limited', () => {
    expect(cleanText('Ada\u202e\u0007  Lovelace\n', 40)).toBe('Ada Lovelace');
    expect(Array.from(cleanText('é'.repeat(100), LIMITS.name))).toHaveLength(LIMITS.name);
    expect(cleanText('<img src=x onerror=alert(1)>', 40)).toBe('<img src=x onerror=alert(1)>');
  });

  test('board addresses are accepted in the shapes people copy them', () => {
    expect(parseBoardAddress('192.168.1.23:4000')).toEqual({ ok: true, origin: 'http://192.168.1.23:4000' });
    expect(parseBoardAddress('http://192.168.1.23:4100/')).toEqual({ ok: true, origin: 'http://192.168.1.23:4100' });
    expect(parseBoardAddress('192.168.1.23')).toEqual({ ok: true, origin: 'http://192.168.1.23:4000' });
    expect(parseBoardAddress('[fe80::1]:4000')).toEqual({ ok: true, origin: 'http://[fe80::1]:4000' });
    expect(parseBoardAddress('https://x:4000').ok).toBe(false);
    expect(parseBoardAddress('192.168.1.23:4000/board?x=1').ok).toBe(false);
  });

  test('stuck means the same requirement failing for the threshold; another failure or a pass starts the clock again', () => {
    const room: RoomState = newRoom('rakovi-07', 0);
    const id = learnerId();
    const minute = 60_000;
    applyResult(room, failing('c', id, 'Ada', 3, 'answers 404', 'Expected 404, got 200.'), 0);
    applyResult(room, failing('c', id, 'Ada', 3, 'answers 404', 'Expected 404, got 500.'), 5 * minute);
    const ada = room.learners[0]!;
    expect(ada.failingSince).toBe(0);
    expect(stuckForMs(ada, 12 * minute, 10 * minute)).toBe(12 * minute);
    expect(stuckForMs(ada, 9 * minute, 10 * minute)).toBeUndefined();
    applyResult(room, failing('c', id, 'Ada', 3, 'answers 400 for a malformed request line', 'Expected 400.'), 13 * minute);
    expect(ada.failingSince).toBe(13 * minute);
    applyResult(room, result('c', id, 'Ada', { stage: 3 }), 14 * minute);
    expect(ada.failingSince).toBeNull();
    expect(ada.passed).toEqual([3]);
    expect(ada.stageSince).toBe(0);
  });

  test('rate limiters refill over time and never hold more than maxKeys buckets', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 2, perSecond: 1, maxKeys: 100, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, false]);
    now += 1000;
    expect(limiter.take('a')).toBe(true);
    for (let i = 0; i < 10_000; i++) limiter.take(`flood-${i}`);
    expect(limiter.size).toBe(100);
  });

  test('CSV: one row per learner, quoted where needed, and no formulas for a spreadsheet to run', () => {
    const room = newRoom('rakovi-07', 0);
    applyResult(room, failing('c', learnerId(), '=HYPERLINK("http://evil")', 2, 'sends "Content-Length"', 'Expected 12, got 13, in bytes.'), 0);
    applyResult(room, result('c', learnerId(), 'Grace, H.', { stage: 1 }), 0);
    const csv = roomCsv(room, 11 * 60_000);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^name,stage,stage title,stages passed,last check/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")",2,${stages[1]!.title}`);
    expect(lines[1]).toContain('"sends ""Content-Length""","Expected 12, got 13, in bytes."');
    expect(lines[1]).toContain(',yes,');
    expect(lines[2]).toMatch(/^"Grace, H\.",1,/);
  });
});

describe('the board takes results', () => {
  test('several learners post; the live stream and /state.json show each of them', async () => {
    const { origin, code } = await board();
    const names = ['Ada', 'Grace', 'Linus', 'Margaret'];
    const ids = names.map(() => learnerId());
    const live = waitForEvent<Snapshot>(origin, (s) => s.learners.length === names.length && s.learners.every((l) => l.lastCheck));
    for (const [index, name] of names.entries()) {
      const id = ids[index]!;
      const answer = await postJson(origin, ENDPOINTS.result, index % 2 ? failing(code, id, name, index + 1, 'answers 404', 'Expected 404.') : result(code, id, name, { stage: index + 1 }));
      expect(answer.status, answer.body).toBe(200);
    }
    const snapshot = await live;
    expect(snapshot.learners.map((l) => l.name).sort()).toEqual([...names].sort());
    expect(snapshot.stages.map((s) => s.title)).toEqual(stages.map((s) => s.title));
    const now = await state(origin);
    expect(now.room?.code).toBe(code);
    // A learner's id is their identity towards the board: a page never sees it.
    for (const id of ids) expect(JSON.stringify(now)).not.toContain(id);
  });

  test('the page is served with a policy that forbids scripts from anywhere but the board', async () => {
    const { origin } = await board();
    const page = await request(origin, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/https?:\/\//);
    for (const asset of ['/board.js', '/board.css']) {
      const answer = await request(origin, asset);
      expect(answer.status).toBe(200);
      expect(answer.body).not.toMatch(/https?:\/\/(?!\S*127\.0\.0\.1)/);
    }
    expect((await request(origin, '/board.js')).body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  test('from another host the room needs its code: no code, no data', async () => {
    const { origin, code } = await board();
    const asStranger = (pathname: string) => request(origin, pathname, { headers: { Host: 'board.example:4000' } });
    expect((await asStranger('/state.json')).status).toBe(403);
    expect((await asStranger('/export.csv')).status).toBe(403);
    expect((await asStranger('/events')).status).toBe(403);
    expect((await asStranger('/')).status).toBe(200);
    const withCode = await asStranger(`/state.json?code=${code}`);
    expect(withCode.status).toBe(200);
    expect((withCode.json as State).room).toBeNull();
  });

  test('the state file survives a restart: same code, same learners, same times', async () => {
    const file = tempStateFile();
    const first = await startTestBoard({ file });
    closers.push(first.close);
    const id = learnerId();
    await postJson(first.origin, ENDPOINTS.result, failing(first.code, id, 'Ada', 2, 'ends the head with CRLF CRLF', 'Expected CRLF.'));
    const before = (await state(first.origin)).learners;
    await first.close();

    const reopened = openBoardStore(file);
    expect(reopened.origin).toBe('resumed');
    const second = await board({ file });
    expect(second.code).toBe(first.code);
    expect((await state(second.origin)).learners).toEqual(before);
    const again = await postJson(second.origin, ENDPOINTS.result, failing(first.code, id, 'Ada', 2, 'ends the head with CRLF CRLF', 'Expected CRLF.'));
    expect(again.status).toBe(200);
    const ada = (await state(second.origin)).learners;
    expect(ada).toHaveLength(1);
    expect(ada[0]!.failingSince).toBe(before[0]!.failingSince);
    expect(ada[0]!.checks).toBe(2);
  });

  test('a damaged state file is moved aside, never deleted, and a new room starts', () => {
    const file = tempStateFile();
    writeFileSync(file, '{"code": "rakovi-07", "learners": [');
    const opened = openBoardStore(file);
    expect(opened.origin).toBe('new-replacing-damaged');
    expect(readFileSync(opened.movedTo!, 'utf8')).toBe('{"code": "rakovi-07", "learners": [');
  });

  test('CSV export over HTTP', async () => {
    const { origin, code } = await board();
    await postJson(origin, ENDPOINTS.result, failing(code, learnerId(), 'Ada', 3, 'answers 404', 'Expected 404, got 200.'));
    const csv = await request(origin, '/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="classroom-\d{4}-\d\d-\d\d\.csv"/);
    expect(csv.body.split('\r\n')[1]).toMatch(/^Ada,3,Request line and 404,,failed,/);
  });
});

describe('the board turns away what a shared network throws at it', () => {
  test('wrong code 403, bad JSON 400, bad fields 400, wrong type 415, oversized 413 — and the room is unchanged', async () => {
    const { origin, code } = await board();
    const id = learnerId();
    const cases: [string, Promise<{ status: number; json: unknown }>, number][] = [
      ['wrong code', postJson(origin, ENDPOINTS.result, result('rakovi-00', id, 'Mallory')), 403],
      ['malformed JSON', request(origin, ENDPOINTS.result, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"v":1,' }), 400],
      ['not an object', postJson(origin, ENDPOINTS.result, [1, 2, 3]), 400],
      ['a stage that does not exist', postJson(origin, ENDPOINTS.result, result(code, id, 'Mallory', { stage: 99 })), 400],
      ['a megabyte name', postJson(origin, ENDPOINTS.join, { v: 1, code, learnerId: id, name: 'x'.repeat(LIMITS.name * 5), stage: null }), 400],
      ['a made-up learner id', postJson(origin, ENDPOINTS.result, result(code, '../../etc', 'Mallory')), 400],
      ['form data', request(origin, ENDPOINTS.result, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' }), 415],
      ['a declared oversized body', request(origin, ENDPOINTS.result, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(LIMITS.bodyBytes + 1) }, body: 'x'.repeat(LIMITS.bodyBytes + 1) }), 413],
      ['an oversized chunked body', request(origin, ENDPOINTS.result, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: Array.from({ length: 20 }, () => 'x'.repeat(1024)) }), 413],
      ['DELETE', request(origin, ENDPOINTS.result, { method: 'DELETE' }), 405],
      ['an unknown path', request(origin, '/admin'), 404],
    ];
    for (const [what, answer, status] of cases) {
      const got = await answer;
      expect(got.status, what).toBe(status);
      expect((got.json as { error?: string } | undefined)?.error, what).toBeTypeOf('string');
    }
    expect((await state(origin)).learners).toEqual([]);
    expect((await request(origin, ENDPOINTS.ping)).status).toBe(200);
  });

  test('a flood from one address gets 429 after its burst; the board keeps answering', async () => {
    const { origin, code } = await board();
    const statuses = await Promise.all(Array.from({ length: 400 }, () => postJson(origin, ENDPOINTS.result, result(code, learnerId(), 'Flood')).then((a) => a.status)));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(250);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect((await request(origin, ENDPOINTS.ping)).status).toBe(200);
  });

  test('one learner re-checking too fast gets 429 for the extra results only', async () => {
    const { origin, code } = await board();
    const id = learnerId();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await postJson(origin, ENDPOINTS.result, result(code, id, 'Eager'))).status);
    expect(statuses.slice(0, 6)).toEqual(Array(6).fill(200));
    expect(statuses.slice(6)).toEqual(Array(4).fill(429));
  });

  test('guessing the room code is rate-limited per address', async () => {
    const { origin } = await board();
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await postJson(origin, ENDPOINTS.result, result(`rakovi-${i}`, learnerId(), 'Guess'))).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(403));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
  });

  test(`the room holds at most ${MAX_LEARNERS} learners, however many ids are made up`, async () => {
    const roomy = { capacity: 10_000, perSecond: 10_000 };
    const { origin, code, store } = await board({ limits: { perAddress: roomy, newLearners: roomy } });
    const statuses: number[] = [];
    for (let batch = 0; batch < 5; batch++) {
      statuses.push(...await Promise.all(Array.from({ length: 60 }, (_, i) => postJson(origin, ENDPOINTS.result, result(code, learnerId(), `L${batch}-${i}`)).then((a) => a.status))));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(MAX_LEARNERS);
    expect(statuses.filter((s) => s === 403)).toHaveLength(300 - MAX_LEARNERS);
    expect(store.room.learners).toHaveLength(MAX_LEARNERS);
  });
});

describe('the instructor runs the room', () => {
  const asStranger = (origin: string, pathname: string) => request(origin, pathname, { headers: { Host: 'board.example:4000' } });

  test(`one address adds at most ${DEFAULT_NEW_LEARNERS_PER_MINUTE} new learners in a burst, then ${DEFAULT_NEW_LEARNERS_PER_MINUTE} a minute; learners already in the room are not held back`, async () => {
    const { origin, code, store } = await board();
    // The attack from the issue: 122 made-up learners from one address in one burst.
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 122 }, (_, i) => postJson(origin, ENDPOINTS.join, { v: 1, code, learnerId: learnerId(), name: `Bot ${i}`, stage: null })));
    const seconds = (performance.now() - started) / 1000;
    const accepted = answers.filter((a) => a.status === 200).length;
    console.log(`122 joins from one address in ${seconds.toFixed(2)} s: ${accepted} accepted`);
    // The bucket refills at one learner every 60/N s while the burst runs.
    expect(accepted).toBeGreaterThanOrEqual(DEFAULT_NEW_LEARNERS_PER_MINUTE);
    expect(accepted).toBeLessThanOrEqual(DEFAULT_NEW_LEARNERS_PER_MINUTE + Math.ceil(seconds * DEFAULT_NEW_LEARNERS_PER_MINUTE / 60) + 1);
    expect(answers.filter((a) => (a.json as { error?: string }).error === 'too-many-new-learners').length).toBeGreaterThan(0);
    expect(store.room.learners).toHaveLength(accepted);

    // A learner the board knows keeps reporting, however many strangers were turned away (once
    // the address's general request bucket, 10 a second, has a token again).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const known = store.room.learners[0]!;
    const again = await postJson(origin, ENDPOINTS.result, result(code, known.id, known.name, { stage: 2 }));
    expect(again.status, again.body).toBe(200);
  });

  test('the per-address limit is the instructor\'s to set, and says what it is', async () => {
    const { origin, code } = await board({ limits: { newLearners: { capacity: 3, perSecond: 3 / 60 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postJson(origin, ENDPOINTS.result, result(code, learnerId(), `L${i}`))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await postJson(origin, ENDPOINTS.join, { v: 1, code, learnerId: learnerId(), name: 'Late', stage: null });
    expect(refused.json).toMatchObject({ error: 'too-many-new-learners', message: expect.stringContaining('3 a minute') });
    expect(refused.headers['retry-after']).toBe('60');
  });

  test('the instructor removes a learner from the board page; no one else can, and the removed learner\'s checks stay off the board', async () => {
    const file = tempStateFile();
    const first = await startTestBoard({ file });
    closers.push(first.close);
    const { origin, code } = first;
    const ada = learnerId();
    await postJson(origin, ENDPOINTS.result, result(code, ada, 'Ada'));
    await postJson(origin, ENDPOINTS.result, result(code, learnerId(), 'Grace'));
    const key = (await state(origin)).learners.find((l) => l.name === 'Ada')!.key;
    const token = await instructorToken(origin);

    // Every way in that is not the instructor's own page is refused, and Ada stays.
    const attempts: [string, Promise<{ status: number; json: unknown }>][] = [
      ['a learner with the room code, from another machine', request(origin, `${ENDPOINTS.remove}?code=${code}`, { method: 'POST', headers: { Host: 'board.example:4000', 'Content-Type': 'application/json', 'X-Board-Token': token }, body: JSON.stringify({ key }) })],
      ['the board\'s machine without the token', request(origin, ENDPOINTS.remove, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key }) })],
      ['a wrong token', asInstructor(origin, ENDPOINTS.remove, { key }, 'f'.repeat(32))],
      ['another site\'s page in the instructor\'s browser', asInstructor(origin, ENDPOINTS.remove, { key }, token, { Origin: 'http://evil.example' })],
      ['a cross-site request', asInstructor(origin, ENDPOINTS.remove, { key }, token, { 'Sec-Fetch-Site': 'cross-site' })],
      ['DNS rebinding: the board reached under another name', asInstructor(origin, ENDPOINTS.remove, { key }, token, { Host: 'rebind.example:4000', Origin: 'http://rebind.example:4000' })],
    ];
    for (const [what, answer] of attempts) {
      const got = await answer;
      expect(got.status, what).toBe(403);
      expect((got.json as { error: string }).error, what).toBe('not-instructor');
    }
    // A viewer with the code never sees the token.
    expect((await asStranger(origin, `/state.json?code=${code}`)).body).not.toContain(token);
    expect((await state(origin)).learners.map((l) => l.name).sort()).toEqual(['Ada', 'Grace']);

    const removed = await asInstructor(origin, ENDPOINTS.remove, { key }, token);
    expect(removed.status, removed.body).toBe(200);
    expect((await state(origin)).learners.map((l) => l.name)).toEqual(['Grace']);
    expect((await asInstructor(origin, ENDPOINTS.remove, { key }, token)).status).toBe(404);
    expect((await asInstructor(origin, ENDPOINTS.remove, { key: '../x' }, token)).status).toBe(400);

    // Ada's next check does not bring the row back, even after a restart of the board.
    const next = await postJson(origin, ENDPOINTS.result, result(code, ada, 'Ada'));
    expect(next.status).toBe(403);
    expect(next.json).toMatchObject({ error: 'removed' });
    await first.close();
    const second = await board({ file });
    expect((await postJson(second.origin, ENDPOINTS.join, { v: 1, code, learnerId: ada, name: 'Ada', stage: null })).status).toBe(403);
    expect((await state(second.origin)).learners.map((l) => l.name)).toEqual(['Grace']);
    // The token is the board's, new at every start.
    expect(await instructorToken(second.origin)).not.toBe(token);
  });

  test('a removed learner is told so by the CLI, and can join again as new after leaving', async () => {
    const { origin, code } = await board();
    const workspace = tempWorkspace();
    const address = origin.replace('http://', '');
    expect((await runCli(['classroom', 'join', address, code, '--name', 'Ada'], { workspace })).code).toBe(0);
    const key = (await state(origin)).learners[0]!.key;
    expect((await asInstructor(origin, ENDPOINTS.remove, { key }, await instructorToken(origin))).status).toBe(200);
    const again = await runCli(['classroom', 'join', address, code, '--name', 'Ada'], { workspace });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('The instructor removed you from this room\'s board');
    expect((await runCli(['classroom', 'leave'], { workspace })).code).toBe(0);
    expect((await runCli(['classroom', 'join', address, code, '--name', 'Ada'], { workspace })).code).toBe(0);
    expect((await state(origin)).learners.map((l) => l.name)).toEqual(['Ada']);
  });

  test('two learners under one name: the second is warned when joining, and the board, the stream and the CSV tell them apart', async () => {
    const { origin, code } = await board();
    const address = origin.replace('http://', '');
    const first = tempWorkspace();
    const second = tempWorkspace();
    const joinedFirst = await runCli(['classroom', 'join', address, code, '--name', 'Ada'], { workspace: first });
    expect(joinedFirst.code).toBe(0);
    expect(joinedFirst.stdout).not.toContain('already goes by');
    const live = waitForEvent<Snapshot>(origin, (s) => s.learners.length === 2);
    const joinedSecond = await runCli(['classroom', 'join', address, code, '--name', 'ada'], { workspace: second });
    expect(joinedSecond.code).toBe(0);
    expect(joinedSecond.stdout).toContain('Someone on the board already goes by ada, so the board shows you as ada (2)');
    expect(joinedSecond.stdout).toContain(`npm run classroom -- join ${address} ${code} --name "<a fuller name>"`);
    expect((await live).learners.map((l) => l.label)).toEqual(['Ada', 'ada (2)']);

    // The first Ada re-joining is not warned: she was there first.
    expect((await runCli(['classroom', 'join', address, code, '--name', 'Ada'], { workspace: first })).stdout).not.toContain('already goes by');
    const csv = (await request(origin, '/export.csv')).body.split('\r\n');
    expect(csv[1]).toMatch(/^Ada,/);
    expect(csv[2]).toMatch(/^ada \(2\),/);
    // A result's answer carries the board's name for the learner, which the check prints.
    const membership = JSON.parse(readFileSync(path.join(second, 'classroom.json'), 'utf8'));
    expect((await postJson(origin, ENDPOINTS.result, result(code, membership.learnerId, 'ada'))).json).toEqual({ ok: true, shownAs: 'ada (2)', sameName: true });

    // Renaming clears it; the row stays the same row.
    expect((await runCli(['classroom', 'join', address, code, '--name', 'Ada Byron'], { workspace: second })).code).toBe(0);
    expect((await state(origin)).learners.map((l) => l.label)).toEqual(['Ada', 'Ada Byron']);
  });

  test('labels: numbered in the order learners joined, never the same as another learner\'s name', () => {
    const room = newRoom('rakovi-07', 0);
    const join = (name: string, at: number) => applyJoin(room, { v: 1, code: 'c', learnerId: learnerId(), name, stage: null }, at);
    join('Ada', 0);
    join('Ada (2)', 1);
    join('ADA', 2);
    join('Grace', 3);
    join('ada', 4);
    expect([...boardLabels(room).values()]).toEqual(['Ada', 'Ada (2)', 'ADA (3)', 'Grace', 'ada (4)']);
  });

  test('the stuck threshold is one setting for the room: the instructor sets it, every page and the CSV follow, and it is kept with the room', async () => {
    const file = tempStateFile();
    const now = Date.now();
    const room = newRoom('rakovi-07', now - 60 * 60_000);
    applyResult(room, failing('c', learnerId(), 'Grace', 3, 'answers 404', 'Expected 404.'), now - 12 * 60_000);
    writeFileSync(file, JSON.stringify(room));
    const first = await startTestBoard({ file, stuckMinutes: undefined });
    closers.push(first.close);
    const { origin, code } = first;
    const stuckInCsv = async (pathname = '/export.csv') => (await request(origin, pathname)).body.split('\r\n')[1]!.split(',')[9];
    expect((await state(origin)).stuckMinutes).toBe(10);
    expect(await stuckInCsv()).toBe('yes');

    const token = await instructorToken(origin);
    const viewerSees = waitForEvent<Snapshot>(`${origin}`, (s) => s.stuckMinutes === 15, 5000, `/events?code=${code}`);
    const set = await asInstructor(origin, ENDPOINTS.settings, { stuckMinutes: 15 }, token);
    expect(set.status, set.body).toBe(200);
    expect((await viewerSees).stuckMinutes).toBe(15);
    expect(((await asStranger(origin, `/state.json?code=${code}`)).json as State).stuckMinutes).toBe(15);
    expect(await stuckInCsv()).toBe('no');
    // A page cannot ask the CSV for a threshold of its own any more.
    expect(await stuckInCsv('/export.csv?stuckMinutes=5')).toBe('no');

    for (const bad of [0, 2.5, 241, '15', null]) expect((await asInstructor(origin, ENDPOINTS.settings, { stuckMinutes: bad }, token)).status, String(bad)).toBe(400);
    const stranger = await request(origin, `${ENDPOINTS.settings}?code=${code}`, { method: 'POST', headers: { Host: 'board.example:4000', 'Content-Type': 'application/json', 'X-Board-Token': token }, body: '{"stuckMinutes":1}' });
    expect(stranger.status).toBe(403);
    expect((await state(origin)).stuckMinutes).toBe(15);

    // Kept with the room: a restart without --stuck-minutes keeps 15; --stuck-minutes sets it.
    await first.close();
    const resumed = await board({ file, stuckMinutes: undefined });
    expect((await state(resumed.origin)).stuckMinutes).toBe(15);
    await resumed.close();
    const told = await board({ file, stuckMinutes: 7 });
    expect((await state(told.origin)).stuckMinutes).toBe(7);
  });
});

describe('learners, through the real CLI', () => {
  test('join, then `npm run check` sends the result; status and leave work', async () => {
    const { origin, code } = await board();
    const workspace = workspaceWith(0, solution(1));
    const join = await runCli(['classroom', 'join', origin.replace('http://', ''), code.toUpperCase(), '--name', 'Ada'], { workspace });
    expect(join.code, join.stderr).toBe(0);
    expect(join.stdout).toContain('You joined the room');
    expect(JSON.parse(readFileSync(path.join(workspace, 'classroom.json'), 'utf8'))).toMatchObject({ board: origin, name: 'Ada' });

    const check = await runCli(['check', '1'], { workspace });
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toContain('Sent to the classroom board as Ada.');
    const [ada] = (await state(origin)).learners;
    expect(ada).toMatchObject({ name: 'Ada', stage: 1, passed: [1], lastCheck: { ok: true } });

    const status = await runCli(['classroom', 'status'], { workspace });
    expect(status.stdout).toContain('The board is answering.');

    const leave = await runCli(['classroom', 'leave'], { workspace });
    expect(leave.code).toBe(0);
    expect(existsSync(path.join(workspace, 'classroom.json'))).toBe(false);
    expect((await state(origin)).learners[0]!.left).toBe(true);
    const after = await runCli(['check', '1'], { workspace });
    expect(after.stdout).not.toContain('classroom board');
  });

  test('a failing check sends the stage, the failed requirements and the first problem — never code, never output', async () => {
    const recorder = await recordingBoard();
    closers.push(recorder.close);
    // Stage 1's solution checked as stage 2 fails stage 2's requirements.
    const workspace = workspaceWith(1, solution(1), "// SECRET-CODE-MARKER\nconsole.log('SECRET-OUTPUT-MARKER');");
    membership(workspace, recorder.origin, 'rakovi-07');
    const check = await runCli(['check', '2'], { workspace });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('SECRET-OUTPUT-MARKER');
    expect(recorder.bodies).toHaveLength(1);
    const sent = JSON.parse(recorder.bodies[0]!);
    expect(Object.keys(sent).sort()).toEqual(['code', 'failed', 'failedStage', 'learnerId', 'name', 'ok', 'problem', 'stage', 'startProblem', 'v']);
    expect(sent).toMatchObject({ stage: 2, ok: false, failedStage: 2, startProblem: null });
    expect(sent.failed.length).toBeGreaterThan(0);
    expect(check.stdout).toContain(sent.failed[0]);
    expect(sent.problem).toMatch(/\S/);
    expect(recorder.bodies[0]).not.toMatch(/SECRET|createServer|import /);
  });

  test('--json prints only JSON on stdout when joined; a check of another file (--entry) sends nothing', async () => {
    const recorder = await recordingBoard();
    closers.push(recorder.close);
    const workspace = workspaceWith(0, solution(1));
    membership(workspace, recorder.origin, 'rakovi-07');
    const json = await runCli(['check', '1', '--json'], { workspace });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, stage: 1 });
    expect(recorder.bodies).toHaveLength(1);

    const entry = await runCli(['check', '1', '--entry', solution(1)], { workspace });
    expect(entry.code).toBe(0);
    expect(recorder.bodies).toHaveLength(1);

    const down = await closedPort();
    membership(workspace, down, 'rakovi-07');
    const jsonDown = await runCli(['check', '1', '--json'], { workspace });
    expect(jsonDown.code).toBe(0);
    expect(JSON.parse(jsonDown.stdout)).toMatchObject({ ok: true });
    expect(jsonDown.stderr).toContain('Not sent to the classroom board');
  });

  test('in watch mode every re-check is sent', async () => {
    const recorder = await recordingBoard();
    closers.push(recorder.close);
    const workspace = workspaceWith(0, solution(1));
    membership(workspace, recorder.origin, 'rakovi-07');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'checker', 'launch.mjs'), 'check', '1', '--watch'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: undefined, FSTS_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    closers.push(async () => void child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await waitUntil(() => recorder.bodies.length === 1 && stdout.includes('Watching for changes'), 30_000);
    const entry = path.join(workspace, stageKey(stages[0]!), 'server.ts');
    writeFileSync(entry, `${readFileSync(entry, 'utf8')}\n// saved again\n`);
    await waitUntil(() => recorder.bodies.length === 2, 30_000);
    expect(recorder.bodies.map((body) => JSON.parse(body).ok)).toEqual([true, true]);
    child.kill('SIGINT');
    await exited;
  });

  test('joining checks the code and the address at once, and remembers nothing on failure', async () => {
    const { origin } = await board();
    const workspace = tempWorkspace();
    const wrong = await runCli(['classroom', 'join', origin, 'rakovi-00', '--name', 'Ada'], { workspace });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('does not know the room code "rakovi-00"');
    const nobody = await runCli(['classroom', 'join', await closedPort(), 'rakovi-00', '--name', 'Ada'], { workspace });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('Could not reach a board at');
    expect(existsSync(path.join(workspace, 'classroom.json'))).toBe(false);

    const usage = await Promise.all([
      runCli(['classroom', 'join', origin, 'rakovi-00'], { workspace }),
      runCli(['classroom', 'join', origin], { workspace }),
      runCli(['classroom', 'join', origin, 'rakovi-00', '--name', 'Ada', '--port', '5'], { workspace }),
      runCli(['classroom', 'dance'], { workspace }),
      runCli(['classroom', '--port', 'eighty'], { workspace }),
    ]);
    for (const answer of usage) expect(answer.code, answer.stderr).toBe(2);
    expect(usage[0]!.stderr).toContain('--name');
    const leave = await runCli(['classroom', 'leave'], { workspace });
    expect(leave.code).toBe(0);
    expect(leave.stdout).toContain('You are not in a classroom room');
  });
});

describe('a board that is down never slows or breaks a check', () => {
  test(`one attempt, at most ${SEND_TIMEOUT_MS} ms, however the board fails`, async () => {
    const hole = await blackHole();
    closers.push(hole.close);
    for (const origin of [hole.origin, await closedPort()]) {
      const started = performance.now();
      const outcome = await askBoard(origin, ENDPOINTS.result, { body: {}, timeoutMs: SEND_TIMEOUT_MS });
      const elapsed = performance.now() - started;
      expect(outcome.kind).toBe('unreachable');
      expect(elapsed).toBeLessThan(SEND_TIMEOUT_MS + 300);
    }
  });

  test('a check with the board hanging or down: same exit code, same report, at most ~1.5 s more after the report', async () => {
    const hole = await blackHole();
    closers.push(hole.close);
    const down = await closedPort();
    // Stage 2's check of stage 1's code fails: the exit code to keep is 1.
    const runs: Record<string, TimedRun> = {};
    for (const [label, origin] of [['no board', undefined], ['hanging board', hole.origin], ['board down', down]] as const) {
      const workspace = workspaceWith(1, solution(1));
      if (origin) membership(workspace, origin, 'rakovi-07');
      runs[label] = await timedCheck(['check', '2'], workspace, /fails: /);
    }
    const baseline = runs['no board']!;
    console.log(`Time from the report to exit: ${Object.entries(runs).map(([label, run]) => `${label} ${run.afterReportMs} ms`).join(', ')}`);
    expect(baseline.code).toBe(1);
    for (const label of ['hanging board', 'board down']) {
      const run = runs[label]!;
      expect(run.code, label).toBe(baseline.code);
      expect(run.stdout, label).toContain('Not sent to the classroom board');
      expect(run.afterReportMs - baseline.afterReportMs, `${label}: ${run.afterReportMs} ms after the report vs ${baseline.afterReportMs} ms`).toBeLessThan(1500);
    }
  });
});

interface TimedRun {
  code: number | null;
  stdout: string;
  /** From the report's summary line reaching stdout to the process exiting: where the board's cost lands. */
  afterReportMs: number;
}

function timedCheck(args: string[], workspace: string, summary: RegExp): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'checker', 'launch.mjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: undefined, FSTS_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let reportedAt: number | undefined;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (reportedAt === undefined && summary.test(stdout)) reportedAt = performance.now();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the check did not finish within 45 s'));
    }, 45_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, afterReportMs: Math.round(performance.now() - (reportedAt ?? Number.NaN)) });
    });
  });
}

describe('the instructor starts the board', () => {
  test('`npm run classroom` binds where it is told, prints the code and the learners\' command, and saves on SIGTERM', async () => {
    const workspace = tempWorkspace();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'checker', 'launch.mjs'), 'classroom', '--host', '127.0.0.1', '--port', '0', '--stuck-minutes', '7', '--new-learners-per-minute', '2'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: undefined, FSTS_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    closers.push(async () => void child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await waitUntil(() => stdout.includes('Ctrl-C'), 20_000);

    const code = /Room code:\s+(\S+)/.exec(stdout)?.[1];
    const address = /join (127\.0\.0\.1:\d+) /.exec(stdout)?.[1];
    expect(code).toMatch(/^[a-z]{6}-\d\d$/);
    expect(stdout).toContain(`npm run classroom -- join ${address} ${code} --name "Your name"`);
    expect(stdout).toContain('listens on 127.0.0.1 only');
    expect(stdout).toContain('Listening on 127.0.0.1, port');
    const origin = `http://${address}`;
    const answer = await postJson(origin, ENDPOINTS.result, result(code!, learnerId(), 'Ada'));
    expect(answer.status).toBe(200);
    expect((await state(origin)).stuckMinutes).toBe(7);
    expect(stdout).toContain('One address may add 2 new learners a minute');
    // Ada was the first of the two; the third new learner from this address waits.
    expect((await postJson(origin, ENDPOINTS.result, result(code!, learnerId(), 'Grace'))).status).toBe(200);
    expect((await postJson(origin, ENDPOINTS.result, result(code!, learnerId(), 'Linus'))).status).toBe(429);

    // A second board on the same room file would fight the first over it.
    const second = await runCli(['classroom', '--host', '127.0.0.1', '--port', '0'], { workspace });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`A board for this room is already running (process ${child.pid}`);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('Board stopped.');
    const saved = JSON.parse(readFileSync(path.join(workspace, 'classroom-board.json'), 'utf8'));
    expect(saved).toMatchObject({ code, stuckMinutes: 7, learners: [{ name: 'Ada' }, { name: 'Grace' }] });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
