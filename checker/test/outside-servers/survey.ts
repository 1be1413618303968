/**
 * The survey: every outside server through every stage's check, one run at a time, and what
 * failed. `npx tsx checker/test/outside-servers/survey.ts [--servers nginx,apache] [--stages 1-12]
 * [--repo DIR] [--out FILE]` prints a summary and writes the whole result as JSON (default
 * /tmp/outside-servers-survey.json). Stage 12 runs with the server's directory listings on
 * (OUTSIDE_LISTINGS=1); every other stage with them off.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkStage, type StageRun } from './check-stage.ts';
import { EXPECTED_FAILURES, describeExpected } from './expected-failures.ts';
import { isInstalled } from './run-outside-server.ts';
import { OUTSIDE_SERVERS } from './servers.ts';

const { values } = parseArgs({
  options: {
    servers: { type: 'string' },
    stages: { type: 'string', default: '1-12' },
    repo: { type: 'string' },
    out: { type: 'string', default: '/tmp/outside-servers-survey.json' },
    timeout: { type: 'string', default: '150' },
  },
});

const [from, to] = values.stages.split('-').map(Number) as [number, number?];
const stages = Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
const wanted = values.servers?.split(',');
const servers = OUTSIDE_SERVERS.filter((server) => !wanted || wanted.includes(server.name));

const result: Record<string, StageRun[]> = {};
for (const server of servers) {
  if (!isInstalled(server.binary)) {
    console.log(`\n## ${server.name}: not installed (${server.binary}; apt-get install -y ${server.debianPackage})`);
    continue;
  }
  console.log(`\n## ${server.name}`);
  const runs: StageRun[] = (result[server.name] = []);
  for (const stage of stages) {
    const run = await checkStage(server.entry, stage, {
      repo: values.repo,
      timeoutMs: Number(values.timeout) * 1000,
      env: { OUTSIDE_LISTINGS: stage === 12 ? '1' : undefined },
    });
    runs.push(run);
    const passed = run.own.length === 0 && !run.trouble;
    console.log(`\nstage ${stage}: ${passed ? 'passes its own suite' : `${run.own.length} failed`} (${run.ownPassed.length} passed, ${run.ownSkipped.length} skipped, ${(run.durationMs / 1000).toFixed(1)} s)`);
    if (run.trouble) console.log(`  !! ${run.trouble}`);
    const listed = EXPECTED_FAILURES[server.name];
    for (const failure of [...run.own, ...run.earlier]) {
      const entry = listed.find((e) => e.stage === failure.stage && e.requirement === failure.requirement);
      console.log(`  ✗ [${failure.stage}] ${failure.requirement}\n      ${failure.problem.replaceAll('\n', '\n      ')}\n      → ${entry ? describeExpected(entry) : 'NOT ON THE LIST'}`);
    }
    for (const entry of listed.filter((e) => e.stage === stage && run.ownPassed.includes(e.requirement))) {
      console.log(`  ✓ listed but passes: [${entry.stage}] ${entry.requirement}`);
    }
    for (const skipped of run.ownSkipped) console.log(`  - skipped: ${skipped}`);
    writeFileSync(values.out, JSON.stringify(result, null, 2));
  }
}
console.log(`\nWritten to ${values.out}`);
