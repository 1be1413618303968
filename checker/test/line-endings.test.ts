/**
 * A Windows checkout with core.autocrlf would turn LF into CR LF in every text file. Nothing in
 * the course may depend on that not happening: .gitattributes keeps every file as committed
 * (lesson files, fixtures and recorded outputs are compared byte for byte), and a server whose
 * source has CR LF line ends still sends exactly the bytes its code says.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { findStage, stagePaths } from '../core/stages.ts';
import { runCli } from './run-cli.ts';
import { scratchDir } from './scratch.ts';

const isCheckout = existsSync(path.join(REPO_ROOT, '.git'));

describe.concurrent('line endings', () => {
  test.runIf(isCheckout)('git never converts the line endings of any file of the course', ({ expect }) => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    const attributes = execFileSync('git', ['check-attr', 'text', '--stdin', '-z'], { cwd: REPO_ROOT, input: files.join('\0'), encoding: 'utf8' }).split('\0');
    // Triples of path, attribute, value.
    const converted: string[] = [];
    for (let i = 0; i + 2 < attributes.length; i += 3) if (attributes[i + 2] !== 'unset') converted.push(attributes[i]!);
    expect(converted).toEqual([]);
  });

  test('a server whose files have CR LF line ends sends the same bytes, and passes its stage', async ({ expect }) => {
    const stage = findStage(5)!;
    const folder = scratchDir('fsts-crlf-');
    cpSync(stagePaths(stage).solutionDir, folder, { recursive: true });
    const toCrlf = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) toCrlf(file);
        else if (file.endsWith('.ts')) writeFileSync(file, readFileSync(file, 'utf8').replace(/\r?\n/g, '\r\n'));
      }
    };
    toCrlf(folder);
    expect(readFileSync(path.join(folder, 'server.ts'), 'utf8')).toContain('\r\n');
    const result = await runCli(['check', String(stage.id), '--entry', path.join(folder, 'server.ts'), '--json'], { timeoutMs: 90_000 });
    expect((JSON.parse(result.stdout) as { ok: boolean }).ok, result.stdout.slice(0, 2000)).toBe(true);
  });
});
