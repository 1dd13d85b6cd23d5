/**
 * A ministry editor in headless Chromium: browses and searches the criteria, edits one (If-Match)
 * while a second editor, in another browser context, saves a conflicting change that is shown
 * with both versions and redone; reads the history diff; publishes the next framework version
 * through its preview (diff and CCTP excerpt, focus moved, keyboard confirmation) and downloads
 * its changelog, after measuring in the preview what the version does to a supplier's workbook
 * and seeing the stored tenders (two buyers') and drafts that keep the version it replaces;
 * with nothing left to publish, no publish form; an item changed through the API is listed,
 * previewed field by field and published; exports the criteria sheet and imports it back edited
 * (each refused cell listed, then the next versions written).
 * A buyer reaches none of the editor pages (and the API refuses the write anyway).
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { columnOf, CRITERIA_SHEET } from '#src/core/model/criteria-sheet.ts';
import { productWorkbook } from '../support/product-workbook.ts';
import { join } from 'node:path';
import { LocalTokens } from '#src/adapters/local/local-tokens.ts';
import { formatDate } from '#src/core/model/format.ts';
import { example } from '../support/pipeline.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot, signIn, browserAvailable, expectAccessible, webStackForFile } from './support/web-stack.ts';

const web = webStackForFile();
let first: Page;
let second: Page;
const axeReport: Record<string, number> = {};
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The example catalogue without its one column that version 3 no longer knows (the French repairability index, replaced by the EU class). */
const CATALOGUE_CSV = (() => {
  const lines = readFileSync(new URL('../../examples/catalogue/catalogue-centrale.csv', import.meta.url), 'utf8').split('\n');
  const dropped = lines[0]!.split(';').indexOf('environment.repairability-index');
  return lines.map((line) => line.split(';').filter((_, i) => i !== dropped).join(';')).join('\n');
})();

beforeAll(async () => {
  if (!browserAvailable) return;
  ({ page: first } = await web.newPage());
  ({ page: second } = await web.newPage());
}, 60_000);

afterAll(async () => {
  console.log(`axe violations (any impact) per screen: ${JSON.stringify(axeReport)}`);
});

