/**
 * Where the browser tests find Chromium, in this order:
 * 1. `CHROME_PATH`, when set (an explicit choice: a path that is not an executable file is an error);
 * 2. the usual binary names on `PATH` (Debian's `chromium`, Ubuntu's `chromium-browser`, Google Chrome);
 * 3. a browser that Playwright installed itself (`npx playwright install chromium`, in its cache).
 * Nothing is ever downloaded. When none is found the browser tests are skipped, with one line
 * saying how to run them, unless `CI` or `REQUIRE_BROWSER` is set: then the run fails.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { chromium } from 'playwright-core';

/** Names tried on PATH, most specific first. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'] as const;

export type BrowserLookup =
  | { found: true; executablePath: string; source: 'CHROME_PATH' | 'PATH' | 'playwright' }
  | { found: false; tried: string[] };

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Looks Chromium up. Pure but for the file system: pass the environment (and, in tests, where
 * Playwright keeps its browser). Throws when CHROME_PATH names no executable file.
 */
export function findChromium(
  env: Record<string, string | undefined> = process.env,
  playwrightPath: () => string | undefined = () => {
    try {
      return chromium.executablePath();
    } catch {
      return undefined;
    }
  },
): BrowserLookup {
  const explicit = env.CHROME_PATH?.trim();
  if (explicit) {
    if (!isAbsolute(explicit) || !isExecutableFile(explicit)) {
      throw new Error(`CHROME_PATH=${explicit} is not an executable file (give the absolute path of a Chromium or Chrome binary, or unset it)`);
    }
    return { found: true, executablePath: explicit, source: 'CHROME_PATH' };
  }
  const tried: string[] = ['CHROME_PATH (unset)'];
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return { found: true, executablePath: candidate, source: 'PATH' };
    }
  }
  tried.push(`${CHROMIUM_NAMES.join(', ')} on PATH`);
  const managed = playwrightPath();
  if (managed && isExecutableFile(managed)) return { found: true, executablePath: managed, source: 'playwright' };
  tried.push(`Playwright's browser cache${managed ? ` (${managed})` : ''}`);
  return { found: false, tried };
}

/** Whether a missing browser must fail the run instead of skipping the browser tests. */
export function browserRequired(env: Record<string, string | undefined> = process.env): boolean {
  return isSet(env.CI) || isSet(env.REQUIRE_BROWSER);
}

/** Whether an environment switch is on: set, and neither empty, `0` nor `false`. */
export function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** The one line printed when the browser tests are skipped. */
export const SKIP_NOTICE =
  'Browser tests (test/e2e) skipped: no Chromium found. To run them, install one (Debian: apt-get install chromium) or set CHROME_PATH=/path/to/chrome; set REQUIRE_BROWSER=1 to make a missing browser fail.';

/** The error when a browser is required and missing. */
export function missingBrowserMessage(lookup: Extract<BrowserLookup, { found: false }>, env: Record<string, string | undefined> = process.env): string {
  const why = env.REQUIRE_BROWSER ? `REQUIRE_BROWSER=${env.REQUIRE_BROWSER}` : `CI=${env.CI}`;
  return `${why}: the browser tests need Chromium and none was found (tried ${lookup.tried.join('; ')}). Install it (Debian: apt-get install chromium) or set CHROME_PATH.`;
}
