/**
 * The board's web page: three plain files in page/ (HTML, CSS, JS — no framework, no CDN, no
 * build step), read once when the board starts and served with headers that forbid everything
 * the page does not need. The Content-Security-Policy allows scripts from the board only, so
 * even a name that slipped through as markup could never run.
 */
import { readFileSync } from 'node:fs';

export interface PageAsset {
  body: Buffer;
  type: string;
}

const asset = (file: string, type: string): PageAsset => ({ body: readFileSync(new URL(`./page/${file}`, import.meta.url)), type });

export function loadPageAssets(): Map<string, PageAsset> {
  const html = asset('board.html', 'text/html; charset=utf-8');
  return new Map([
    ['/', html],
    ['/index.html', html],
    ['/board.css', asset('board.css', 'text/css; charset=utf-8')],
    ['/board.js', asset('board.js', 'text/javascript; charset=utf-8')],
  ]);
}

export const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;
