/**
 * What each page costs a reader: its HTML plus every stylesheet and script it loads, raw and
 * gzipped. The search index is not counted: site.js loads it on the first search only.
 * Measured from the generated files themselves, so the numbers cannot drift from what ships.
 */
import { gzipSync } from 'node:zlib';

export interface PageWeight {
  readonly page: string;
  readonly html: number;
  /** Stylesheets and scripts the page loads, in bytes. */
  readonly assets: number;
  readonly total: number;
  readonly gzipped: number;
}

const ASSET_REF = /<(?:link rel="stylesheet"|script) (?:href|src)="([^"]+)"/g;

/** `read` returns a site file's text by its path relative to site/ (generated or hand-written). */
export function pageWeights(pages: readonly string[], read: (file: string) => string): PageWeight[] {
  return pages.map((page) => {
    const html = read(page);
    const assets = [...html.matchAll(ASSET_REF)].map((m) => read(m[1]!));
    const bytes = (text: string) => Buffer.byteLength(text);
    const assetBytes = assets.reduce((sum, text) => sum + bytes(text), 0);
    return {
      page,
      html: bytes(html),
      assets: assetBytes,
      total: bytes(html) + assetBytes,
      gzipped: [html, ...assets].reduce((sum, text) => sum + gzipSync(text).length, 0),
    };
  });
}

export function weightTable(weights: readonly PageWeight[]): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
  const width = Math.max(...weights.map((w) => w.page.length));
  return [
    `${'page'.padEnd(width)}       html   css+js    total  gzipped`,
    ...weights.map((w) => `${w.page.padEnd(width)}  ${kb(w.html)}${kb(w.assets)}${kb(w.total)}${kb(w.gzipped)}`),
  ].join('\n');
}
