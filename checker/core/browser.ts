/**
 * The one place that knows where a Chromium lives on this machine and how to start it headless
 * for a check: Debian's package, Chrome or Chromium elsewhere, or CHROME_PATH. Never a
 * download: when none is found, callers say how to install one.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

/** A fresh headless browser profile; close() also removes the profile folder. */
export async function launchChromium(executablePath: string): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'fsts-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    // No network chatter of the browser's own, no first-run screens: it talks only to the server under check.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 20_000,
  });
  context.on('close', () => {
    // Chromium may still be writing its profile as it exits (ENOTEMPTY): retry a few times, and
    // never let a leftover temporary folder fail a check.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      // The folder stays in the system's temporary directory, which the system cleans.
    }
  });
  return context;
}
