/**
 * The only place colour is decided. kleur turns itself off for NO_COLOR, TERM=dumb and output
 * that is not a terminal, and on for FORCE_COLOR; everything else styles text through here.
 */
import kleur from 'kleur';

export const style = {
  heading: (text: string) => kleur.bold().underline(text),
  strong: (text: string) => kleur.bold(text),
  emphasis: (text: string) => kleur.italic(text),
  code: (text: string) => kleur.cyan(text),
  command: (text: string) => kleur.bold().cyan(text),
  path: (text: string) => kleur.underline(text),
  dim: (text: string) => kleur.dim(text),
  pass: (text: string) => kleur.green(text),
  fail: (text: string) => kleur.red(text),
  warn: (text: string) => kleur.yellow(text),
  caret: (text: string) => kleur.bold().red(text),
  added: (text: string) => kleur.green(text),
  removed: (text: string) => kleur.red(text),
};

export const symbols = {
  pass: style.pass('✓'),
  fail: style.fail('✗'),
  notRun: style.dim('·'),
  arrow: style.dim('→'),
};

export function colorEnabled(): boolean {
  return kleur.enabled;
}
