/**
 * How the browser tests find Chromium (test/e2e/support/browser.ts): CHROME_PATH, then the usual
 * names on PATH, then Playwright's cache; and when a missing browser fails instead of skipping.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserRequired, findChromium, missingBrowserMessage } from '../e2e/support/browser.ts';

let dir: string;
const exe = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cahier-browser-lookup-'));
  await mkdir(join(dir, 'a'));
  await mkdir(join(dir, 'b'));
  for (const path of ['a/google-chrome', 'b/chromium', 'managed-chrome', 'explicit-chrome']) {
    await writeFile(exe(path), '#!/bin/sh\n');
    await chmod(exe(path), 0o755);
  }
  await writeFile(exe('a/chromium-browser'), 'not executable');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const none = () => undefined;

describe('findChromium', () => {
  test('CHROME_PATH wins over PATH and Playwright', () => {
    const found = findChromium({ CHROME_PATH: exe('explicit-chrome'), PATH: join(dir, 'b') }, () => exe('managed-chrome'));
    expect(found).toEqual({ found: true, executablePath: exe('explicit-chrome'), source: 'CHROME_PATH' });
  });

  test('a CHROME_PATH that names no executable is an error, not a silent fallback', () => {
    expect(() => findChromium({ CHROME_PATH: exe('a/chromium-browser'), PATH: join(dir, 'b') }, none)).toThrow(/CHROME_PATH=.* is not an executable file/);
  });

  test('on PATH, chromium is preferred to google-chrome whatever the directory order; non-executable files are ignored', () => {
    const found = findChromium({ PATH: [join(dir, 'a'), join(dir, 'b')].join(':') }, none);
    expect(found).toEqual({ found: true, executablePath: exe('b/chromium'), source: 'PATH' });
    expect(findChromium({ PATH: join(dir, 'a') }, none)).toEqual({ found: true, executablePath: exe('a/google-chrome'), source: 'PATH' });
  });

  test("then Playwright's own browser, when it is installed", () => {
    expect(findChromium({ PATH: '/nonexistent' }, () => exe('managed-chrome'))).toEqual({ found: true, executablePath: exe('managed-chrome'), source: 'playwright' });
  });

  test('nothing found: says what was tried', () => {
    const lookup = findChromium({ PATH: '/nonexistent' }, () => exe('not-there'));
    expect(lookup.found).toBe(false);
    if (lookup.found) return;
    expect(missingBrowserMessage(lookup, { REQUIRE_BROWSER: '1' })).toMatch(/^REQUIRE_BROWSER=1: the browser tests need Chromium and none was found \(tried CHROME_PATH \(unset\); chromium, .* on PATH; Playwright's browser cache/);
  });
});

describe('browserRequired', () => {
  test('CI or REQUIRE_BROWSER make a missing browser fail; unset, empty, 0 or false do not', () => {
    expect(browserRequired({ CI: 'true' })).toBe(true);
    expect(browserRequired({ REQUIRE_BROWSER: '1' })).toBe(true);
    expect(browserRequired({})).toBe(false);
    expect(browserRequired({ CI: '', REQUIRE_BROWSER: '0' })).toBe(false);
    expect(browserRequired({ CI: 'false' })).toBe(false);
  });
});