const api = async (path: string, token: string, init: RequestInit = {}) => fetch(`${web.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

describe.skipIf(!browserAvailable)('ministry editor', () => {
  test('browses and searches the criteria by category', async () => {
    await signIn(first, web.url, 'editor');
    await first.getByRole('heading', { level: 1, name: 'Critères de référence' }).waitFor();
    const nav = await first.getByRole('navigation', { name: 'Menu principal' }).innerText();
    expect(nav).toContain('Référentiels');
    expect(nav).not.toContain('Nouveau CCTP');
    await first.getByLabel('Catégorie').selectOption('tablet');
    await expect.poll(() => first.getByRole('status').filter({ hasText: 'critères sur' }).innerText()).toMatch(/^14\scritères sur 14$/);
    await first.getByLabel('Rechercher').fill('stockage');
    await expect.poll(() => first.locator('tbody tr').count()).toBe(1);
    await expectAccessible(first, 'criteria', { report: axeReport });
    await screenshot(first, 'editor-criteria');
    await first.getByRole('link', { name: /stockage/i }).click();
    await first.getByRole('heading', { level: 1, name: /^Critère « / }).waitFor();
    expect(await first.getByText('tablet.storage.user').count()).toBeGreaterThan(0);
    await expectAccessible(first, 'criterion', { report: axeReport });
  });

  test('a conflicting save is shown with both versions, and the change is redone on the latest', async () => {
    // The second editor opens the criterion now: they edit version 2 (the catalogue's latest) too.
    await signIn(second, web.url, 'editor');
    await second.goto(`${web.url}/#/editeur/criteres/tablet.storage.user`);
    await second.getByRole('heading', { level: 1, name: /^Critère « / }).waitFor();

    await first.getByLabel('Valeur').fill('48');
    await first.getByLabel(/^Motif de la modification/).fill('Relevé pour les manuels numériques de 2027');
    await first.getByRole('button', { name: 'Enregistrer la version 3' }).click();
    await first.getByText('Version 3 enregistrée').waitFor();

    const label = 'Capacité de stockage disponible pour l’utilisateur (révisée)';
    await second.getByLabel('Intitulé').fill(label);
    await second.getByLabel(/^Motif de la modification/).fill('Intitulé plus précis');
    await second.getByRole('button', { name: 'Enregistrer la version 3' }).click();
    const conflict = second.locator('#conflict');
    await conflict.waitFor();
    const text = (await conflict.innerText()).replace(/\u00a0/g, ' ');
    expect(text).toContain('Version 2 (lue)');
    expect(text).toContain('Version 3 (enregistrée par l’autre éditeur)');
    expect(text).toContain('au moins (≥) 48 Go');
    expect(text).toContain(label);
    await expectAccessible(second, 'criterion-conflict', { report: axeReport });
    await screenshot(second, 'editor-conflict');

    await second.getByRole('button', { name: 'Reprendre ma modification sur la version 3' }).click();
    await expect.poll(() => second.getByLabel('Valeur').inputValue()).toBe('48');
    await expect.poll(() => second.getByLabel('Intitulé').inputValue()).toBe(label);
    await second.getByRole('button', { name: 'Enregistrer la version 4' }).click();
    await second.getByText('Version 4 enregistrée').waitFor();

    const saved = (await (await api('/criteria/tablet.storage.user', web.stack.tokens.editor)).json()) as { version: number; label: string; metric: { value: number } };
    expect(saved).toMatchObject({ version: 4, label, metric: { value: 48 } });

    // History: versions 3 → 4 differ by the label only.
    const diff = second.locator('table.diff');
    await expect.poll(() => diff.innerText()).toContain('Différences entre les versions 3 et 4');
    expect(await diff.locator('tbody tr').count()).toBe(1);
    // Who, when and why, from the audit trail.
    await expect.poll(() => second.locator('ol.versions').innerText()).toContain('Version 4 — Capacité de stockage disponible pour l’utilisateur (révisée) — par local-editor');
    expect(await second.locator('ol.versions').innerText()).toContain('« Intitulé plus précis »');
    expect(await second.locator('ol.versions').innerText()).toContain('« Relevé pour les manuels numériques de 2027 »');
    await second.getByLabel('Comparer la version').selectOption('2');
    await expect.poll(() => diff.locator('tbody tr').count()).toBe(2);
    await expectAccessible(second, 'criterion-history', { report: axeReport });
  });

  test('publishes the next framework version with the edited criterion', async () => {
    await first.getByRole('link', { name: 'Référentiels' }).click();
    await first.getByRole('heading', { level: 1, name: 'Référentiels' }).waitFor();
    await expect.poll(() => first.locator('.card').first().innerText()).toContain('version 2 épinglée, version 4 disponible');
    await expectAccessible(first, 'frameworks', { report: axeReport });
    // Two buyers' tenders and one buyer's draft keep version 3, which the publication replaces; a tender on version 2 is not listed.
    const tender = async (token: string, version: number, title: string, buyer: string) => {
      const request = example('commune');
      const res = await api('/tenders', token, { method: 'POST', body: JSON.stringify({ ...request, title, buyer: { ...request.buyer, name: buyer }, framework: { id: 'carmo-education', version } }) });
      expect(res.status).toBe(201);
      return formatDate(((await res.json()) as { createdAt: string }).createdAt);
    };
    // A second buyer, signed with the stack's own key (as scripts/local-token.ts does).
    const otherBuyer = await (await LocalTokens.load(join(web.stack.dataDir, 'local-jwt-key.json'))).sign({ sub: 'local-buyer-2', groups: ['buyers'] });
    const firstDate = await tender(web.stack.tokens.buyer, 3, 'Tablettes des écoles', 'Commune de Saint-Aubin');
    const secondDate = await tender(otherBuyer, 3, 'Classes mobiles du collège', 'Département de l’Eure');
    await tender(web.stack.tokens.buyer, 2, 'Marché plus ancien', 'Commune de Saint-Aubin');
    const draft = await api('/drafts', otherBuyer, { method: 'POST', body: JSON.stringify({ name: 'Collèges 2027', request: example('commune') }) });
    expect(draft.status).toBe(201);
    await first.getByLabel(/^Motif de la publication/).fill('Stockage relevé à 48 Go');
    await first.getByRole('button', { name: 'Publier la version 4' }).click();

    // The preview opens with the focus on its heading: the diff and the CCTP excerpt as printed, nothing published yet.
    const heading = first.getByRole('heading', { level: 3, name: 'Aperçu de la version 4' });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((h) => h === document.activeElement)).toBe(true);
    const change = first.locator('article.change').filter({ has: first.locator('[id="change-tablet.storage.user"]') });
    const row = (await change.locator('tr', { hasText: 'Seuil' }).innerText()).replace(/\s+/g, ' ');
    expect(row).toMatch(/Seuil ≥ 32 Go ≥ 48 Go/);
    expect(await change.locator('h4').innerText()).toContain('renforcé, version 2 → 4');
    expect((await change.locator('blockquote').innerText()).replace(/\s+/g, ' ')).toContain('48 Go');
    expect(await first.locator('a[href="#/catalogues"]').count()).toBeGreaterThan(0);
    await expectAccessible(first, 'framework-preview', { report: axeReport });
    expect((await (await api('/frameworks/carmo-education', web.stack.tokens.editor)).json()).version).toBe(3);

    // Inside the preview, the effect on a supplier's workbook: the tablets that 48 Go excludes, as the API computes them from the same catalogue as CSV.
    const storage = (await (await api('/criteria/tablet.storage.user', web.stack.tokens.editor)).json()) as { id: string; metric: unknown; level: string };
    const expected = (await (
      await api('/frameworks/carmo-education/impact', web.stack.tokens.editor, { method: 'POST', body: JSON.stringify({ version: 3, changes: [{ id: storage.id, metric: storage.metric, level: storage.level }], csv: CATALOGUE_CSV }) })
    ).json()) as { losing: Array<{ reference: string }>; gaining: Array<{ reference: string }> };
    expect(expected.losing.length).toBeGreaterThan(0);
    await first.getByLabel('Fichier de produits (Excel, CSV ou JSON)').setInputFiles({ name: 'catalogue-centrale.xlsx', mimeType: XLSX, buffer: Buffer.from(await productWorkbook(CATALOGUE_CSV)) });
    await first.getByRole('button', { name: 'Mesurer l’effet sur ce catalogue' }).click();
    const impactStatus = first.locator('[id="impact-carmo-education-status"]');
    await expect.poll(() => impactStatus.innerText()).toMatch(new RegExp(`^${expected.losing.length}\\s+produits perdraient la conformité`));
    const lost = await first.locator('section.impact ul.impact-list').first().locator('li strong').allInnerTexts();
    expect(lost).toEqual(expected.losing.map((c) => c.reference).slice(0, 100));
    // And the stored work that keeps version 3: both buyers' tenders (object, buyer, date), the draft counted, announced with the products.
    expect(await impactStatus.innerText()).toMatch(/2\s+marchés enregistrés et 1\s+brouillon restent sur la version 3\.$/);
    const pinned = first.locator('.impact-pinned');
    expect(await pinned.getByRole('heading', { level: 5 }).innerText()).toMatch(/^Marchés enregistrés sur la version 3\s:\s2$/);
    const tenders = (await pinned.getByRole('list', { name: /^Marchés enregistrés sur la version 3/ }).getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    expect(tenders).toEqual([`Classes mobiles du collège — Département de l’Eure, le ${secondDate}`, `Tablettes des écoles — Commune de Saint-Aubin, le ${firstDate}`].map((t) => t.replace(/\s+/g, ' ')));
    expect((await pinned.innerText()).replace(/\s+/g, ' ')).toContain('Brouillon : 1 (1 prêt, 0 incomplet)');
    expect(await first.getByRole('button', { name: 'Confirmer la publication' }).isVisible()).toBe(true);
    await expectAccessible(first, 'framework-preview-impact', { report: axeReport, strict: true });

    // Cancel gives the focus back to the button; the keyboard alone then reopens the preview and confirms.
    await first.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(() => first.evaluate(() => document.activeElement?.textContent)).toBe('Publier la version 4');
    await first.keyboard.press('Enter');
    await expect.poll(() => heading.evaluate((h) => h === document.activeElement)).toBe(true);
    await first.getByRole('button', { name: 'Confirmer la publication' }).focus();
    await first.keyboard.press('Enter');
    await first.getByText('Version 4 publiée').waitFor();
    const framework = (await (await api('/frameworks/carmo-education', web.stack.tokens.editor)).json()) as { version: number; criteria: Array<{ id: string; version: number }> };
    expect(framework.version).toBe(4);
    expect(framework.criteria.find((c) => c.id === 'tablet.storage.user')?.version).toBe(4);

    // Nothing moved since: no publish form, a sentence says why; the new version's changelog downloads.
    await expect.poll(() => first.locator('.card').first().innerText()).toContain('Il n’y a rien à publier');
    expect(await first.getByRole('button', { name: /^Publier la version/ }).count()).toBe(0);
    const [saved] = await Promise.all([first.waitForEvent('download'), first.getByRole('button', { name: /journal des modifications de la version 4 \(Markdown\)/ }).click()]);
    expect(saved.suggestedFilename()).toBe('carmo-education-v4-changelog.md');
    const markdown = await (await import('node:fs/promises')).readFile((await saved.path())!, 'utf8');
    expect(markdown).toContain('- Motif : Stockage relevé à 48 Go');
    expect(markdown).toMatch(/`tablet\.storage\.user`, v2 → v4\)\n\nChangement : renforcé\.\n\n- Intitulé : .+\n- Seuil : ≥\s32\sGo → ≥\s48\sGo/);
    await expectAccessible(first, 'frameworks-published', { report: axeReport });
  });

  test('an item or offer changed through the API is something to publish: listed, previewed field by field, published', async () => {
    const versions = (await (await api('/items/tablet/versions', web.stack.tokens.editor)).json()) as { items: Array<Record<string, unknown>> };
    const { version: _version, ...tablet } = versions.items.at(-1)!;
    const put = await api('/items/tablet', web.stack.tokens.editor, { method: 'PUT', headers: { 'if-match': '"1"' }, body: JSON.stringify({ ...tablet, label: 'Tablette tactile de l’élève', reason: 'Libellé aligné sur le CARMO' }) });
    expect(put.status).toBe(200);

    await first.reload();
    await first.getByRole('heading', { level: 1, name: 'Référentiels' }).waitFor();
    const card = first.locator('.card').first();
    await expect.poll(() => card.innerText()).toContain('Article « Tablette tactile de l’élève » : version 1 épinglée, version 2 disponible');
    expect(await card.innerText()).not.toContain('Il n’y a rien à publier');
    await first.getByLabel(/^Motif de la publication/).fill('Libellé de la tablette revu');
    await first.getByRole('button', { name: 'Publier la version 5' }).click();
    await first.getByRole('heading', { level: 3, name: 'Aperçu de la version 5' }).waitFor();
    expect((await first.locator('.preview > p').first().innerText()).replace(/\s+/g, ' ')).toContain('Un article change par rapport à la version 4');
    const row = (await first.locator('article.change', { hasText: 'Article « Tablette tactile de l’élève » (version 1 → 2)' }).locator('tr', { hasText: 'Intitulé' }).innerText()).replace(/\s+/g, ' ');
    expect(row).toBe('Intitulé Tablette élève Tablette tactile de l’élève');
    await expectAccessible(first, 'framework-preview-items', { report: axeReport });
    await first.getByRole('button', { name: 'Confirmer la publication' }).click();
    await first.getByText('Version 5 publiée').waitFor();

    const framework = (await (await api('/frameworks/carmo-education', web.stack.tokens.editor)).json()) as { version: number; items: Array<{ id: string; version: number }> };
    expect(framework.version).toBe(5);
    expect(framework.items).toContainEqual({ id: 'tablet', version: 2 });
    await expect.poll(() => first.locator('.card').first().innerText()).toContain('Il n’y a rien à publier');
  });

  test('exports the criteria sheet, sees each refused cell of an edited copy, then imports a correct one as the next versions, awaiting « Publier »', async () => {
    const card = first.locator('.card').first();
    const [saved] = await Promise.all([first.waitForEvent('download'), first.getByRole('button', { name: 'Exporter (XLSX)' }).click()]);
    expect(saved.suggestedFilename()).toBe('carmo-education-v5-criteres.xlsx');
    const exported = await (await import('node:fs/promises')).readFile((await saved.path())!);
    const edit = async (value: string | number, column: 'unite' | 'seuil') => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(exported as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet(CRITERIA_SHEET)!;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === 'tablet.ram') row.getCell(columnOf(column)).value = value;
      });
      return Buffer.from(await workbook.xlsx.writeBuffer());
    };
    const field = first.getByLabel('Classeur relu (.xlsx)');

    await field.setInputFiles({ name: 'criteres.xlsx', mimeType: XLSX, buffer: await edit('gigas', 'unite') });
    await first.getByLabel(/^Motif des modifications/).fill('Relecture DNE de décembre');
    await first.getByRole('button', { name: 'Importer les critères' }).click();
    const errors = card.locator('[id="sheet-carmo-education-errors"]');
    await expect.poll(() => errors.innerText()).toMatch(/feuille Critères, ligne \d+, colonne unite/);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('sheet-carmo-education-errors');
    await expectAccessible(first, 'criteria-sheet-refused', { report: axeReport, strict: true });

    await field.setInputFiles({ name: 'criteres.xlsx', mimeType: XLSX, buffer: await edit(6, 'seuil') });
    await first.getByRole('button', { name: 'Importer les critères' }).click();
    await card.getByText('Un critère enregistré dans une nouvelle version').waitFor();
    await expect.poll(() => card.innerText()).toMatch(/version \d+ épinglée, version \d+ disponible/);
    const ram = (await (await api('/criteria/tablet.ram', web.stack.tokens.editor)).json()) as { metric: { value: number } };
    expect(ram.metric.value).toBe(6);
    expect((await (await api('/frameworks/carmo-education', web.stack.tokens.editor)).json()).version).toBe(5);
    await expectAccessible(first, 'criteria-sheet-imported', { report: axeReport, strict: true });
  });

  test('a buyer reaches no editor page, and the API refuses the write anyway', async () => {
    const { page } = await web.newPage();
    await signIn(page, web.url, 'buyer');
    for (const path of ['#/editeur/criteres', '#/editeur/criteres/tablet.storage.user', '#/editeur/referentiels']) {
      await page.goto(`${web.url}/${path}`);
      await page.getByRole('heading', { level: 1, name: 'Accès refusé' }).waitFor();
      expect(await page.getByRole('button', { name: /Enregistrer|Publier/ }).count()).toBe(0);
      expect(await page.getByRole('textbox').count()).toBe(0);
    }
    const nav = await page.getByRole('navigation', { name: 'Menu principal' }).innerText();
    expect(nav).not.toMatch(/Critères de référence|Référentiels/);
    await expectAccessible(page, 'refused', { report: axeReport });
    const put = await api('/criteria/tablet.storage.user', web.stack.tokens.buyer, { method: 'PUT', headers: { 'if-match': '"4"' }, body: '{}' });
    expect(put.status).toBe(403);

    // And an editor has no buyer wizard.
    await first.goto(`${web.url}/#/cctp`);
    await first.getByRole('heading', { level: 1, name: 'Accès refusé' }).waitFor();
  });
});
