/**
 * Turn what a learner types after `join` into the board's origin. People copy the address off a
 * projector in every shape — `192.168.1.23:4000`, `http://192.168.1.23:4000/`, a bare IP, a
 * `.local` name, `[fe80::1]:4000` — so accept them all, and say clearly what is wrong otherwise.
 */

export const DEFAULT_BOARD_PORT = 4000;

export function parseBoardAddress(text: string): { ok: true; origin: string } | { ok: false; reason: string } {
  const trimmed = text.trim().replace(/\/+$/, '');
  if (!trimmed) return { ok: false, reason: 'the address is empty' };
  if (/^https:\/\//i.test(trimmed)) return { ok: false, reason: 'the board speaks plain http, not https' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: `"${text}" is not an address like 192.168.1.23:4000` };
  }
  if (url.protocol !== 'http:') return { ok: false, reason: 'the board speaks plain http' };
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { ok: false, reason: `"${text}" has more than a host and a port; type it as 192.168.1.23:4000` };
  }
  if (!url.port) url.port = String(DEFAULT_BOARD_PORT);
  return { ok: true, origin: url.origin };
}
