import path from 'node:path';

// The types browsers care about (RFC 9110 §8.3 says the sender should say what the bytes are).
// Text types name their charset, or a browser may guess wrongly.
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

// ANCHOR: content-type
export function contentType(file: string): string {
  // The extension is what follows the last dot of the name: "notes.html.bak" is a .bak file.
  // Anything unknown is declared as plain bytes rather than left for the browser to guess.
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
// ANCHOR_END: content-type
