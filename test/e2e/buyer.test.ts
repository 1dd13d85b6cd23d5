/**
 * A buyer, in headless Chromium, builds the rural commune's classe mobile
 * (examples/commune-rurale-classe-mobile.json) from scratch through the web app: tightens one
 * threshold, loosens a ministry criterion and sees co-funding lost and why, fixes it, sets the
 * award weights, generates, and the PDF downloaded through the API carries the tightened
 * threshold. Then "My tenders": open, fresh links, duplicate as a draft. axe-core checks each
 * screen on the way.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pdfText } from '../support/pdf-text.ts';
import { screenshot, signIn, browserAvailable, expectAccessible, webStackForFile } from './support/web-stack.ts';

const example = JSON.parse(await readFile(new URL('../../examples/commune-rurale-classe-mobile.json', import.meta.url), 'utf8')) as {
  buyer: { name: string; address: string };
  title: string;
  reference: string;
  consultationDate: string;
  context: string;
  lots: Array<{ title: string; estimatedUnitPrices: Record<string, number>; deliverySites: string[] }>;
};

const catalogueItems = JSON.parse(await readFile(new URL('../../catalogue/items.json', import.meta.url), 'utf8')) as Array<{ id: string; criteria: string[] }>;

const web = webStackForFile();
let page: Page;
const axeReport: Record<string, number> = {};

beforeAll(async () => {
  if (!browserAvailable) return;
  ({ page } = await web.newPage());
}, 60_000);

const livePanel = () => page.locator('.live-panel');
const row = (criterionId: string) => page.locator(`li[data-criterion="${criterionId}"]`);
const next = () => page.getByRole('button', { name: /^Étape suivante/ }).click();

describe.skipIf(!browserAvailable)('buyer wizard', () => {
  test('signs in with the printed buyer token', async () => {
    await page.goto(`${web.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await expectAccessible(page, 'sign-in', { report: axeReport });
    await screenshot(page, 'sign-in');
    await signIn(page, web.url, 'buyer');
    const nav = await page.getByRole('navigation', { name: 'Menu principal' }).innerText();
    expect(nav).toContain('Nouveau CCTP');
    expect(nav).not.toContain('Critères de référence');
  });

  test('step 1: buyer, framework, procedure', async () => {
    await page.getByRole('heading', { level: 1, name: /Acheteur et cadre/ }).waitFor();
    await expect.poll(() => page.getByLabel('Version').inputValue()).toBe('3');
    // The API's problem+json field errors, in French, on the fields and in a summary that links to them.
    await expect.poll(() => livePanel().innerText()).toContain('Demande incomplète');
    await next();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Nom de l’acheteur : Ce champ est obligatoire.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await summary.getByRole('link', { name: /Nom de l’acheteur/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-buyer-name');
    expect(await page.locator('#f-buyer-name').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'wizard-general-errors', { report: axeReport });
    await page.getByLabel('Nom de l’acheteur').fill(example.buyer.name);
    await page.getByLabel('Type d’acheteur').selectOption('municipality');
    await page.getByLabel('Adresse').fill(example.buyer.address);
    await page.getByLabel('Objet du marché').fill(example.title);
    await page.getByLabel('Référence interne').fill(example.reference);
    await page.getByLabel('Date de lancement de la consultation').fill(example.consultationDate);
    await page.getByLabel('Procédure').selectOption('adapted');
    await page.getByLabel('Contexte du projet').fill(example.context);
    await expectAccessible(page, 'wizard-general', { report: axeReport });
    await next();
  });

  test('step 2: no establishment to list for one delivery place', async () => {
    await page.getByRole('heading', { level: 1, name: /Établissements/ }).waitFor();
    await expectAccessible(page, 'wizard-sites-empty', { report: axeReport });
    await next();
  });

  let tabletLine = -1;

  test('step 3: the classe mobile of 16 tablets expands into editable lines with estimated prices; the draft survives a reload', async () => {
    await page.getByRole('heading', { level: 1, name: /Lots et lignes/ }).waitFor();
    const lot = example.lots[0]!;
    await page.getByLabel('Intitulé du lot 1').fill(lot.title);
    await page.getByLabel('Offre packagée — lot 1').selectOption('classe-mobile-16');
    await page.getByRole('button', { name: 'Ajouter les lignes de l’offre au lot 1' }).click();
    const items = await page.locator('select[id$="-itemId"]').evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value));
    expect(items.length).toBeGreaterThan(1);
    for (const [itemId, price] of Object.entries(lot.estimatedUnitPrices)) {
      const i = items.indexOf(itemId);
      expect(i, itemId).toBeGreaterThanOrEqual(0);
      await page.locator(`#f-lots-0-items-${i}-unitPrice`).fill(String(price).replace('.', ','));
    }
    tabletLine = items.indexOf('tablet');
    await page.getByLabel('Autres lieux de livraison — lot 1').fill(lot.deliverySites.join('\n'));
    // The lot's estimate comes from the API, HT and TTC, never a copy typed by the buyer.
    await expect.poll(() => page.locator('#estimate-lot-1').innerText(), { timeout: 10_000 }).toMatch(/\d[\d\u202f]*,\d{2}\u00a0€ HT.*€ TTC/s);
    await expectAccessible(page, 'wizard-lots', { report: axeReport });

    await page.reload();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await expect.poll(() => page.getByLabel('Intitulé du lot 1').inputValue()).toBe(lot.title);
    await expect.poll(() => page.locator(`#f-lots-0-items-${tabletLine}-unitPrice`).inputValue()).toBe('360');

    // A line the buyer writes and leaves empty: the API's 422 names its fields, the summary links to them and moves the focus there.
    const lines = await page.locator('fieldset.line-editor').count();
    await page.getByRole('button', { name: 'Ajouter une ligne au lot 1' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`f-lots-0-items-${lines}-itemId`);
    await next();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const link = summary.getByRole('link', { name: `Lot 1, ligne ${lines + 1} : désignation : Ce champ est obligatoire.` });
    await link.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`f-lots-0-items-${lines}-designation`);
    expect(await page.locator(`#f-lots-0-items-${lines}-designation`).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'wizard-lots-errors', { report: axeReport });
    await page.getByRole('button', { name: `Retirer la ligne — Ligne ${lines + 1} du lot 1` }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-lots-0-add-line');
    await next();
  });

  test('step 4: tighten storage, loosen a ministry criterion (conformity lost and why), fix it', async () => {
    await page.getByRole('heading', { level: 1, name: /Exigences/ }).waitFor();
    await expect.poll(() => livePanel().innerText(), { timeout: 10_000 }).toContain('Conforme au référentiel');

    const storage = row('tablet.storage.user');
    await storage.getByRole('button', { name: /^Modifier/ }).click();
    // « Modifier » gives way to the form: the focus goes to the threshold, not to the page.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('lot-0-tablet-storage-user-metric');
    await storage.getByLabel(/^Seuil/).fill('64');
    await storage.getByLabel(/^Justification/).fill('Vidéos et enregistrements sonores conservés toute l’année sur des tablettes partagées.');
    await expect.poll(() => storage.locator('.req-status').innerText()).toContain('Renforcée');
    await expect.poll(() => livePanel().innerText()).toContain('Conforme au référentiel');

    const cameras = row('tablet.cameras');
    await cameras.getByRole('button', { name: /^Modifier/ }).click();
    await cameras.getByLabel(/^Seuil/).selectOption('no');
    await expect.poll(() => livePanel().innerText()).toContain('Non conforme au référentiel');
    await expect.poll(() => cameras.locator('.req-status').innerText()).toContain('sélection non conforme au référentiel');
    // The API says why: the loosened ministry criterion and its reference.
    await expect.poll(() => livePanel().innerText()).toMatch(/Seuil assoupli/);
    await expectAccessible(page, 'wizard-requirements-loosened', { report: axeReport });
    await cameras.scrollIntoViewIfNeeded();
    await screenshot(page, 'buyer-eligibility-lost');

    await cameras.getByRole('button', { name: /^Rétablir l’exigence de référence/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('lot-0-tablet-cameras-close');
    await expect.poll(() => livePanel().innerText()).toContain('Conforme au référentiel');
    await expect.poll(() => cameras.locator('.req-status').innerText()).toContain('Conforme au référentiel');
  });

  test('step 4: a search box and filters narrow the criteria, with a polite count; the focus stays on the control used', async () => {
    const count = page.locator('#req-filter-count');
    const cards = page.locator('li[data-criterion]');
    const activeId = () => page.evaluate(() => document.activeElement?.id);
    // As with a mouse or the keyboard: the control takes the focus, then the choice.
    const pick = async (selector: string, option: string | { label: string }) => {
      await page.locator(selector).focus();
      await page.locator(selector).selectOption(option);
    };
    expect(await count.getAttribute('aria-live')).toBe('polite');
    const total = await cards.count();
    expect(total).toBeGreaterThan(40);
    expect(await count.innerText()).toBe(`${total}\u00a0critères affichés sur ${total}.`);
    // Only what the lot buys, by its French names; no internal id among the choices.
    const items = await page.locator('#req-filter-item option').allInnerTexts();
    expect(items).toContain('Chariot de rechargement et de rangement');
    for (const label of items) expect(label).not.toMatch(/^[a-z0-9-]+$/);

    // Words are searched accents and case aside, in what the cards show.
    await page.locator('#req-search').focus();
    await page.keyboard.type('AUTONOMIE');
    await expect.poll(() => cards.count()).toBeLessThan(total);
    const found = await cards.count();
    expect(found).toBeGreaterThan(0);
    for (const text of await cards.allInnerTexts()) expect(text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase()).toMatch(/autonomie/);
    expect(await count.innerText()).toBe(`${found}\u00a0critère${found > 1 ? 's affichés' : ' affiché'} sur ${total}.`);
    expect(await activeId()).toBe('req-search');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await expect.poll(() => cards.count()).toBe(total);

    // Item, source and level filters; each leaves the focus on its own control.
    await pick('#req-filter-item', { label: 'Chariot de rechargement et de rangement' });
    await expect.poll(() => cards.count()).toBeLessThan(total);
    expect(await activeId()).toBe('req-filter-item');
    const cart = catalogueItems.find((i) => i.id === 'charging-cart')!;
    expect(await cards.evaluateAll((list) => list.map((li) => li.getAttribute('data-criterion')))).toEqual(expect.arrayContaining(cart.criteria.filter((id) => id.startsWith('cart.'))));
    for (const id of await cards.evaluateAll((list) => list.map((li) => li.getAttribute('data-criterion')))) expect(cart.criteria).toContain(id);
    await pick('#req-filter-item', '');
    await pick('#req-filter-authority', { label: 'Ministère' });
    await expect.poll(() => cards.count()).toBeLessThan(total);
    for (const badge of await cards.locator('.badge:not(.badge-funding)').allInnerTexts()) expect(badge.toLowerCase()).toBe('ministère');
    await pick('#req-filter-level', { label: 'Appréciée' });
    await expect.poll(async () => (await count.innerText()).endsWith(`sur ${total}.`) && (await cards.count()) < total).toBe(true);
    for (const meta of await cards.locator('.req-meta').allInnerTexts()) expect(meta).toMatch(/^Appréciée/);
    expect(await activeId()).toBe('req-filter-level');
    await expectAccessible(page, 'wizard-requirements-filtered', { strict: true, report: axeReport });

    // « Modifiés par moi »: the tightened storage only, and the singular.
    await pick('#req-filter-authority', '');
    await pick('#req-filter-level', '');
    await page.getByLabel('Modifiés par moi').check();
    await expect.poll(() => count.innerText()).toBe(`1\u00a0critère affiché sur ${total}.`);
    expect(await cards.evaluateAll((list) => list.map((li) => li.getAttribute('data-criterion')))).toEqual(['tablet.storage.user']);
    expect(await activeId()).toBe('req-filter-changed');

    // Nothing left: said in the count and in the lot, then everything back with one button, the focus on it.
    await page.locator('#req-search').fill('zzzz');
    await expect.poll(() => count.innerText()).toBe(`0\u00a0critère affiché sur ${total}. Aucun critère ne correspond à la recherche et aux filtres.`);
    expect(await page.locator('.card').first().innerText()).toContain('Aucun critère de ce lot ne correspond à la recherche et aux filtres.');
    await page.locator('#req-filter-clear').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => count.innerText()).toBe(`${total}\u00a0critères affichés sur ${total}.`);
    expect(await activeId()).toBe('req-filter-clear');
    expect(await page.locator('#req-search').inputValue()).toBe('');
    expect(await page.getByLabel('Modifiés par moi').isChecked()).toBe(false);
    await expectAccessible(page, 'wizard-requirements-cleared', { strict: true, report: axeReport });
    await next();
  });

  test('step 5: award weights with a live total and the environmental reminder', async () => {
    await page.getByRole('heading', { level: 1, name: /Critères d’attribution/ }).waitFor();
    // A lawful default: price, technical value and an environmental criterion.
    await expect.poll(() => page.locator('.weights-total').innerText()).toMatch(/100\s%.*correct/);
    await page.getByRole('button', { name: 'Supprimer le critère 3 du lot 1' }).click();
    await expect.poll(() => page.locator('.alert').filter({ hasText: 'Critère environnemental' }).count()).toBe(1);
    await page.getByLabel('Pondération du critère 1 du lot 1').fill('50');
    await page.getByLabel('Pondération du critère 2 du lot 1').fill('35');
    await expect.poll(() => page.locator('.weights-total').innerText()).toMatch(/85\s%.*il manque 15\s%/);
    // Sub-criteria of the technical value, as in the example: 20 + 10 + 5 = 35.
    for (const [j, [name, weight]] of [
      ['Qualité et adaptation des équipements proposés à l’usage scolaire', '20'],
      ['Modalités d’installation et contenu de la formation', '10'],
      ['Garantie, délais d’intervention et assistance', '5'],
    ].entries()) {
      await page.getByRole('button', { name: 'Ajouter un sous-critère au critère 2 du lot 1' }).click();
      // The focus goes to the new sub-criterion's name.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`f-lots-0-awardCriteria-1-subCriteria-${j}-name`);
      await page.keyboard.type(name!);
      await page.locator(`#f-lots-0-awardCriteria-1-subCriteria-${j}-weight`).fill(weight!);
    }
    await expect.poll(() => page.locator('.subcriteria').nth(1).innerText()).toMatch(/Sous-critères\s: 35\s% pour un critère de 35\s%\s— correct/);
    await page.getByRole('button', { name: 'Ajouter un critère environnemental au lot 1' }).click();
    // The focus goes to the new criterion's name (a field typed into before it gets there keeps
    // the focus and the value: wizard-focus.test.ts).
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-lots-0-awardCriteria-2-name');
    await page.getByLabel('Pondération du critère 3 du lot 1').fill('15');
    await expect.poll(() => page.locator('.weights-total').innerText()).toMatch(/100\s%.*correct/);
    await expect.poll(() => page.locator('.alert').filter({ hasText: 'Critère environnemental' }).count()).toBe(0);
    await expectAccessible(page, 'wizard-award', { report: axeReport });
    await next();
  });

  let tenderId = '';

  test('step 6: estimate and tier, findings, generation (PDF and Word), download; the PDF carries the tightened threshold', async () => {
    await page.getByRole('heading', { level: 1, name: /Vérification et génération/ }).waitFor();
    const estimate = page.locator('section[aria-labelledby="estimation"]');
    await expect.poll(() => estimate.innerText(), { timeout: 10_000 }).toMatch(/Total\s: \d[\d\u202f]*,\d{2}\u00a0€ HT, soit \d[\d\u202f]*,\d{2}\u00a0€ TTC/);
    expect(await estimate.innerText()).toMatch(/Seuil\s: (Procédure adaptée|Sous le seuil)/);
    const generate = page.getByRole('button', { name: 'Générer le CCTP' });
    await expect.poll(() => generate.isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('.findings-error').count()).toBe(0);
    await expectAccessible(page, 'wizard-review', { report: axeReport });
    await expect.poll(() => page.getByRole('checkbox', { name: 'CCTP au format Word' }).isChecked()).toBe(false);
    await page.getByRole('checkbox', { name: 'CCTP au format Word' }).check();
    await generate.click();
    const generated = page.locator('#generated');
    await generated.waitFor({ timeout: 20_000 });
    const text = await generated.innerText();
    // fr-FR money: narrow no-break space between thousands, comma, euro sign.
    expect(text).toMatch(/Aide estimée : \d{1,3}(\u202f\d{3})*,\d{2}\u00a0€/);
    await expectAccessible(page, 'wizard-generated', { report: axeReport });
    await screenshot(page, 'buyer-generated');

    const pdfLink = generated.getByRole('link', { name: 'Télécharger le CCTP', exact: true });
    const url = await pdfLink.getAttribute('href');
    const docx = await fetch((await generated.getByRole('link', { name: 'Télécharger le CCTP au format Word' }).getAttribute('href'))!);
    expect(docx.status).toBe(200);
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    expect(url).toMatch(/^http/);
    const viaLink = await fetch(url!);
    expect(viaLink.status).toBe(200);
    expect(Buffer.from(await viaLink.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    const href = await generated.getByRole('link', { name: /Voir cette consultation/ }).getAttribute('href');
    tenderId = decodeURIComponent(href!.replace('#/appels/', ''));
    const viaApi = await fetch(`${web.url}/tenders/${encodeURIComponent(tenderId)}/documents/cctp.pdf`, { headers: { authorization: `Bearer ${web.stack.tokens.buyer}` } });
    expect(viaApi.status).toBe(200);
    const pdf = await pdfText(new Uint8Array(await viaApi.arrayBuffer()));
    expect(pdf).toContain('≥ 64 Go');
    expect(pdf).toContain(example.buyer.name);
  });

  test('my tenders: list, open, fresh links, duplicate as a draft', async () => {
    await page.getByRole('link', { name: 'Mes consultations', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes consultations' }).waitFor();
    await page.getByRole('link', { name: example.title }).waitFor();
    expect(await page.locator('td[data-recheck]').first().innerText()).toBe('Inchangés');
    await expectAccessible(page, 'tenders', { report: axeReport });
    await page.getByRole('link', { name: example.title }).click();
    await page.getByRole('heading', { level: 1, name: example.title }).waitFor();
    expect(await page.locator('[data-stored-document]').evaluateAll((items) => items.map((i) => i.getAttribute('data-stored-document')))).toEqual([
      'cctp.pdf',
      'cctp.docx',
      'note-interne.pdf',
      'report.json',
    ]);
    await page.getByRole('button', { name: 'Obtenir les liens de téléchargement' }).click();
    await page.getByRole('link', { name: 'Télécharger le CCTP au format Word' }).waitFor();
    const link = page.getByRole('link', { name: 'Télécharger le CCTP', exact: true });
    await link.waitFor();
    expect((await fetch((await link.getAttribute('href'))!)).status).toBe(200);
    await expectAccessible(page, 'tender', { report: axeReport });

    await page.getByRole('button', { name: 'Dupliquer en brouillon' }).click();
    await page.getByRole('heading', { level: 1, name: /Acheteur et cadre/ }).waitFor();
    await expect.poll(() => page.getByLabel('Objet du marché').inputValue()).toBe(example.title);
    await page.goto(`${web.url}/#/cctp/4`);
    await expect.poll(() => row('tablet.storage.user').locator('.req-status').innerText()).toContain('Renforcée');
  });

  test('a tender created through the API, without Idempotency-Key, gets fresh links too', async () => {
    const body = await readFile(new URL('../../examples/commune-rurale-classe-mobile.json', import.meta.url), 'utf8');
    const created = await fetch(`${web.url}/tenders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${web.stack.tokens.buyer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...JSON.parse(body), title: 'Commande passée par l’API' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await page.goto(`${web.url}/#/appels/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { level: 1, name: 'Commande passée par l’API' }).waitFor();
    await page.getByRole('button', { name: 'Obtenir les liens de téléchargement' }).click();
    const link = page.getByRole('link', { name: /Télécharger le CCTP/ });
    await link.waitFor();
    const pdf = await fetch((await link.getAttribute('href'))!);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('tablet width: one column, the live panel stays visible', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${web.url}/#/cctp/5`);
    await page.getByRole('heading', { level: 1, name: /Critères d’attribution/ }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'wizard-award-tablet', { report: axeReport });
    await screenshot(page, 'buyer-award-tablet');
    await page.goto(`${web.url}/#/cctp/4`);
    await page.getByRole('heading', { level: 1, name: /Exigences/ }).waitFor();
    await row('tablet.storage.user').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    // The live panel comes first in one column.
    const panel = await livePanel().boundingBox();
    const first = await row('tablet.storage.user').boundingBox();
    expect(panel!.y).toBeLessThan(first!.y);
    await screenshot(page, 'buyer-requirements-tablet');
  });

  test('a draft saved by the version 1 wizard opens upgraded: its offer with prices, detailed into lines on request, its criteria on the lot', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('cahier:draft:')));
    expect(key).toBeDefined();
    const v1 = {
      format: 1,
      buyer: { name: 'Commune de Saint-Aubin', type: 'municipality', address: '' },
      title: 'Classe mobile de l’école',
      reference: '',
      framework: { id: 'carmo-education', version: 2 },
      procedure: 'adapted',
      contract: { form: 'ordinary' },
      consultationDate: '2026-12-01',
      context: '',
      allotmentJustification: '',
      lots: [{ title: 'Tablettes et chariot', offerId: 'classe-mobile-16', offerCount: 1, items: [], prices: { tablet: 355 }, overrides: {}, custom: [], deliverySites: '' }],
      award: [
        { name: 'Prix', type: 'price', theme: 'price', weight: 55, subCriteria: [] },
        { name: 'Valeur technique', type: 'quality', theme: 'technical', weight: 45, subCriteria: [] },
      ],
      variants: { allowed: false, minimumRequirements: '' },
      options: [],
    };
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), [key, JSON.stringify(v1)]);
    await page.goto(`${web.url}/#/cctp/3`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Lots et lignes/ }).waitFor();
    await expect.poll(() => page.getByLabel('Intitulé du lot 1').inputValue()).toBe('Tablettes et chariot');
    expect(await page.locator('#f-lots-0-estimatedUnitPrices-tablet').inputValue()).toBe('355');
    await page.getByRole('button', { name: 'Détailler l’offre en lignes modifiables' }).click();
    const items = await page.locator('select[id$="-itemId"]').evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value));
    expect(await page.locator(`#f-lots-0-items-${items.indexOf('tablet')}-unitPrice`).inputValue()).toBe('355');
    await page.goto(`${web.url}/#/cctp/5`);
    await expect.poll(() => page.getByLabel('Nom du critère 1 du lot 1').inputValue()).toBe('Prix');
    expect(await page.getByLabel('Pondération du critère 2 du lot 1').inputValue()).toBe('45');
  });

  test('keyboard: the skip link comes first and moves the focus to the content', async () => {
    await page.goto(`${web.url}/#/appels`);
    await page.getByRole('heading', { level: 1, name: 'Mes consultations' }).waitFor();
    // The rows arrive with their re-check: wait for them, so that Tab has the first row's link to reach.
    await page.locator('td[data-recheck]').first().waitFor();
    const firstFocusable = await page.evaluate(() => document.querySelector('a[href], button, input, select, textarea')?.textContent);
    expect(firstFocusable).toBe('Aller au contenu');
    await page.getByRole('link', { name: 'Aller au contenu' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
  });

  afterAll(() => {
    console.log(`axe violations (any impact) per screen: ${JSON.stringify(axeReport)}`);
  });
});
