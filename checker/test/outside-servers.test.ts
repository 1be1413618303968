/**
 * The checker is fair to real servers: nginx and Apache httpd, configured as a careful admin
 * configures a static site (checker/test/outside-servers/), are run through every stage's check
 * by the real CLI, and each fails exactly the requirements listed for it in
 * outside-servers/expected-failures.ts — each one a real violation of an RFC MUST, a rule of this
 * course the server cannot meet, or a known over-fit of the checker waiting for its fix.
 *
 * - A failure not on the list fails this test: either the checker over-fits, or the server really
 *   breaks a rule, which then goes on the list with the RFC MUST it breaks.
 * - A listed requirement that passes fails this test too, so the list stays true (a fixed
 *   over-fit comes off it).
 *
 * Only stage N's own suite counts (the JSON's stages[0]); a stage that passes its own suite also
 * runs the earlier ones, whose failures the earlier stage's test already judges. A server that
 * is not installed is skipped (.ci/run installs them: apt-get install -y nginx apache2).
 */
import { describe, test } from 'vitest';
import { stages } from '../core/stages.ts';
import { checkStage } from './outside-servers/check-stage.ts';
import { EXPECTED_FAILURES, describeExpected } from './outside-servers/expected-failures.ts';
import { isInstalled } from './outside-servers/run-outside-server.ts';
import { outsideServer, type OutsideServerInfo } from './outside-servers/servers.ts';

/**
 * .ci/run judges fairness once, on the machine's Node; its runs on other Node versions set this,
 * since the servers' answers do not depend on the checker's Node.
 */
const SKIPPED = process.env.FSTS_OUTSIDE_SERVERS === 'skip';

/** Two servers keep `npm test` reasonable; survey.ts runs all four. */
const SERVERS = [outsideServer('nginx'), outsideServer('apache')];

/** The fuzzing requirement of stage 8 draws its requests from this seed, so a run can be repeated. */
const FUZZ_SEED = '20240301';

/** A check of one stage takes 3–15 s here; on a busy machine, several times that. */
const CHECK_TIMEOUT_MS = 150_000;

describe.each(SERVERS.map((server) => [server.name, server] as const))('%s', (_name, server: OutsideServerInfo) => {
  const expected = EXPECTED_FAILURES[server.name];
  for (const { id: stage } of stages) {
    test.skipIf(!isInstalled(server.binary) || SKIPPED)(`stage ${stage}: fails only the requirements listed for it`, async ({ expect }) => {
      const run = await checkStage(server.entry, stage, {
        timeoutMs: CHECK_TIMEOUT_MS,
        // Stage 12 is about directory listings, so the server's listing module is turned on for it.
        env: { OUTSIDE_LISTINGS: stage === 12 ? '1' : undefined, FSTS_FUZZ_SEED: FUZZ_SEED },
      });
      expect(run.trouble, `${server.name} could not be checked at stage ${stage}`).toBeUndefined();
      const listed = expected.filter((entry) => entry.stage === stage);
      const problems: string[] = [];
      for (const failure of run.own) {
        if (listed.some((entry) => entry.requirement === failure.requirement)) continue;
        problems.push(
          `${server.name} fails "${failure.requirement}" (stage ${stage}), which is not on its list:\n  ${failure.problem}\n` +
            'Either the checker over-fits (it rejects an answer the RFCs allow), or this is a real violation to add to the list in checker/test/outside-servers/expected-failures.ts with its RFC MUST.',
        );
      }
      for (const entry of listed) {
        if (run.ownPassed.includes(entry.requirement)) {
          problems.push(`${server.name} passes "${entry.requirement}" (stage ${stage}), which its list says it fails (${describeExpected(entry)}): take it off the list in checker/test/outside-servers/expected-failures.ts.`);
        } else if (!run.own.some((failure) => failure.requirement === entry.requirement) && !run.ownSkipped.includes(entry.requirement)) {
          problems.push(`The list of ${server.name} names "${entry.requirement}" (stage ${stage}), but stage ${stage}'s suite has no requirement of that name: renamed?`);
        }
      }
      expect(problems, problems.join('\n\n')).toEqual([]);
    }, CHECK_TIMEOUT_MS + 30_000);
  }
});
