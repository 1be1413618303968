/**
 * The checks behind `npm run doctor`: everything a learner's machine needs before a workshop,
 * each tried for real (run tsx, bind a port, write a file) rather than guessed from versions.
 * Every check resolves to a result, never throws, and is bounded in time, so one broken part
 * of the machine cannot hide the others.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { askBoard } from '../classroom/board-client.ts';
import { readMembership } from '../classroom/membership.ts';
import { ENDPOINTS } from '../classroom/protocol.ts';
import { findChromium } from '../core/browser.ts';
import { displayPath, REPO_ROOT, WORKSPACE_DIR } from '../core/paths.ts';
import { doctorMessages as messages } from './messages.ts';

export interface CheckResult {
  status: 'pass' | 'fail' | 'warn';
  line: string;
  fix?: string;
}

const TSX_TIMEOUT_MS = 20_000;

function packageJson(): { engines?: { node?: string }; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
}

/** "20.11" from package.json's engines (">=20.11"), so the minimum is written down once. */
export function neededNode(): string {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(packageJson().engines?.node ?? '');
  return match ? match[0] : '20.11';
}

function atLeast(version: string, needed: string): boolean {
  const have = version.replace(/^v/, '').split('.').map(Number);
  const want = needed.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

export function checkNode(version = process.versions.node): CheckResult {
  const needed = neededNode();
  return atLeast(version, needed)
    ? { status: 'pass', line: messages.nodeOk(version, needed) }
    : { status: 'fail', line: messages.nodeOld(version, needed), fix: messages.nodeFix };
}

export function checkDependencies(root = REPO_ROOT): CheckResult[] {
  const pkg = packageJson();
  const missing = (names: string[]) => names.filter((name) => !existsSync(path.join(root, 'node_modules', name, 'package.json')));
  const dependencies = Object.keys(pkg.dependencies ?? {});
  const devDependencies = Object.keys(pkg.devDependencies ?? {});
  const results: CheckResult[] = [];
  const missingDeps = missing(dependencies);
  results.push(missingDeps.length
    ? { status: 'fail', line: messages.depsMissing(missingDeps), fix: messages.depsFix }
    : { status: 'pass', line: messages.depsOk(dependencies.length + devDependencies.length - missing(devDependencies).length) });
  const missingDev = missing(devDependencies);
  if (missingDev.length) results.push({ status: 'warn', line: messages.devDepsMissing(missingDev), fix: messages.devDepsFix });
  return results;
}

/** Run a small TypeScript file the way the checker runs a learner's server: `node --import tsx`. */
export async function checkTsx(): Promise<CheckResult> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'fsts-doctor-'));
  const file = path.join(folder, 'probe.ts');
  writeFileSync(file, 'const answer: number = 41 + 1;\nconsole.log(`tsx ok ${answer}`);\n');
  try {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), TSX_TIMEOUT_MS);
      child.on('error', (error) => resolve({ code: -1, output: error.message }));
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
    if (code === 0 && output.includes('tsx ok 42')) return { status: 'pass', line: messages.tsxOk };
    const firstLine = output.split('\n').find((line) => line.trim()) ?? `exit code ${code}`;
    return { status: 'fail', line: messages.tsxFailed(firstLine.trim().slice(0, 160)), fix: messages.tsxFix };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function bind(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

export async function checkPorts(): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  try {
    results.push({ status: 'pass', line: messages.portOk(await bind(0)) });
  } catch (error) {
    return [{ status: 'fail', line: messages.portFailed((error as NodeJS.ErrnoException).code ?? String(error)), fix: messages.portFix }];
  }
  try {
    await bind(8000);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') results.push({ status: 'warn', line: messages.port8000Taken, fix: messages.port8000Fix });
  }
  return results;
}

export function checkWorkspace(folder = WORKSPACE_DIR): CheckResult {
  const probe = path.join(folder, `.doctor-${process.pid}.tmp`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(probe, 'ok\n');
    rmSync(probe);
    return { status: 'pass', line: messages.workspaceOk(displayPath(folder)) };
  } catch (error) {
    return { status: 'fail', line: messages.workspaceFailed(displayPath(folder), (error as NodeJS.ErrnoException).code ?? String(error)), fix: messages.workspaceFix };
  }
}

/**
 * Absence is a note, not a failure: only the capstone needs a browser. Where to look is
 * core/browser.ts's business (the capstone's check uses the same finder), so the two agree.
 */
export function checkBrowser(env: NodeJS.ProcessEnv = process.env, find: () => string | undefined = findChromium): CheckResult {
  const found = find();
  const badPath = env.CHROME_PATH && env.CHROME_PATH !== 'none' && !existsSync(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  if (badPath) return { status: 'warn', line: messages.browserBadPath(badPath, found), fix: messages.browserBadPathFix };
  if (found) return { status: 'pass', line: messages.browserOk(env.CHROME_PATH === found ? `${found} (CHROME_PATH)` : found) };
  return { status: 'warn', line: messages.browserMissing, fix: messages.browserFix };
}

/** Only for a learner who joined a room: is the board there? */
export async function checkClassroom(): Promise<CheckResult | undefined> {
  const membership = readMembership();
  if (!membership) return undefined;
  const ping = await askBoard(membership.board, ENDPOINTS.ping, { timeoutMs: 1000 });
  return ping.kind === 'ok'
    ? { status: 'pass', line: messages.classroomOk(membership.board, membership.name) }
    : { status: 'warn', line: messages.classroomDown(membership.board), fix: messages.classroomFix };
}

export async function runPreflight(): Promise<CheckResult[]> {
  const [tsx, ports, classroom] = await Promise.all([checkTsx(), checkPorts(), checkClassroom()]);
  return [checkNode(), ...checkDependencies(), tsx, ...ports, checkWorkspace(), checkBrowser(), ...(classroom ? [classroom] : [])];
}
