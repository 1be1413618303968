/**
 * `npm run bench`: your server against this course's reference solution and against Python's
 * http.server — the server the course began with — on a small page and on a 304 revalidation,
 * printed as a table. A rough, friendly measure on your own machine; bench/ has the careful one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { createFixtureRoot, FIXTURE_FILES } from '../core/fixture-root.ts';
import { loadTest, revalidationHeaders, type LoadResult } from '../core/load-test.ts';
import { waitForPort } from '../core/port-probe.ts';
import { freePort, startServer } from '../core/run-server.ts';
import { onShutdown } from '../core/shutdown.ts';
import { coreStages, stagePaths } from '../core/stages.ts';
import { messages } from '../messages.ts';
import { style } from '../ui/style.ts';
import { ownServer, UsageError, type Command } from './command.ts';

interface Row {
  name: string;
  page?: LoadResult;
  revalidation?: LoadResult;
  note?: string;
}

const PAGE = '/index.html';

export const bench: Command = {
  summary: 'Measure your server against the reference solution and Python\'s http.server',
  usage: 'npm run bench [N] [-- --seconds 3]',
  options: {
    seconds: { type: 'string', description: 'how long each measurement runs (default 3)' },
  },
  async run({ positionals, values }) {
    const own = ownServer(positionals[0]);
    if (!own) return 1;
    const { stage, entry } = own;
    const seconds = Number(values.seconds ?? 3);
    if (!(seconds > 0 && seconds <= 60)) throw new UsageError(messages.badOption('--seconds takes a number from 1 to 60'));

    const fixture = await createFixtureRoot();
    // The finished course's server: the bonus stages add features, not speed.
    const reference = stagePaths(coreStages.at(-1)!).solutionEntry;
    console.log(style.dim(`Each server gets ${seconds} s of requests from 32 connections at once, after a 1 s warm-up. Your machine runs both the servers and the load.\n`));
    const rows: Row[] = [];
    try {
      rows.push(await measureCourseServer(`yours (stage ${stage.id})`, entry, fixture.root, seconds));
      rows.push(await measureCourseServer('reference solution', reference, fixture.root, seconds));
      rows.push(await measurePython(fixture.root, seconds));
    } finally {
      await fixture.cleanup();
    }
    console.log(table(rows));
    return 0;
  },
};

async function measureCourseServer(name: string, entry: string, root: string, seconds: number): Promise<Row> {
  process.stdout.write(style.dim(`Measuring ${name}…\n`));
  const start = await startServer({ entry, root });
  if (!start.ok) return { name, note: `did not start (${start.problem.kind}): run npm run check` };
  try {
    return { name, ...(await measure(start.server.port, seconds)) };
  } finally {
    await start.server.stop();
  }
}

async function measurePython(root: string, seconds: number): Promise<Row> {
  const name = 'Python http.server';
  const python = ['python3', 'python'].find((command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!python) return { name, note: 'Python is not installed here' };
  process.stdout.write(style.dim(`Measuring ${name}…\n`));
  const port = await freePort();
  const child = spawn(python, ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
  const forget = onShutdown(() => child.kill());
  try {
    if (!(await waitForPort(port, 5000))) return { name, note: 'did not start' };
    return { name, ...(await measure(port, seconds)) };
  } finally {
    child.kill();
    forget();
  }
}

async function measure(port: number, seconds: number): Promise<Pick<Row, 'page' | 'revalidation'>> {
  const url = `http://127.0.0.1:${port}${PAGE}`;
  const page = await loadTest(url, { seconds });
  const revalidation = await loadTest(url, { seconds, headers: await revalidationHeaders(url) });
  return { page, revalidation };
}

function table(rows: Row[]): string {
  const cell = (result: LoadResult | undefined) =>
    !result ? '—' : result.errors > 0 ? style.warn(`${result.errors} errors`) : `${Math.round(result.requestsPerSecond).toLocaleString('en')} req/s, p99 ${result.p99Ms} ms`;
  const lines = rows.map((row) => [row.name, row.note ? style.dim(row.note) : cell(row.page), row.note ? '' : cell(row.revalidation)]);
  const header = ['server', `${PAGE} (${Buffer.byteLength(FIXTURE_FILES['index.html']!)} bytes)`, 'revalidation (304)'];
  const visible = (cell: string) => stripVTControlCharacters(cell).length;
  const width = (i: number) => Math.max(...[header, ...lines].map((l) => visible(l[i]!)));
  const format = (l: string[]) => l.map((c, i) => c + ' '.repeat(width(i) - visible(c))).join('   ');
  return `\n${style.strong(format(header))}\n${lines.map(format).join('\n')}\n`;
}
