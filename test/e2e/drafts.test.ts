/**
 * A buyer, in headless Chromium, saves the wizard's request as a named draft on the server, saves
 * it again as its next version after a reload, finds it in « Mes brouillons » by a search,
 * duplicates it (with a confirmation), renames and deletes the copy (with a confirmation) and
 * reopens the draft in the wizard; a save over a version saved elsewhere is refused and kept as a
 * new draft. The focus stays on the control used; axe-core finds nothing on each screen.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { signIn, browserAvailable, expectAccessible, webStackForFile } from './support/web-stack.ts';

const web = webStackForFile();
let page: Page;

beforeAll(async () => {
  if (!browserAvailable) return;
  ({ page } = await web.newPage());
}, 60_000);

const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
const panel = () => page.locator('section.server-draft');
const rows = () => page.locator('table tbody tr');

describe.skipIf(!browserAvailable)('named drafts on the server', () => {
  test('the wizard saves an incomplete request under a name, and the focus stays on the button', async () => {
    await page.goto(`${web.url}/`);
    await signIn(page, web.url, 'buyer');
    await page.getByRole('heading', { level: 1, name: /Acheteur et cadre/ }).waitFor();
    await page.getByLabel('Nom de l’acheteur').fill('Département de la Drôme');
    await page.getByLabel('Objet du marché').fill('Équipement numérique des collèges');

    const save = panel().getByRole('button', { name: 'Enregistrer le brouillon' });
    await save.click();
    await expect.poll(() => panel().locator('.error-summary').innerText()).toContain('Nom du brouillon : Donnez un nom au brouillon.');
    await page.getByLabel('Nom du brouillon').fill('Collèges 2027 — tablettes');
    await save.click();
    await expect.poll(() => panel().getByRole('status').innerText()).toBe('Brouillon « Collèges 2027 — tablettes » enregistré (version 1).');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Enregistrer les modifications');
    expect(await panel().innerText()).toContain('Ouvert depuis « Collèges 2027 — tablettes »');
    await expectAccessible(page, 'wizard-server-draft', { strict: true });
  });

  test('a malformed SIRET is refused with its path: inline in French, and the save’s summary links to the field', async () => {
    await page.getByLabel('SIRET de l’acheteur').fill('2126 9990 4000 19');
    await page.getByLabel('SIRET de l’acheteur').blur();
    const error = page.locator('#f-buyer-siret-error');
    await expect.poll(() => error.innerText(), { timeout: 10_000 }).toContain('Ce SIRET n’existe pas');
    expect(await page.locator('#f-buyer-siret').getAttribute('aria-invalid')).toBe('true');

    const save = panel().getByRole('button', { name: 'Enregistrer les modifications' });
    await save.click();
    const summary = panel().locator('.error-summary');
    await expect.poll(() => summary.innerText()).toContain('SIRET de l’acheteur : Ce SIRET n’existe pas');
    await summary.getByRole('link', { name: /SIRET de l’acheteur/ }).click();
    await expect.poll(focusedId).toBe('f-buyer-siret');
    await expectAccessible(page, 'wizard-server-draft-refused', { strict: true });

    await page.getByLabel('SIRET de l’acheteur').fill('21269990400018');
    await page.getByLabel('Code INSEE de la commune du lieu d’exécution').fill('26999');
    await page.getByLabel('Commune du lieu d’exécution', { exact: true }).fill('Saint-Julien-des-Combes');
    await page.getByLabel('Date et heure limites de remise des offres').fill('2026-11-06T12:00');
    await save.click();
    await expect.poll(() => panel().getByRole('status').innerText()).toBe('Brouillon « Collèges 2027 — tablettes » enregistré (version 2).');
    await expect.poll(() => page.locator('#f-buyer-siret-error').count()).toBe(0);
    const request = await page.evaluate(async () => {
      const ref = JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('cahier:server-draft:'))!)!);
      return ref.version as number;
    });
    expect(request).toBe(2);
  });

  test('after a reload the wizard still knows the draft, and saves the next version', async () => {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Acheteur et cadre/ }).waitFor();
    expect(await page.getByLabel('Nom du brouillon').inputValue()).toBe('Collèges 2027 — tablettes');
    await page.getByLabel('Objet du marché').fill('Équipement numérique des douze collèges');
    const save = panel().getByRole('button', { name: 'Enregistrer les modifications' });
    await save.click();
    await expect.poll(() => panel().getByRole('status').innerText()).toBe('Brouillon « Collèges 2027 — tablettes » enregistré (version 3).');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Enregistrer les modifications');
  });

  test('« Mes brouillons » finds it by a search without accents, duplicates it after a confirmation, and gives the focus back', async () => {
    await page.getByRole('link', { name: 'Mes brouillons', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Mes brouillons' }).waitFor();
    await expect.poll(() => rows().count()).toBe(1);
    await page.getByLabel('Rechercher un brouillon').fill('DOUZE colleges');
    await expect.poll(() => page.locator('table caption').innerText()).toBe('1\u00a0brouillon');
    expect(await rows().first().innerText()).toContain('Équipement numérique des douze collèges');
    await page.getByLabel('Rechercher un brouillon').fill('lycées');
    await expect.poll(() => page.getByText('Aucun brouillon ne correspond à cette recherche.').count()).toBe(1);
    await page.getByLabel('Rechercher un brouillon').fill('');
    await expect.poll(() => rows().count()).toBe(1);
    await expectAccessible(page, 'drafts-list', { strict: true });

    await page.getByRole('button', { name: 'Dupliquer « Collèges 2027 — tablettes »' }).click();
    const confirmation = page.getByRole('group', { name: 'Confirmer la duplication de « Collèges 2027 — tablettes »' });
    await confirmation.waitFor();
    await expect.poll(focusedId).toBe('confirm-yes');
    await expectAccessible(page, 'drafts-duplicate-confirmation', { strict: true });
    await confirmation.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(async () => (await focusedId()).startsWith('duplicate-')).toBe(true);
    expect(await rows().count()).toBe(1);

    await page.getByRole('button', { name: 'Dupliquer « Collèges 2027 — tablettes »' }).click();
    await page.locator('#confirm-yes').click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Brouillon dupliqué' }).innerText()).toBe('Brouillon dupliqué : « Collèges 2027 — tablettes (copie) ».');
    await expect.poll(() => rows().count()).toBe(2);
    await expect.poll(async () => (await focusedId()).startsWith('duplicate-')).toBe(true);
  });

  test('renames the copy: the focus goes to the new name, an empty name is refused on the field, then back to the button', async () => {
    await page.getByRole('button', { name: 'Renommer « Collèges 2027 — tablettes (copie) »' }).click();
    await expect.poll(focusedId).toBe('rename-name');
    await page.getByLabel('Nouveau nom').fill('');
    await page.getByRole('button', { name: 'Renommer', exact: true }).click();
    await expect.poll(() => page.locator('#rename-name-error').innerText()).toBe('Donnez un nom au brouillon.');
    await expect.poll(focusedId).toBe('rename-name');
    await expectAccessible(page, 'drafts-rename', { strict: true });
    await page.getByLabel('Nouveau nom').fill('Collèges 2027 — écrans');
    await page.getByLabel('Nouveau nom').press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Brouillon renommé' }).innerText()).toBe('Brouillon renommé : « Collèges 2027 — écrans ».');
    // Back on the row's « Renommer » button (rename-<id>), not still in the form's field (rename-name).
    await expect.poll(async () => { const id = await focusedId(); return id.startsWith('rename-') && id !== 'rename-name'; }).toBe(true);
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining('Collèges 2027 — écrans'), expect.stringContaining('Collèges 2027 — tablettes')]);
  });

  test('deletes the copy after a confirmation, then opens the draft in the wizard', async () => {
    await page.getByRole('button', { name: 'Supprimer « Collèges 2027 — écrans »' }).click();
    await page.getByRole('group', { name: 'Confirmer la suppression de « Collèges 2027 — écrans »' }).waitFor();
    await expectAccessible(page, 'drafts-delete-confirmation', { strict: true });
    await page.locator('#confirm-yes').click();
    await expect.poll(() => rows().count()).toBe(1);
    await expect.poll(focusedId).toBe('drafts-search');

    // Another draft replaces the one in this browser; opening the saved one brings it back.
    await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cahier:')).forEach((k) => localStorage.removeItem(k)));
    await page.getByRole('button', { name: 'Ouvrir « Collèges 2027 — tablettes »' }).click();
    await page.getByRole('heading', { level: 1, name: /Acheteur et cadre/ }).waitFor();
    expect(await page.getByLabel('Objet du marché').inputValue()).toBe('Équipement numérique des douze collèges');
    expect(await page.getByLabel('Nom du brouillon').inputValue()).toBe('Collèges 2027 — tablettes');
    expect(await page.getByLabel('SIRET de l’acheteur').inputValue()).toBe('21269990400018');
    expect(await page.getByLabel('Code INSEE de la commune du lieu d’exécution').inputValue()).toBe('26999');
    expect(await page.getByLabel('Date et heure limites de remise des offres').inputValue()).toBe('2026-11-06T12:00');
    await expectAccessible(page, 'wizard-opened-draft', { strict: true });
  });

  test('a save over a version saved elsewhere meanwhile is refused; the buyer keeps the work as a new draft', async () => {
    const ref = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('cahier:server-draft:'))!)!) as { id: string; version: number });
    // Another tab (the same buyer) saves the draft first.
    const auth = { authorization: `Bearer ${web.stack.tokens.buyer}` };
    const read = await fetch(`${web.url}/drafts/${ref.id}`, { headers: auth });
    const body = (await read.json()) as { name: string; request: unknown };
    const other = await fetch(`${web.url}/drafts/${ref.id}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json', 'if-match': read.headers.get('etag')! },
      body: JSON.stringify({ name: body.name, request: body.request }),
    });
    expect(other.status).toBe(200);

    await page.getByLabel('Objet du marché').fill('Équipement numérique des douze collèges et des ateliers');
    const save = panel().getByRole('button', { name: 'Enregistrer les modifications' });
    await save.click();
    await expect.poll(() => panel().locator('.alert-warning').innerText()).toContain('Brouillon modifié ailleurs');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Enregistrer les modifications');
    await expectAccessible(page, 'wizard-server-draft-conflict', { strict: true });

    await panel().getByRole('button', { name: 'Enregistrer comme nouveau brouillon' }).click();
    await expect.poll(() => panel().getByRole('status').innerText()).toBe('Brouillon « Collèges 2027 — tablettes » enregistré (version 1).');
    const list = await (await fetch(`${web.url}/drafts`, { headers: auth })).json();
    expect(list.items.map((d: any) => [d.title, d.version])).toEqual([
      ['Équipement numérique des douze collèges et des ateliers', 1],
      ['Équipement numérique des douze collèges', ref.version + 1],
    ]);
  });
});
