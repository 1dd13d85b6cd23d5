/**
 * Vitest global setup, once per run: finds Chromium for the browser tests (browser.ts) and hands
 * its path to them (`inject('chromium')`), building web/dist first when it is stale. Without a
 * browser it prints one line saying how to run them and they skip; with CI or REQUIRE_BROWSER set
 * a missing browser fails the run instead. It prints the skip notice of the other tool groups
 * (poppler, LibreOffice, xmllint) here too, once per run rather than once per test file.
 */
import type { TestProject } from 'vitest/node';
import { browserRequired, findChromium, missingBrowserMessage, SKIP_NOTICE } from './browser.ts';
import { buildWebIfStale } from './build-web.ts';
import { skipNotices } from '../../support/skip-notices.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Chromium's executable for the browser tests; null when they are skipped. */
    chromium: string | null;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  for (const notice of skipNotices()) console.warn(notice);
  const lookup = findChromium();
  if (!lookup.found) {
    if (browserRequired()) throw new Error(missingBrowserMessage(lookup));
    console.warn(SKIP_NOTICE);
    project.provide('chromium', null);
    return;
  }
  project.provide('chromium', lookup.executablePath);
  await buildWebIfStale();
}
