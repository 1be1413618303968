/**
 * The one place that knows where a Chromium lives on this machine and how to start it headless
 * for a check: Debian's package, Chrome or Chromium elsewhere, or CHROME_PATH. Never a
 * download: when none is found, callers say how to install one.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';

const CANDIDATES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: [
    path.join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'),
    path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google', 'Chrome', 'Application', 'chrome.exe'),
    path.join(process.env.LOCALAPPDATA ?? '', 'Google', 'Chrome', 'Application', 'chrome.exe'),
  ],
};

export const INSTALL_BROWSER = 'Install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or Chrome, or set CHROME_PATH to a Chrome or Chromium executable, then check again';

/** CHROME_PATH names the browser to use; CHROME_PATH=none checks without one, as a machine without it would. */
export function findChromium(): string | undefined {
  if (process.env.CHROME_PATH === 'none') return undefined;
  if (process.env.CHROME_PATH && existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
  return CANDIDATES[process.platform]?.find((candidate) => existsSync(candidate));
}

/** A headless browser with a fresh profile of its own; close() ends it and removes the profile. */
export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<Chromium> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'fsts-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    // No network chatter of the browser's own, no first-run screens: it talks only to the server under check.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 20_000,
  });
  return {
    context,
    async close() {
      // Chromium writes to its profile until its process has exited, which close() waits for;
      // only then can the folder go. A few retries cover a file system slow to let go.
      await context.close();
      await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => {
        // Left in the system's temporary directory, which the system cleans: never a failed check.
      });
    },
  };
}
