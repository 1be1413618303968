/**
 * Tell when a file in the learner's folder changes. Node's file events where they work; where
 * they do not arrive — WSL on a Windows drive (/mnt/c/…), network folders, some containers —
 * polling: every half second, the folder's files' sizes and modification times are compared
 * with the last look. Polling is chosen by --poll, by a folder under /mnt on WSL, or when file
 * events cannot be set up at all.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const POLL_MS = 500;
/** Editors write a file in several steps: one change is reported once things are quiet. */
const SETTLE_MS = 50;
const SKIPPED = new Set(['node_modules', '.git']);

export interface FolderWatcher {
  readonly polling: boolean;
  close(): void;
}

export function watchFolder(folder: string, onChange: () => void, options: { poll?: boolean } = {}): FolderWatcher {
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  };
  if (!options.poll && !eventsUnreliable(folder)) {
    try {
      const watcher: FSWatcher = watch(folder, { recursive: true }, changed);
      // A watcher that fails later (the folder removed, too many watches) gives way to polling.
      let fallback: FolderWatcher | undefined;
      watcher.on('error', () => {
        watcher.close();
        fallback = pollFolder(folder, changed);
      });
      return {
        get polling() {
          return fallback !== undefined;
        },
        close() {
          clearTimeout(timer);
          watcher.close();
          fallback?.close();
        },
      };
    } catch {
      // No file events here: poll instead.
    }
  }
  const poller = pollFolder(folder, changed);
  return {
    polling: true,
    close() {
      clearTimeout(timer);
      poller.close();
    },
  };
}

/** WSL sees a Windows drive through a file system that does not pass on Windows' file events. */
function eventsUnreliable(folder: string): boolean {
  return process.platform === 'linux' && /microsoft/i.test(os.release()) && path.resolve(folder).startsWith('/mnt/');
}

function pollFolder(folder: string, changed: () => void): FolderWatcher {
  let last = snapshot(folder);
  const interval = setInterval(() => {
    const now = snapshot(folder);
    if (now !== last) {
      last = now;
      changed();
    }
  }, POLL_MS);
  return {
    polling: true,
    close: () => clearInterval(interval),
  };
}

/** Every file's path, size and modification time, as one string to compare. */
function snapshot(folder: string): string {
  const parts: string[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        visit(full);
        continue;
      }
      try {
        const { size, mtimeMs } = statSync(full);
        parts.push(`${full}\0${size}\0${mtimeMs}`);
      } catch {
        // Removed while we looked: the next look sees it gone.
      }
    }
  };
  visit(folder);
  return parts.sort().join('\n');
}
