/**
 * The browser tests' world: the local stack exactly as `npm start` runs it (dynalite and s3rver
 * persisted in a temporary folder, the catalogue seeded, the API and the built web app on one
 * origin, local tokens), on random ports; and headless Chromium driven by playwright-core, found
 * by the global setup (browser.ts: CHROME_PATH, then PATH, then Playwright's cache). No browser is
 * ever downloaded: .ci/run installs Debian's.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { loadLocalEnv } from '#src/entry/local-config.ts';
import { startLocalStack, type LocalStack } from '#src/entry/local-stack.ts';

/** Chromium's executable, or null when the browser tests are skipped (no browser on this machine). */
export const CHROMIUM: string | null = inject('chromium');
/** `describe.skipIf(!browserAvailable)` and an early return in hooks keep a browserless run green. */
export const browserAvailable = CHROMIUM !== null;
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));

export interface WebStack {
  url: string;
  stack: LocalStack;
  browser: Browser;
  /** A fresh context (its own storage), French locale, tablet-or-larger viewport. */
  newPage(options?: { width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/**
 * `config`: what `/config.json` serves, local sign-in by default. Serialized on each request, so a
 * test may fill it in once the stack's URL is known. `env`: more of the local stack's environment
 * (e.g. ACCESS_TOKEN_TTL_SECONDS, to see tokens expire within a test).
 */
export async function startWebStack(options: { config?: Record<string, unknown>; env?: Record<string, string> } = {}): Promise<WebStack> {
  if (CHROMIUM === null) throw new Error('no Chromium: the browser tests should have been skipped');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = await mkdtemp(join(tmpdir(), 'cahier-e2e-'));
  let stack: LocalStack | undefined;
  stack = await startLocalStack(
    loadLocalEnv({ PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir, TOKEN_TTL_HOURS: '1', ...options.env }),
    { AWS_MAX_ATTEMPTS: '3' },
    undefined,
    { dir: WEB_DIST, config: options.config ?? { apiUrl: '', auth: { kind: 'local' } }, tokens: () => stack?.tokens },
  );
  // A fresh temporary profile per launch (playwright's own --user-data-dir), removed on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const contexts: BrowserContext[] = [];
  return {
    url: stack.url,
    stack,
    browser,
    async newPage(options = {}) {
      // bypassCSP only so that axe-core can be injected as an inline script; the app itself runs under the served CSP.
      const context = await browser.newContext({
        locale: 'fr-FR',
        timezoneId: 'Europe/Paris',
        viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
        bypassCSP: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return { context, page };
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stack?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The stack of a test file: started before its tests (when a browser is there) and stopped after
 * them, each hook registered here, so a file's own `beforeAll` (opening its pages) runs once the
 * stack is up and its own `afterAll` before it stops. Read through the returned object, which
 * stands for the stack once started.
 */
export function webStackForFile(options: Parameters<typeof startWebStack>[0] = {}): WebStack {
  let started: WebStack | undefined;
  beforeAll(async () => {
    if (browserAvailable) started = await startWebStack(options);
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as WebStack, {
    get(_target, key) {
      if (started === undefined) throw new Error('the web stack of this file is not started: no browser, or its beforeAll failed');
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}

/** Signs in through the local sign-in page by picking the profile of `role` (code with PKCE against the local stack). */
export async function signIn(page: Page, url: string, role: 'buyer' | 'editor' | 'catalogue-manager'): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: role === 'buyer' ? /Acheteur public/ : role === 'editor' ? /Éditeur du ministère/ : /Gestionnaire de catalogue/ }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** axe-core run in the page (WCAG 2.x A and AA rules, which RGAA 4 follows); the violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(fileURLToPath(import.meta.resolve('axe-core/axe.min.js')), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

/** Serious and critical violations, described one per line (empty when none). */
export function seriousViolations(violations: readonly AxeViolation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

/**
 * Runs axe on the page and fails on any serious or critical violation, printing every violation
 * found; `strict` fails on any violation at all; `report` records the count per screen (printed by
 * the suites that sum them up).
 */
export async function expectAccessible(page: Page, screen: string, options: { strict?: boolean; report?: Record<string, number> } = {}): Promise<void> {
  const violations = await axe(page);
  if (options.report) options.report[screen] = violations.length;
  for (const v of violations) console.log(`axe ${screen}: ${v.impact} ${v.id} — ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(seriousViolations(violations), `axe on ${screen}`).toEqual([]);
  if (options.strict) expect(violations.map((v) => v.id), `axe on ${screen}`).toEqual([]);
}

/** The screenshots kept in the repository (docs/screenshots/.gitignore), shown by the README. */
const KEPT = new Set(['buyer-eligibility-lost', 'editor-conflict']);

/**
 * A screenshot for docs/screenshots. Those the repository keeps are rewritten only with
 * UPDATE_SCREENSHOTS=1, so a test run leaves the working tree clean (a rendered PNG differs by a
 * few bytes from run to run); the others, ignored by git, are written every time.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  const dir = KEPT.has(name) && process.env.UPDATE_SCREENSHOTS !== '1' ? join(tmpdir(), 'cahier-screenshots') : SCREENSHOTS;
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}

/** Writes text next to the screenshots (axe summaries, for the README). */
export async function note(name: string, text: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await writeFile(join(SCREENSHOTS, name), text);
}
