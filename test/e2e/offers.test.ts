/**
 * A buyer, in headless Chromium, analyses the offers of the département's framework agreement
 * (examples/departement-accord-cadre.json) through the web app: a macro-enabled workbook is
 * refused with its reason at the file field, three bids are imported (a conforming best offer, a
 * cheaper one answering « Non » to an eliminatory requirement, one whose DQE states a wrong
 * amount), their conformity is shown per lot, the marks are entered with the keyboard (a
 * justification too short is refused at its field), the analysis ranks the two conforming offers
 * and the RAO downloaded is a PDF naming the proposed award; the irregular bid is then withdrawn
 * with its reason (« Retirer », asked in its row); last, the credits of lot 1 are typed and Charlie's
 * offer is eliminated as unacceptable (« Écarter l’offre »), its too-short reason refused at its field;
 * the page opened again shows the marks, the credits and the decision recorded, and saving them
 * again gives the same RAO; last, marks saved meanwhile in another tab make this page's stale save
 * refused (412, its French message focused) until it reloads the recorded marks.
 * axe-core checks each state.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { BidFiles } from '#src/core/offers/bid.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { buildBid, SIRETS } from '../offers/support/bids.ts';
import { scenarioBids } from '../offers/support/scenario.ts';
import { pdfText } from '../support/pdf-text.ts';
import { example } from '../support/pipeline.ts';
import { browserAvailable, screenshot, signIn, expectAccessible, webStackForFile } from './support/web-stack.ts';

const web = webStackForFile();
let page: Page;
let tender: ResolvedTender;
let tenderId: string;
let bids: BidFiles[];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  if (!browserAvailable) return;
  ({ page } = await web.newPage());
  ({ tender } = await evaluatedExample('departement'));
  const created = await fetch(`${web.url}/tenders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${web.stack.tokens.buyer}`, 'content-type': 'application/json' },
    body: JSON.stringify(example('departement')),
  });
  expect(created.status).toBe(201);
  tenderId = ((await created.json()) as { id: string }).id;
  bids = (await scenarioBids(tender, tenderId)).filter((b) => ['alpha', 'bravo', 'charlie'].includes(b.bidder.id));
}, 120_000);

const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.className || document.activeElement?.tagName);

async function fillBidder(bid: BidFiles, matrixName = bid.matrix.name): Promise<void> {
  await page.locator('#bid-id').fill(bid.bidder.id);
  await page.locator('#bid-name').fill(bid.bidder.name);
  await page.locator('#bid-siret').fill(bid.bidder.siret);
  await page.locator('#bid-matrix').setInputFiles({ name: matrixName, mimeType: XLSX, buffer: Buffer.from(bid.matrix.bytes) });
  await page.locator('#bid-prices').setInputFiles({ name: bid.prices.name, mimeType: XLSX, buffer: Buffer.from(bid.prices.bytes) });
  await page.getByRole('button', { name: 'Ajouter l’offre' }).click();
}

describe.skipIf(!browserAvailable)('offer analysis in the browser', () => {
  test('the tender page leads to « Analyse des offres »', async () => {
    await signIn(page, web.url, 'buyer');
    await page.goto(`${web.url}/#/appels/${encodeURIComponent(tenderId)}`);
    await page.getByRole('link', { name: 'Analyse des offres' }).click();
    await page.getByRole('heading', { level: 1, name: 'Analyse des offres' }).waitFor();
    expect(await page.getByText('Aucune offre enregistrée pour l’instant.').count()).toBe(1);
    await expectAccessible(page, 'offers-empty', { strict: true });
  });

  test('a macro-enabled workbook is refused with the reason at the file field; three bids are imported', async () => {
    await fillBidder(bids[0]!, 'offre.xlsm');
    const summary = page.locator('#ajout .error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('macro-enabled');
    expect(await page.locator('#bid-matrix-error').innerText()).toContain('n’est pas un classeur .xlsx ordinaire');
    expect(await page.locator('#bid-matrix').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(focused).toContain('error-summary');
    await expectAccessible(page, 'offers-upload-refused', { strict: true });
    // The files of another consultation (the same request, generated without this stored tender): refused, the reason in French.
    await fillBidder(await buildBid(tender, { id: 'ailleurs', name: 'Ailleurs SA', siret: SIRETS[4], lots: { 1: { unitPrice: () => 10 } } }));
    await expect.poll(() => page.locator('#bid-matrix-error').textContent()).toContain('ce fichier a été généré pour une autre consultation');

    const saved = ['Offre d’Alpha Numérique enregistrée.', 'Offre de Bravo Distribution enregistrée.', 'Offre de Charlie & Fils enregistrée.'];
    for (const [i, bid] of bids.entries()) {
      await fillBidder(bid);
      await expect.poll(() => page.locator('#ajout-fait').textContent()).toBe(saved[i]);
      await expect.poll(focused).toBe('ajout-fait');
    }
    const rows = page.locator('table tr[data-bid]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-bid')))).toEqual(['alpha', 'bravo', 'charlie']);
    const status = (bid: string) => page.locator(`tr[data-offer="${bid}"] .verdict`).innerText();
    expect([await status('alpha'), await status('bravo'), await status('charlie')]).toEqual(['Conforme', 'Irrégulière', 'Conforme']);
    expect(await page.locator('tr[data-offer="charlie"]').innerText()).toContain('le prix unitaire prévaut');
    expect(await page.getByText('Aucune offre reçue aux lots 2, 3 et 4.').count()).toBe(1);
    // Only the conforming offers are marked.
    expect(await page.locator('fieldset[data-marks]').evaluateAll((f) => f.map((x) => x.getAttribute('data-marks')))).toEqual(['alpha', 'charlie']);
    await expectAccessible(page, 'offers-imported', { strict: true });
    await screenshot(page, 'offers-imported', { fullPage: true });
  }, 60_000);

  test('marks entered with the keyboard; a short justification is refused at its field; the analysis ranks, the RAO is a PDF and the DECP names the holder', async () => {
    const selects = page.locator('fieldset[data-marks] select');
    const count = await selects.count();
    expect(count).toBeGreaterThan(0);
    await selects.first().focus();
    for (let i = 0; i < count; i++) {
      // Alpha « très satisfaisant » (first grade), Charlie « satisfaisant » (second).
      const charlie = (await selects.nth(i).getAttribute('id'))!.includes('-charlie-');
      await page.keyboard.press('ArrowDown');
      if (charlie) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      await page.keyboard.type(i === 0 ? 'Trop court.' : `Mémoire technique précis et complet, note ${i + 1}.`);
      await page.keyboard.press('Tab');
    }
    await page.getByLabel('Date d’envoi des lettres').fill('2027-01-18');
    await page.getByRole('button', { name: 'Enregistrer les notes et lancer l’analyse' }).press('Enter');

    const summary = page.locator('#notes .error-summary');
    await summary.waitFor();
    await expect.poll(focused).toContain('error-summary');
    expect(await summary.innerText()).toContain('Alpha Numérique, critère');
    const first = page.locator('fieldset[data-marks] textarea').first();
    expect(await first.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'offers-marks-refused', { strict: true });
    await screenshot(page, 'offers-marks-refused');
    await summary.getByRole('link').first().press('Enter');
    expect(await focused()).toBe(await first.getAttribute('id'));
    await page.keyboard.press('End');
    await page.keyboard.type(' Réponse détaillée sur chaque point.');
    await page.getByLabel('SIRET de l’acheteur').fill('22270001500001');
    await page.getByLabel('Date de notification du marché').fill('2027-02-01');
    await page.getByLabel('Date de publication des données').fill('2027-02-05');
    await page.getByLabel('Lieu d’exécution : code').fill('27');
    await page.getByLabel('Nature de ce code').selectOption('Code département');
    await page.getByLabel('CCAG auquel renvoie le CCAP').selectOption('Fournitures courantes et services');
    await page.getByRole('button', { name: 'Enregistrer les notes et lancer l’analyse' }).press('Enter');

    await page.getByRole('heading', { level: 2, name: 'Résultat de l’analyse' }).waitFor();
    await expect.poll(focused).toBe('resultats');
    const ranking = await page.locator('table[data-ranking="1"] tbody tr').allInnerTexts();
    expect(ranking.map((r) => r.split('\t').slice(0, 2))).toEqual([
      ['1', 'Alpha Numérique'],
      ['2', 'Charlie & Fils'],
    ]);
    expect(await page.getByText('Attributaire proposé').innerText()).toContain('Alpha Numérique');
    expect(await page.locator('[data-document]').evaluateAll((a) => a.map((x) => x.getAttribute('data-document')))).toEqual([
      'analyse.json',
      'rao-lot-1.pdf',
      'rao-lot-1.docx',
      'lettre-offre-non-retenue-lot-1-bravo.pdf',
      'lettre-offre-non-retenue-lot-1-bravo.docx',
      'lettre-offre-non-retenue-lot-1-charlie.pdf',
      'lettre-offre-non-retenue-lot-1-charlie.docx',
      'decp.json',
      'award.ocds.json',
    ]);
    await expectAccessible(page, 'offers-analysed', { strict: true });
    await screenshot(page, 'offers-analysed');

    const rao = await fetch((await page.getByRole('link', { name: 'Rapport d’analyse des offres, lot 1 (PDF)' }).getAttribute('href'))!);
    expect(rao.status).toBe(200);
    const bytes = new Uint8Array(await rao.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain('Alpha Numérique');
    expect(text).toContain('Charlie & Fils');
    const decp = JSON.stringify(await (await fetch((await page.getByRole('link', { name: 'Données essentielles du marché (DECP, JSON)' }).getAttribute('href'))!)).json());
    expect(decp).toContain(bids[0]!.bidder.siret);
  }, 90_000);

  test('« Retirer » asks for the reason in the row: refused without one, cancel gives the focus back, a withdrawal is listed and leaves the conformity table', async () => {
    const button = page.getByRole('button', { name: 'Retirer l’offre de Bravo Distribution' });
    await button.click();
    await expect.poll(focused).toBe('withdraw-reason');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(focused).toBe('withdraw-bravo');

    await button.press('Enter');
    await page.getByRole('button', { name: 'Confirmer le retrait' }).click();
    expect(await page.locator('#withdraw-reason-error').innerText()).toContain('Indiquez le motif du retrait');
    await expect.poll(focused).toBe('withdraw-reason');
    await expectAccessible(page, 'offers-withdraw-asked', { strict: true });
    await page.keyboard.type('Pli déposé par erreur');
    await page.keyboard.press('Enter');

    await expect.poll(() => page.locator('#retrait-fait').textContent()).toBe('Offre de Bravo Distribution retirée. Elle reste conservée avec ses fichiers, mais n’est plus analysée.');
    await expect.poll(focused).toBe('retrait-fait');
    expect(await page.locator('tr[data-bid="bravo"]').innerText()).toContain('Pli déposé par erreur');
    expect((await page.locator('table caption').first().innerText()).replace(/\u00a0/g, ' ')).toBe('3 offres reçues, dont 1 retirée');
    expect(await page.locator('tr[data-offer="bravo"]').count()).toBe(0);
    expect(await page.locator('tr[data-offer="alpha"]').count()).toBe(1);
    await expectAccessible(page, 'offers-withdrawn', { strict: true });
  }, 60_000);

  test('the credits of lot 1 and « Écarter l’offre »: a short reason is refused at its field; saved, the offer is « Inacceptable », leaves the marking and the RAO states the credits', async () => {
    // Credits between Alpha's amount and Charlie's, established before the launch.
    const conformity = (await (await fetch(`${web.url}/tenders/${encodeURIComponent(tenderId)}/conformity`, { headers: { authorization: `Bearer ${web.stack.tokens.buyer}` } })).json()) as {
      lots: Array<{ lot: number; offers: Array<{ bid: string; amount: number }> }>;
    };
    const amount = (bid: string) => conformity.lots[0]!.offers.find((o) => o.bid === bid)!.amount;
    expect(amount('charlie')).toBeGreaterThan(amount('alpha'));
    const credits = Math.round((amount('alpha') + amount('charlie')) / 2);
    await page.getByLabel('Montant HT').fill(String(credits));
    await page.getByLabel('Date à laquelle ils ont été établis').fill('2026-11-20');
    // Above the credits, Charlie's offer leaves the marking as soon as they are typed.
    await expect.poll(() => page.locator('fieldset[data-marks]').evaluateAll((f) => f.map((x) => x.getAttribute('data-marks')))).toEqual(['alpha']);
    expect((await page.locator('li[data-decision="charlie"]').innerText()).replace(/\u00a0/g, ' ')).toContain('dépasse les crédits : elle sera inacceptable une fois les crédits enregistrés.');

    // Opened then cancelled: the focus goes to the category, then back to the button.
    const alphaButton = page.getByRole('button', { name: 'Écarter l’offre d’Alpha Numérique' });
    await alphaButton.press('Enter');
    await expect.poll(focused).toBe('ecarter-1-alpha-unacceptable');
    await page.getByRole('button', { name: 'Ne pas écarter l’offre d’Alpha Numérique' }).press('Enter');
    await expect.poll(focused).toBe('ecarter-1-alpha-open');

    await page.getByRole('button', { name: 'Écarter l’offre de Charlie & Fils' }).press('Enter');
    await expect.poll(focused).toBe('ecarter-1-charlie-unacceptable');
    const unacceptable = page.locator('#ecarter-1-charlie-unacceptable-hint');
    expect(await unacceptable.innerText()).toContain('articles L2152-1, L2152-3 et R2152-1 du code de la commande publique');
    await page.keyboard.press('Space');
    expect(await page.locator('#ecarter-1-charlie-unacceptable').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('ecarter-1-charlie-reason');
    await page.keyboard.type('Trop cher.');
    await page.getByRole('button', { name: 'Enregistrer les notes et lancer l’analyse' }).press('Enter');

    const summary = page.locator('#notes .error-summary');
    await expect.poll(() => summary.innerText()).toContain('Offre de Charlie & Fils écartée (lot 1), motif');
    await expect.poll(focused).toContain('error-summary');
    expect(await page.locator('#ecarter-1-charlie-reason-error').innerText()).toContain('20 caractères au moins');
    expect(await page.locator('#ecarter-1-charlie-reason').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'offers-elimination-refused', { strict: true });
    await screenshot(page, 'offers-elimination-refused');
    await summary.getByRole('link', { name: /Charlie/ }).press('Enter');
    expect(await focused()).toBe('ecarter-1-charlie-reason');
    await page.keyboard.press('End');
    await page.keyboard.type(' Le montant de l’offre excède les crédits votés pour le lot.');
    await page.getByRole('button', { name: 'Enregistrer les notes et lancer l’analyse' }).press('Enter');

    await page.getByRole('heading', { level: 2, name: 'Résultat de l’analyse' }).waitFor();
    await expect.poll(() => page.locator('tr[data-offer="charlie"] .verdict').innerText()).toBe('Inacceptable');
    expect(await page.locator('tr[data-offer="charlie"]').innerText()).toContain('Le montant de l’offre excède les crédits votés pour le lot.');
    expect(await page.locator('fieldset[data-marks]').evaluateAll((f) => f.map((x) => x.getAttribute('data-marks')))).toEqual(['alpha']);
    expect(await page.locator('table[data-ranking="1"] tbody tr').count()).toBe(1);
    await expectAccessible(page, 'offers-eliminated', { strict: true });

    const rao = await fetch((await page.getByRole('link', { name: 'Rapport d’analyse des offres, lot 1 (PDF)' }).getAttribute('href'))!);
    expect(rao.status).toBe(200);
    const raoBytes = new Uint8Array(await rao.arrayBuffer());
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    // Hashed before it is read: the PDF reader may take the buffer over.
    const raoSha = sha(raoBytes);
    const text = (await pdfText(raoBytes)).replace(/\s+/g, ' ');
    expect(text).toContain('L’offre est inacceptable');
    expect(text).toContain('Crédits budgétaires alloués au lot, déterminés et établis le 20 novembre 2026');

    // Opened again in another tab (this one keeps what was typed for the steps below): the form starts from what was recorded,
    // and saving it unchanged stores the same input, so the RAO comes back byte for byte.
    const typed = await page.locator('fieldset[data-marks] select, fieldset[data-marks] textarea').evaluateAll((fields) => fields.map((f) => [f.id, (f as HTMLInputElement).value]));
    expect(typed.length).toBeGreaterThan(0);
    const { context: again, page: reopened } = await web.newPage();
    await signIn(reopened, web.url, 'buyer');
    await reopened.goto(`${web.url}/#/appels/${encodeURIComponent(tenderId)}/offres`);
    await reopened.getByRole('heading', { level: 2, name: 'Notation et analyse' }).waitFor();
    expect(await reopened.locator('fieldset[data-marks] select, fieldset[data-marks] textarea').evaluateAll((fields) => fields.map((f) => [f.id, (f as HTMLInputElement).value]))).toEqual(typed);
    expect((await reopened.getByLabel('Montant HT').inputValue()).replace(/\s/g, '')).toBe(String(credits));
    expect(await reopened.getByLabel('Date à laquelle ils ont été établis').inputValue()).toBe('2026-11-20');
    expect(await reopened.locator('#ecarter-1-charlie-unacceptable').isChecked()).toBe(true);
    expect(await reopened.locator('#ecarter-1-charlie-reason').inputValue()).toBe('Trop cher. Le montant de l’offre excède les crédits votés pour le lot.');
    expect(await reopened.getByLabel('Date d’envoi des lettres').inputValue()).toBe('2027-01-18');
    expect(await reopened.getByLabel('Lieu d’exécution : code').inputValue()).toBe('27');
    expect(await reopened.getByLabel('CCAG auquel renvoie le CCAP').inputValue()).toBe('Fournitures courantes et services');
    await expectAccessible(reopened, 'offers-reopened', { strict: true });
    await reopened.getByRole('button', { name: 'Enregistrer les notes et lancer l’analyse' }).press('Enter');
    await reopened.getByRole('heading', { level: 2, name: 'Résultat de l’analyse' }).waitFor();
    await expect.poll(() => reopened.evaluate(() => document.activeElement?.id)).toBe('resultats');
    const raoAgain = await fetch((await reopened.getByRole('link', { name: 'Rapport d’analyse des offres, lot 1 (PDF)' }).getAttribute('href'))!);
    expect(raoAgain.status).toBe(200);
    expect(sha(new Uint8Array(await raoAgain.arrayBuffer()))).toBe(raoSha);
    await again.close();

    // The decision and the credits withdrawn: the analysis asks for Charlie's marks again, whose fields come back with what was typed.
    await page.getByRole('button', { name: 'Ne pas écarter l’offre de Charlie & Fils' }).press('Enter');
    await expect.poll(focused).toBe('ecarter-1-charlie-open');
    await page.getByLabel('Montant HT').fill('');
    await page.getByLabel('Date à laquelle ils ont été établis').fill('');
    await page.getByRole('button', { name: 'Enregistrer les notes et lancer l’analyse' }).press('Enter');
    await expect.poll(() => summary.innerText()).toContain('Offre de Charlie & Fils (lot 1)');
    await expect.poll(() => page.locator('fieldset[data-marks]').evaluateAll((f) => f.map((x) => x.getAttribute('data-marks')))).toEqual(['alpha', 'charlie']);
    expect(await page.locator('tr[data-offer="charlie"] .verdict').innerText()).toBe('Conforme');
    await page.getByRole('button', { name: 'Enregistrer les notes et lancer l’analyse' }).press('Enter');
    await expect.poll(() => page.locator('table[data-ranking="1"] tbody tr').count()).toBe(2);
  }, 90_000);

  test('marks saved meanwhile in another tab are not overwritten: the save is refused with its reason, the focus on it, and the recorded marks reload', async () => {
    const save = (p: Page) => p.getByRole('button', { name: 'Enregistrer les notes et lancer l’analyse' }).press('Enter');
    // Another tab opens the marks this page last saved, names a signatory and saves.
    const { context: other, page: tab } = await web.newPage();
    await signIn(tab, web.url, 'buyer');
    await tab.goto(`${web.url}/#/appels/${encodeURIComponent(tenderId)}/offres`);
    await tab.getByRole('heading', { level: 2, name: 'Notation et analyse' }).waitFor();
    await tab.getByLabel('Signataire').fill('Le président du conseil départemental');
    await save(tab);
    await tab.getByRole('heading', { level: 2, name: 'Résultat de l’analyse' }).waitFor();
    await other.close();

    // This page still holds the marks it read before: its save is refused, nothing of it is stored.
    await page.getByLabel('Date d’envoi des lettres').fill('2027-01-25');
    await save(page);
    const conflict = page.locator('#notes-conflict');
    await conflict.waitFor();
    await expect.poll(focused).toBe('notes-conflict');
    expect(await conflict.innerText()).toContain('Quelqu’un d’autre a enregistré des notes pour cette consultation pendant que vous saisissiez les vôtres.');
    await expectAccessible(page, 'offers-marks-conflict', { strict: true });
    await screenshot(page, 'offers-marks-conflict');

    // Reloaded: the form starts from the other tab's marks, the focus on its heading; saving them now goes through.
    await page.getByRole('button', { name: 'Recharger les notes enregistrées' }).press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Notation et analyse');
    expect(await page.locator('#notes-conflict').count()).toBe(0);
    expect(await page.getByLabel('Signataire').inputValue()).toBe('Le président du conseil départemental');
    expect(await page.getByLabel('Date d’envoi des lettres').inputValue()).toBe('2027-01-18');
    await save(page);
    await page.getByRole('heading', { level: 2, name: 'Résultat de l’analyse' }).waitFor();
    expect(await page.locator('#notes-conflict').count()).toBe(0);
  }, 90_000);
});
