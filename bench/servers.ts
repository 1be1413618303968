/**
 * The final reference solution against the static servers people actually use, side by side
 * in one invocation on loopback: Python's http.server (the course's starting story), npm's
 * http-server, serve and sirv-cli, a plain node:http static server, and nginx with one worker.
 * Load from wrk (Debian package) with keep-alive; several passes; ratios taken within a pass;
 * medians reported. Also: the reference server's memory while it serves a 1 GiB file.
 *
 * Needs: wrk and nginx (apt-get install wrk nginx-light), python3, and the npm servers in a
 * folder of their own: npm install --prefix /tmp/competitors http-server serve sirv-cli
 * Run:   npx tsx bench/servers.ts [passes=3] [seconds=3] [competitors=/tmp/competitors]
 * Writes bench/results-servers.md (machine, versions, commands, medians, ratios).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO_ROOT } from '../checker/core/paths.ts';
import { revalidationHeaders } from '../checker/core/load-test.ts';
import { waitForPort } from '../checker/core/port-probe.ts';
import { residentMemory } from '../checker/core/process-stats.ts';

const passes = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 3);
const competitors = process.argv[4] ?? '/tmp/competitors';
const bin = (name: string) => path.join(competitors, 'node_modules', '.bin', name);

// The files every server serves.
// Everything this run writes goes in one folder, removed at the end.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'fsts-bench-servers-'));
const root = path.join(scratch, 'root');
mkdirSync(root);
writeFileSync(path.join(root, 'small.html'), `<!doctype html><title>small</title><p>${'Hello, server. '.repeat(60)}</p>\n`);
writeFileSync(path.join(root, '100k.bin'), randomBytes(100 * 1024));
writeFileSync(path.join(root, '10m.bin'), randomBytes(10 * 1024 * 1024));
// mkdtemp makes a private folder; nginx's worker runs as another user and must read it.
chmodSync(scratch, 0o755);
chmodSync(root, 0o755);
const huge = openSync(path.join(root, '1g.bin'), 'w');
ftruncateSync(huge, 1024 ** 3);
closeSync(huge);

interface Server {
  name: string;
  /** True when the server checks the file on every request, so a changed file gets new validators. */
  noticesChanges: boolean;
  start(port: number): ChildProcess;
}

const nginxConfig = (port: number) => {
  const dir = mkdtempSync(path.join(scratch, 'nginx-'));
  mkdirSync(path.join(dir, 'logs'));
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${port}; root ${root}; etag on; add_header Cache-Control no-cache; } }\n`);
  return file;
};

const serveConfig = () => {
  const file = path.join(mkdtempSync(path.join(scratch, 'serve-')), 'serve.json');
  writeFileSync(file, JSON.stringify({ cleanUrls: false }));
  return file;
};

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) => spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });

const SERVERS: Server[] = [
  { name: 'this course (solution 9)', noticesChanges: true, start: (port) => run(process.execPath, ['--import', 'tsx', 'solutions/09-capstone/server.ts'], { PORT: String(port), ROOT: root }) },
  { name: 'Python http.server', noticesChanges: true, start: (port) => run('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root]) },
  { name: 'http-server', noticesChanges: true, start: (port) => run(process.execPath, [bin('http-server'), root, '-p', String(port), '-a', '127.0.0.1', '-s', '-c-1']) },
  // serve answers /small.html with a 301 to /small unless its "clean URLs" are turned off.
  { name: 'serve', noticesChanges: true, start: (port) => run(process.execPath, [bin('serve'), root, '-l', `tcp://127.0.0.1:${port}`, '-n', '-L', '-u', '-c', serveConfig()]) },
  // sirv reads every file's metadata once at start-up: a changed file keeps its old validators.
  { name: 'sirv-cli', noticesChanges: false, start: (port) => run(process.execPath, [bin('sirv'), root, '--port', String(port), '--host', '127.0.0.1', '--etag', '--quiet']) },
  { name: 'node:http static', noticesChanges: true, start: (port) => run(process.execPath, ['--import', 'tsx', 'bench/competitors/node-http-static.ts'], { PORT: String(port), ROOT: root }) },
  { name: 'nginx (1 worker)', noticesChanges: true, start: (port) => run('nginx', ['-c', nginxConfig(port)]) },
];

const SCENARIOS = [
  { name: 'small file (1 KB)', path: '/small.html', conditional: false },
  { name: '100 KB file', path: '/100k.bin', conditional: false },
  { name: '10 MB file', path: '/10m.bin', conditional: false },
  { name: '304 revalidation', path: '/small.html', conditional: true },
] as const;

interface Measure {
  rps: number;
  p99ms: number;
}

/**
 * What the server answers to one request of the scenario: wrk counts a 301 or a 304 as a
 * success, so a server that redirects, or revalidates when it should send the file, would look
 * fast for doing something else. A run only counts after the right status and the whole body.
 */
async function wrongAnswer(port: number, urlPath: string, headers: Record<string, string>): Promise<string | undefined> {
  const url = `http://127.0.0.1:${port}${urlPath}`;
  const ask = () => fetch(url, { headers, redirect: 'manual' });
  const response = await ask().catch(ask);
  const body = Buffer.from(await response.arrayBuffer());
  const expected = Object.keys(headers).length > 0 ? 304 : 200;
  if (response.status !== expected) return `answered ${response.status}, not ${expected}`;
  if (expected === 200 && body.length !== statSync(path.join(root, urlPath)).size) return `sent ${body.length} bytes, not the whole file`;
  return undefined;
}

