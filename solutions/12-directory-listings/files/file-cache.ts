import type { Stats } from 'node:fs';

// ANCHOR: cache
/**
 * What the server learnt about a file the last time it served it: that its real path is inside
 * the root, and, for a small file, its bytes. A browser asks for the same few files over and
 * over; remembering saves the realpath(), open(), read() and close() each request would
 * otherwise cost. The stat() every request still makes is what keeps this honest: the memory
 * is used only while the file is the very same file (device and inode) and unchanged (size,
 * modification time, and change time — which also moves on a rename or a new link).
 */
export interface Remembered {
  readonly stats: Stats;
  /** The whole file, when it was small enough to keep. */
  readonly bytes?: Buffer;
}

const sameFile = (a: Stats, b: Stats) =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

export class FileCache {
  private readonly entries = new Map<string, Remembered>();
  private storedBytes = 0;
  private readonly maxFiles: number;
  private readonly maxBytes: number;

  /** At most `maxFiles` files and `maxBytes` bytes of content: a folder of any size fits in bounded memory. */
  constructor(maxFiles: number, maxBytes: number) {
    this.maxFiles = maxFiles;
    this.maxBytes = maxBytes;
  }

  /** What we remember about `file`, if `stats` (taken just now) shows it has not changed since. */
  recall(file: string, stats: Stats): Remembered | undefined {
    const entry = this.entries.get(file);
    if (entry === undefined) return undefined;
    this.forget(file);
    if (!sameFile(entry.stats, stats)) return undefined;
    // Put it back as the most recently used, so the files people want stay and others leave.
    this.store(file, entry);
    return entry;
  }

  remember(file: string, stats: Stats, bytes?: Buffer): void {
    this.forget(file);
    // Bytes that do not match the size stat saw belong to a file that changed while we read it.
    const keepBytes = bytes !== undefined && bytes.length === stats.size;
    this.store(file, { stats, bytes: keepBytes ? bytes : undefined });
    // A Map iterates in insertion order: the first keys are the ones used longest ago.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxFiles && this.storedBytes <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  private store(file: string, entry: Remembered): void {
    this.entries.set(file, entry);
    this.storedBytes += entry.bytes?.length ?? 0;
  }

  private forget(file: string): void {
    this.storedBytes -= this.entries.get(file)?.bytes?.length ?? 0;
    this.entries.delete(file);
  }
}
// ANCHOR_END: cache
