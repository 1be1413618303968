/**
 * `npm run site`: regenerate site/ from lessons/ and print what each page weighs.
 *
 * Writes only plain files at the top of site/ (never into site/build/ or site/assets/), and
 * removes generated files no stage produces any more (a renamed stage leaves no orphan page).
 * The output is deterministic: run it twice and git sees no change.
 */
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SITE_DIR } from '../../checker/core/paths.ts';
import { HTML_BANNER, JS_BANNER } from './banner.ts';
import { generateSite } from './generate-site.ts';
import { pageWeights, weightTable } from './page-weight.ts';
import { SiteError } from './site-error.ts';

function main(): void {
  const files = generateSite();
  for (const [name, text] of files) {
    if (name.includes('/') || name.includes(path.sep)) throw new Error(`The generator tried to write ${name}: it may only write plain files at the top of site/.`);
    writeFileSync(path.join(SITE_DIR, name), text);
  }
  for (const name of readdirSync(SITE_DIR)) {
    const file = path.join(SITE_DIR, name);
    if (files.has(name) || !statSync(file).isFile()) continue;
    const text = readFileSync(file, 'utf8');
    if (text.startsWith(HTML_BANNER) || text.startsWith(JS_BANNER)) {
      unlinkSync(file);
      console.log(`removed site/${name}, which nothing generates any more`);
    }
  }
  const pages = [...files.keys()].filter((name) => name.endsWith('.html'));
  const read = (name: string) => files.get(name) ?? readFileSync(path.join(SITE_DIR, name), 'utf8');
  console.log(`site/: ${files.size} files written.\n\n${weightTable(pageWeights(pages, read))}`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof SiteError)) throw error;
  console.error(`npm run site: ${error.message}`);
  process.exitCode = 1;
}