function wrk(port: number, urlPath: string, headers: Record<string, string>): Measure {
  const extra = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const out = execFileSync('wrk', ['-t1', '-c32', `-d${seconds}s`, '--latency', ...extra, `http://127.0.0.1:${port}${urlPath}`], { encoding: 'utf8' });
  // A server that answers errors quickly is not fast: a run with any non-2xx/3xx answer counts as nothing.
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  if (errors > 0) console.error(`  ${errors} error responses from ${urlPath} on port ${port}: not counted`);
  const rps = errors > 0 ? 0 : Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p99 = /99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  const unit: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
  const p99ms = p99 ? Number(p99[1]) * (unit[p99[2] ?? 'ms'] ?? 1) : NaN;
  return { rps, p99ms };
}

const results = new Map<string, Measure[]>(); // `${server}|${scenario}` → one per pass
let port = 19000;
for (let pass = 0; pass < passes; pass++) {
  for (const server of SERVERS) {
    port += 1;
    const child = server.start(port);
    try {
      if (!(await waitForPort(port, 10_000))) throw new Error(`${server.name}: nothing listened on port ${port}`);
      wrk(port, '/small.html', {}); // warm-up: JIT, file caches
      for (const scenario of SCENARIOS) {
        const headers = scenario.conditional ? await revalidationHeaders(`http://127.0.0.1:${port}${scenario.path}`) : {};
        const wrong = await wrongAnswer(port, scenario.path, headers);
        if (wrong) console.error(`  ${server.name} ${wrong} for ${scenario.name}: not counted`);
        const measure = wrong ? { rps: 0, p99ms: NaN } : wrk(port, scenario.path, headers);
        const key = `${server.name}|${scenario.name}`;
        results.set(key, [...(results.get(key) ?? []), measure]);
        console.error(`pass ${pass + 1} ${server.name.padEnd(26)} ${scenario.name.padEnd(18)} ${measure.rps.toFixed(0).padStart(7)} req/s  p99 ${measure.p99ms.toFixed(2)} ms`);
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

/** Resident memory of the reference solution while one client downloads the 1 GiB file at full speed. */
async function memoryWhileServing(file: string): Promise<{ before: number; peak: number }> {
  port += 1;
  const child = SERVERS[0]!.start(port);
  if (!(await waitForPort(port, 10_000))) throw new Error(`nothing listened on port ${port}`);
  const before = residentMemory(child.pid!) ?? 0;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, residentMemory(child.pid!) ?? 0)), 50);
  const response = await fetch(`http://127.0.0.1:${port}/${file}`);
  for await (const _ of response.body!) void _;
  clearInterval(sampler);
  child.kill('SIGTERM');
  return { before, peak };
}
const memory = { '10m.bin': await memoryWhileServing('10m.bin'), '1g.bin': await memoryWhileServing('1g.bin') };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const reference = SERVERS[0]!.name;
/** The first line a program prints about its version, wherever it prints it (nginx -v: stderr; wrk -v: stdout, exit code 1). */
const version = (command: string, args: string[]): string => {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0] ?? '';
};
const lines = [
  '# Static servers, side by side',
  '',
  `Generated by \`npx tsx bench/servers.ts ${passes} ${seconds}\` on ${new Date().toISOString().slice(0, 10)}.`,
  '',
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; the load tool shares the cores with the server.`,
  `Versions: node ${process.version}; ${version('python3', ['--version'])}; ${version('nginx', ['-v'])}; wrk ${version('wrk', ['-v']).replace(/^wrk /, '').replace(/ Copyright.*/, '')};` +
    ` http-server ${version(process.execPath, [bin('http-server'), '--version'])}; serve ${version(process.execPath, [bin('serve'), '--version'])}; sirv-cli ${version(process.execPath, [bin('sirv'), '--version'])}.`,
  `Load: \`wrk -t1 -c32 -d${seconds}s --latency\` (keep-alive), after a warm-up run; ${passes} passes; every number is the median over passes, and every ratio is taken within a pass, then the median.`,
  '',
];
for (const scenario of SCENARIOS) {
  lines.push(`## ${scenario.name}`, '', '| server | req/s | p99 latency | this course ÷ server |', '|---|---:|---:|---:|');
  for (const server of SERVERS) {
    const measures = results.get(`${server.name}|${scenario.name}`) ?? [];
    const ours = results.get(`${reference}|${scenario.name}`) ?? [];
    const ratio = median(measures.map((m, i) => (ours[i]?.rps ?? 0) / m.rps));
    const note = scenario.conditional && !server.noticesChanges ? ' (keeps stale validators after a change)' : '';
    lines.push(`| ${server.name}${note} | ${median(measures.map((m) => m.rps)).toFixed(0)} | ${median(measures.map((m) => m.p99ms)).toFixed(2)} ms | ${server.name === reference ? '—' : `${ratio.toFixed(2)}×`} |`);
  }
  lines.push('');
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
lines.push(
  '## Memory while serving one large file (this course\'s solution)',
  '',
  '| file | resident memory before | peak while serving |',
  '|---|---:|---:|',
  ...Object.entries(memory).map(([file, m]) => `| ${file} | ${mib(m.before)} | ${mib(m.peak)} |`),
  '',
);
writeFileSync(path.join(REPO_ROOT, 'bench', 'results-servers.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
rmSync(scratch, { recursive: true, force: true });
