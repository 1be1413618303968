/**
 * "Try it by hand": how to send the failing request to the learner's own server, once the check
 * is over. A request for a file that only the checker's temporary ROOT held (the fixture's
 * /logo.png, a generated 20 MB file) would only get a 404 from the learner's public/ folder,
 * which teaches nothing: then the line says to put such a file there first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FIXTURE_FILES } from '../core/fixture-root.ts';
import { asCommand } from '../http/as-curl.ts';
import { style } from './style.ts';
import { keepTogether, wrapItem } from './wrap-text.ts';

export function tryByHand(sent: string, received: string | undefined, entry: string, width: number, indent: string): string[] {
  const start = `${style.dim('Try it by hand: start your server with')} ${style.command(keepTogether(`npx tsx ${entry}`))}${style.dim(', then run')}`;
  const out = wrapItem(start, width, indent);
  const file = checkerOnlyFile(sent, received, entry);
  if (file) out.push(...wrapItem(style.dim(`(The checker's own folder had ${file}: put a file there in your public/ folder first.)`), width, indent));
  out.push(`${indent}  ${style.command(asCommand(sent))}`);
  return out;
}

/** The file the request names, when the checker's ROOT had it and the learner's public/ folder does not. */
function checkerOnlyFile(sent: string, received: string | undefined, entry: string): string | undefined {
  const target = /^[A-Z]+ (\/[^ ?#]*)/.exec(sent)?.[1];
  if (!target || target.endsWith('/')) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(target).slice(1);
  } catch {
    return undefined;
  }
  if (name.split('/').some((segment) => segment === '..' || segment === '')) return undefined;
  const publicFolder = path.join(path.dirname(path.resolve(entry)), 'public');
  if (!existsSync(publicFolder) || existsSync(path.join(publicFolder, ...name.split('/')))) return undefined;
  // Found there: named in the fixture, or answered as a file that exists (the suites make some).
  const found = /^HTTP\/1\.[01] (200|206|304|416) /.test(received ?? '');
  return Object.hasOwn(FIXTURE_FILES, name) || found ? `/${name}` : undefined;
}
