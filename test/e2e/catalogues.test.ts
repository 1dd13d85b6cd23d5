/**
 * A catalogue manager in headless Chromium: uploads the sample purchasing-centre catalogue, reads
 * the shares per item, filters the non-conform tablets with the keyboard and opens one product's
 * reasons; an editor measures the impact of a tightened storage threshold on the same file before
 * publishing; a buyer does not reach the page. axe finds no violation on any of these screens.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axe, browserAvailable, signIn, startWebStack, type WebStack } from './support/web-stack.ts';

const SAMPLE = fileURLToPath(new URL('../../examples/catalogue/catalogue-centrale.csv', import.meta.url));
const expected = JSON.parse(readFileSync(new URL('../../examples/catalogue/catalogue-centrale.expected.json', import.meta.url), 'utf8')) as Record<string, string>;

let web: WebStack;
let page: Page;

beforeAll(async () => {
  if (!browserAvailable) return;
  web = await startWebStack();
}, 60_000);
afterAll(async () => {
  await web?.stop();
});

async function expectNoAxeViolation(screen: string): Promise<void> {
  const violations = await axe(page);
  for (const v of violations) console.log(`axe ${screen}: ${v.impact} ${v.id} — ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(violations.map((v) => v.id), `axe on ${screen}`).toEqual([]);
}

async function upload(): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Catalogues' }).waitFor();
  await page.getByLabel('Fichier du catalogue (CSV ou JSON)').setInputFiles(SAMPLE);
  // The sample catalogue describes its products for version 2 (repairability index of tablets, which version 3 replaced by the EU class).
  await page.getByLabel(/^Version du référentiel/).fill('2');
  await page.getByRole('button', { name: 'Vérifier le catalogue' }).click();
  await page.getByRole('heading', { level: 2, name: /^Rapport : référentiel carmo-education, version 2$/ }).waitFor();
}

describe.skipIf(!browserAvailable)('catalogue manager', () => {
  test('uploads a catalogue, filters the non-conform tablets with the keyboard and opens a product’s reasons', async () => {
    ({ page } = await web.newPage());
    await signIn(page, web.url, 'catalogue-manager');
    const nav = await page.getByRole('navigation', { name: 'Menu principal' }).innerText();
    expect(nav).toContain('Catalogues');
    expect(nav).not.toContain('Critères de référence');
    await expectNoAxeViolation('catalogues (empty)');
    await upload();
    const conform = Object.values(expected).filter((v) => v === 'conform').length;
    expect(await page.getByRole('status').filter({ hasText: 'produits conformes sur 320' }).innerText()).toContain(`${conform}\u00a0produits conformes sur 320 (57,2\u00a0%)`);
    await expectNoAxeViolation('catalogue report');

    // Keyboard: focus the verdict filter, pick « non conforme », then the item filter, « Tablette élève ».
    await page.getByLabel('Verdict').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByLabel('Verdict').selectOption('not-conform');
    await page.getByLabel('Article').focus();
    await page.getByLabel('Article').selectOption('tablet');
    const notConformTablets = Object.entries(expected).filter(([ref, v]) => ref.startsWith('TAB-') && v === 'not-conform').map(([ref]) => ref);
    const rows = page.locator('table:has(caption:text("Produits et motifs")) tbody tr');
    await expect.poll(() => rows.count()).toBe(notConformTablets.length);
    expect(await rows.locator('th').allInnerTexts()).toEqual(notConformTablets);

    const first = notConformTablets[0]!;
    const summary = page.getByText(new RegExp(`motifs? pour ${first}$`));
    await summary.focus();
    await page.keyboard.press('Enter');
    const reasons = rows.first().locator('details li');
    await reasons.first().waitFor();
    expect(await reasons.first().innerText()).toMatch(/\(non conforme\) : .+ pour .+ exigé/);
    await expectNoAxeViolation('catalogue report filtered, reasons open');
  });
});

describe.skipIf(!browserAvailable)('ministry editor, before publishing', () => {
  test('measures which products a tightened storage threshold would exclude', async () => {
    ({ page } = await web.newPage());
    await signIn(page, web.url, 'editor');
    await page.goto(`${web.url}/#/catalogues`);
    await upload();
    await page.getByRole('heading', { level: 2, name: 'Impact d’un changement de seuil' }).waitFor();
    await page.getByLabel('Critère').selectOption('tablet.storage.user');
    await page.getByLabel('Nouveau seuil').fill('64');
    await page.getByRole('button', { name: 'Mesurer l’impact' }).click();
    const status = page.getByRole('status').filter({ hasText: 'perdrai' });
    await status.waitFor();
    const losing = page.locator('h3:text("Produits qui perdraient la conformité") + ul li');
    const count = await losing.count();
    expect(count).toBeGreaterThan(0);
    expect(await status.innerText()).toMatch(new RegExp(`^${count}\\s+produits? perdrai`));
    expect(await losing.first().innerText()).toMatch(/^TAB-\d{3} .+ conforme → non conforme ; Stockage/);
    await expectNoAxeViolation('impact');
  });

  test('a buyer neither sees nor opens the catalogue page', async () => {
    ({ page } = await web.newPage());
    await signIn(page, web.url, 'buyer');
    expect(await page.getByRole('navigation', { name: 'Menu principal' }).innerText()).not.toContain('Catalogues');
    await page.goto(`${web.url}/#/catalogues`);
    await page.getByText(/gestionnaires de catalogue/).first().waitFor();
    expect(await page.getByRole('button', { name: 'Vérifier le catalogue' }).count()).toBe(0);
  });
});
