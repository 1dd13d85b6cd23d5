/**
 * The consultation file in the browser (issue #15): a buyer asks the last step of the wizard for
 * « Dossier de consultation complet (zip) », gets the zip's link and the « bordereau des pièces »
 * (each piece's title, nature, format and size in French units, SHA-256 shortened with the full
 * value a click away), previews a piece in a new tab, and reaches the same bordereau later from
 * « Mes consultations ». The previewed bytes are the piece the zip holds (same SHA-256 as its row).
 * axe-core strict on each screen; the keyboard alone opens the full hash.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { pdfText } from '../support/pdf-text.ts';
import { browserAvailable, expectAccessible, screenshot, signIn, webStackForFile } from './support/web-stack.ts';

const example = JSON.parse(await readFile(new URL('../../examples/ville-ecrans-interactifs.json', import.meta.url), 'utf8')) as { title: string };

const web = webStackForFile();
let page: Page;
let context: BrowserContext;

beforeAll(async () => {
  if (!browserAvailable) return;
  ({ page, context } = await web.newPage());
}, 60_000);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(!browserAvailable)('the consultation file (DCE) from the last step of the wizard', () => {
  let tenderId = '';
  let zip: Record<string, Uint8Array> = {};

  test('generates the DCE and shows its bordereau, a row per piece of the zip', async () => {
    // The ville's request as a draft: created through the API, then duplicated from its page.
    const created = await fetch(`${web.url}/tenders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${web.stack.tokens.buyer}`, 'content-type': 'application/json' },
      body: JSON.stringify(example),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await signIn(page, web.url, 'buyer');
    await page.goto(`${web.url}/#/appels/${encodeURIComponent(id)}`);
    await page.getByRole('button', { name: 'Dupliquer en brouillon' }).click();
    await page.getByRole('heading', { level: 1, name: /Acheteur et cadre/ }).waitFor();
    await page.goto(`${web.url}/#/cctp/6`);
    await page.getByRole('heading', { level: 1, name: /Vérification et génération/ }).waitFor();

    const dce = page.getByRole('checkbox', { name: /Dossier de consultation complet \(zip\)/ });
    await dce.check();
    const generate = page.getByRole('button', { name: 'Générer le CCTP' });
    await expect.poll(() => generate.isEnabled(), { timeout: 20_000 }).toBe(true);
    await generate.click();
    const generated = page.locator('#generated');
    await generated.waitFor({ timeout: 150_000 });
    const zipLink = generated.getByRole('link', { name: /Télécharger le dossier de consultation complet \(zip\)/ });
    zip = unzipSync(new Uint8Array(await (await fetch((await zipLink.getAttribute('href'))!)).arrayBuffer()));
    tenderId = decodeURIComponent((await generated.getByRole('link', { name: /Voir cette consultation/ }).getAttribute('href'))!.replace('#/appels/', ''));

    const table = generated.getByRole('table', { name: 'Pièces du dossier de consultation' });
    await table.waitFor();
    const names = await table.locator('tr[data-piece]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-piece')));
    // Every file of the zip but the JSON manifest, in the bordereau's order.
    expect(names).toEqual(Object.keys(zip).filter((n) => n !== 'manifest.json'));
    expect(names).toContain('01_RC.pdf');
    const rc = table.locator('tr[data-piece="01_RC.pdf"]');
    const cells = await rc.locator('th, td').allInnerTexts();
    expect(cells[1]).toMatch(/^Règlement de la consultation \(RC\)\s+01_RC\.pdf \(PDF, \d+\sKo\)$/);
    expect(cells[2]).toBe('Informative');
    expect(cells[3]).toContain(`${sha256(zip['01_RC.pdf']!).slice(0, 12)}…`);
    expect(await table.locator('tr[data-piece="03_CCAP.pdf"] td').nth(1).innerText()).toBe('Contractuelle');
    expect(await generated.innerText()).toMatch(/Le dossier de consultation compte 14\spièces, dont 10\scontractuelles/);
    // No internal ids on screen: the tender's id is in no visible text.
    expect(await page.locator('main').innerText()).not.toContain(tenderId);
    await expectAccessible(page, 'wizard-dce', { strict: true });
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, 'buyer-dce-bordereau');
  });

  test('the full SHA-256 opens from the keyboard, and a piece previews in a new tab with the bytes of the zip', async () => {
    const table = page.getByRole('table', { name: 'Pièces du dossier de consultation' });
    const summary = table.locator('tr[data-piece="01_RC.pdf"] summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => table.locator('tr[data-piece="01_RC.pdf"] .hash-full').innerText()).toBe(sha256(zip['01_RC.pdf']!));

    const preview = table.getByRole('link', { name: 'Aperçu : Règlement de la consultation (RC) (PDF, nouvel onglet)' });
    await preview.focus();
    const [tab] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
    const url = tab.url() === 'about:blank' ? (await tab.waitForURL(/01_RC\.pdf/), tab.url()) : tab.url();
    expect(url).toContain('01_RC.pdf');
    await tab.close();
    // The focus stays where the buyer acted.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Aperçu');

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="01_RC\.pdf"/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(zip['01_RC.pdf']!));
    expect(await pdfText(bytes)).toContain('Règlement de la consultation');
    // A Word piece downloads instead.
    const word = table.getByRole('link', { name: 'Télécharger : Règlement de la consultation (RC) (Word)' });
    expect(await word.getAttribute('download')).toBe('01_RC.docx');
  });

  test('« Mes consultations » shows the same bordereau on demand, the focus moved to it', async () => {
    await page.goto(`${web.url}/#/appels/${encodeURIComponent(tenderId)}`);
    await page.getByRole('heading', { level: 1, name: example.title }).waitFor();
    await page.getByRole('button', { name: 'Afficher le bordereau des pièces' }).click();
    const region = page.getByRole('region', { name: 'Bordereau des pièces' });
    await region.getByRole('table').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('region');
    expect(await region.locator('tr[data-piece]').count()).toBe(Object.keys(zip).length - 1);
    await expectAccessible(page, 'tender-dce', { strict: true });
  });
});
