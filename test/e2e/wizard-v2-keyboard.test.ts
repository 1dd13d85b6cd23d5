/**
 * A buyer, in headless Chromium and through the keyboard only (Tab, Shift+Tab, arrows, Space,
 * Enter, typing and pasting), builds the département's accord-cadre for twelve collèges in three
 * lots (examples/departement-colleges-trois-lots-v2.json) from an empty wizard: the contract's
 * renewals and revisable price, the collèges pasted from a spreadsheet, lines per collège and
 * computed ones, per-lot maxima, a priced option, a visit, per-lot award criteria and
 * sub-criteria; the estimate and its threshold tier show on the way, and the request the API
 * stores says what the example says. axe finds nothing on any step; the focus lands where the
 * buyer acted.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keyboard, type Keyboard } from './support/keyboard.ts';
import { browserAvailable, expectAccessible, signIn, webStackForFile } from './support/web-stack.ts';

interface Line {
  itemId?: string;
  designation?: string;
  unit?: string;
  nature?: string;
  category?: string;
  cpv?: string;
  sites?: Record<string, number>;
  quantityFrom?: { rule: 'devices' } | { rule: 'teachers'; perTeacher: number };
  estimated?: boolean;
  unitPrice: number;
  requirements?: string[];
}
interface Award {
  name: string;
  theme: string;
  weight: number;
  subCriteria?: Array<{ name: string; weight: number }>;
}
const example = JSON.parse(await readFile(new URL('../../examples/departement-colleges-trois-lots-v2.json', import.meta.url), 'utf8')) as {
  buyer: { name: string; address: string };
  title: string;
  reference: string;
  consultationDate: string;
  context: string;
  contract: { durationMonths: number; renewals: { count: number; months: number }; start: { event: string }; price: { index: string } };
  sites: Array<{ id: string; name: string; address: string; uai: string; pupils: number; teachers: number; deliveryPeriods: string }>;
  lots: Array<{
    title: string;
    cpv: { main: string; additional?: string[] };
    items: Line[];
    spareSlots?: number;
    maximumAmount?: number;
    maximumQuantity?: number;
    awardCriteria: Award[];
    options?: Array<{ label: string; description: string; lines: Line[] }>;
    visit?: { kind: string; booking?: string; sites?: string[] };
    customRequirements?: Array<{ label: string; requirement: string }>;
  }>;
};

const web = webStackForFile();
let page: Page;
const axeReport: Record<string, number> = {};

beforeAll(async () => {
  if (!browserAvailable) return;
  ({ page } = await web.newPage());
  keys = keyboard(page);
}, 60_000);

afterAll(async () => {
  console.log(`axe violations (any impact) per step, keyboard build: ${JSON.stringify(axeReport)}`);
});

// Bound once the page exists: every move goes through the keyboard.
let keys: Keyboard;
const activeId = () => keys.activeId();
const tabTo = (target: Locator) => keys.tabTo(target);
const type = (target: Locator | string, text: string | number) => keys.type(target, text);
const choose = (target: Locator | string, value: string) => keys.choose(target, value);
const press = (target: Locator, key: 'Enter' | 'Space' = 'Enter') => keys.press(target, key);

const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
const next = () => press(page.getByRole('button', { name: /^Étape suivante/ }));
const heading = (name: RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
const siteId = (exampleId: string) => `site-${example.sites.findIndex((s) => s.id === exampleId) + 1}`;

/** One line of a lot (or of an option) typed as the example writes it. */
async function typeLine(base: string, line: Line, pasteSites = false): Promise<void> {
  const f = (rest: string) => `#f-${base.replace(/\./g, '-')}-${rest}`;
  await choose(f('itemId'), line.itemId ?? '');
  if (!line.itemId) {
    await type(f('designation'), line.designation!);
    await type(f('unit'), line.unit!);
    await choose(f('nature'), line.nature!);
    if (line.category) await choose(f('category'), line.category);
    await type(f('cpv'), line.cpv!);
  }
  if (line.sites) {
    await choose(f('quantityFrom'), 'sites');
    if (pasteSites) {
      // A column copied from a spreadsheet, one quantity per collège in the list's order.
      await tabTo(page.locator(f('sites-paste')));
      await page.keyboard.insertText(example.sites.map((s) => String(line.sites![s.id] ?? '')).join('\n'));
      const [, lot, , index] = base.split('.');
      await press(button(`Reprendre les quantités collées — Ligne ${Number(index) + 1} du lot ${Number(lot) + 1}`));
      for (const [id, quantity] of Object.entries(line.sites)) await expect.poll(() => page.locator(f(`sites-${siteId(id)}`)).inputValue()).toBe(String(quantity));
    } else for (const [id, quantity] of Object.entries(line.sites)) await type(f(`sites-${siteId(id)}`), quantity);
  } else if (line.quantityFrom?.rule === 'devices') {
    await choose(f('quantityFrom'), 'devices');
  } else if (line.quantityFrom?.rule === 'teachers') {
    await choose(f('quantityFrom'), 'teachers');
    await type(f('quantityFrom-perTeacher'), line.quantityFrom.perTeacher);
  }
  if (line.estimated) await press(page.locator(f('estimated')), 'Space');
  await type(f('unitPrice'), String(line.unitPrice).replace('.', ','));
  if (line.requirements?.length) await type(f('requirements'), line.requirements.join('\n'));
}

describe.skipIf(!browserAvailable)('the département’s three-lot accord-cadre, built with the keyboard only', () => {
  test('step 1: buyer, open procedure, accord-cadre of 12 months renewable 3 times, revisable unit prices', async () => {
    await signIn(page, web.url, 'buyer');
    await heading(/Acheteur et cadre/);
    await type('#f-buyer-name', example.buyer.name);
    await choose('#f-buyer-type', 'department');
    await type('#f-buyer-address', example.buyer.address);
    await type('#f-title', example.title);
    await type('#f-reference', example.reference);
    // A date field takes the digits in the order its locale shows (headless Chromium keeps month, day, year whatever the page's language).
    const [y, m, d] = example.consultationDate.split('-');
    const date = page.locator('#f-consultationDate');
    await tabTo(date);
    await page.keyboard.type(`${d}${m}${y}`);
    if ((await date.inputValue()) !== example.consultationDate) {
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.type(`${m}${d}${y}`);
    }
    await expect.poll(() => date.inputValue()).toBe(example.consultationDate);
    await choose('#f-procedure', 'open');
    await type('#f-context', example.context);
    await choose('#f-contract-form', 'framework-agreement');
    await choose('#f-contract-frameworkType', 'purchase-orders-single');
    await type('#f-contract-durationMonths', example.contract.durationMonths);
    await type('#f-contract-renewals-count', example.contract.renewals.count);
    await type('#f-contract-renewals-months', example.contract.renewals.months);
    await choose('#f-contract-renewals-kind', 'express');
    await choose('#f-contract-start-kind', 'event');
    await type('#f-contract-start-event', example.contract.start.event);
    await choose('#f-contract-price-form', 'unit');
    await choose('#f-contract-price-type', 'revisable');
    await type('#f-contract-price-index', example.contract.price.index);
    await expectAccessible(page, 'general', { strict: true, report: axeReport });
    await next();
  });

  test('step 2: the twelve collèges pasted from a spreadsheet, focus on the report, plurals', async () => {
    await heading(/Établissements/);
    const table = [
      'Nom\tAdresse\tUAI\tÉlèves\tEnseignants\tPériodes de livraison',
      ...example.sites.map((s) => [s.name, s.address, s.uai.toLowerCase(), s.pupils, s.teachers, s.deliveryPeriods].join('\t')),
    ].join('\n');
    await tabTo(page.locator('#sites-paste'));
    await page.keyboard.insertText(table);
    await press(button('Ajouter les établissements collés'));
    await expect.poll(activeId).toBe('paste-report');
    expect(await page.locator('#paste-report').innerText()).toBe('12\u00a0établissements ajoutés.');
    await page.getByRole('heading', { level: 2, name: '12\u00a0établissements' }).waitFor();
    expect(await page.locator('#f-sites-11-uai').inputValue()).toBe(example.sites[11]!.uai);
    // A UAI code of the wrong shape is said on the field, in French.
    await type('#f-sites-0-uai', '005001');
    expect(await page.locator('#f-sites-0-uai-error').innerText()).toMatch(/^Code UAI attendu\u00a0: 7 chiffres/);
    await type('#f-sites-0-uai', example.sites[0]!.uai);
    await expect.poll(() => page.locator('#f-sites-0-uai-error').count()).toBe(0);
    await expectAccessible(page, 'sites', { strict: true, report: axeReport });
    await next();
  });

  test('step 3: three lots with lines per collège, computed licences and training hours, maxima, an option and a visit; the estimate follows', async () => {
    await heading(/Lots et lignes/);
    for (const [l, lot] of example.lots.entries()) {
      if (l > 0) {
        await press(button('Ajouter un lot'));
        await expect.poll(activeId).toBe(`f-lots-${l}-title`);
      }
      await type(`#f-lots-${l}-title`, lot.title);
      await type(`#f-lots-${l}-cpv-main`, lot.cpv.main);
      if (lot.cpv.additional) await type(`#f-lots-${l}-cpv-additional`, lot.cpv.additional.join(' '));
      for (const [i, line] of lot.items.entries()) {
        await press(button(`Ajouter une ligne au lot ${l + 1}`));
        // The focus goes to the new line, where the buyer goes on typing.
        await expect.poll(activeId).toBe(`f-lots-${l}-items-${i}-itemId`);
        await typeLine(`lots.${l}.items.${i}`, line, l === 1);
      }
      if (lot.spareSlots !== undefined) await type(`#f-lots-${l}-spareSlots`, lot.spareSlots);
      if (lot.maximumAmount !== undefined) await type(`#f-lots-${l}-maximumAmount`, lot.maximumAmount);
      if (lot.maximumQuantity !== undefined) await type(`#f-lots-${l}-maximumQuantity`, lot.maximumQuantity);
      for (const [k, option] of (lot.options ?? []).entries()) {
        await press(button(`Ajouter une option au lot ${l + 1}`));
        await expect.poll(activeId).toBe(`f-lots-${l}-options-${k}-label`);
        await page.keyboard.type(option.label);
        await type(`#f-lots-${l}-options-${k}-description`, option.description);
        for (const [j, line] of option.lines.entries()) {
          await press(button(`Ajouter une ligne à l’option ${k + 1}`));
          await typeLine(`lots.${l}.options.${k}.lines.${j}`, line);
        }
      }
      if (lot.visit && lot.visit.kind !== 'none') {
        await choose(`#f-lots-${l}-visit-kind`, lot.visit.kind);
        if (lot.visit.booking) await type(`#f-lots-${l}-visit-booking`, lot.visit.booking);
        for (const id of lot.visit.sites ?? []) await press(page.locator(`#f-lots-${l}-visit-sites-${siteId(id)}`), 'Space');
      }
    }
    // Computed quantities are shown as computed: 276 tablets → 276 licences; 3 h for each of the 415 teachers.
    const tablets = Object.values(example.lots[0]!.items[0]!.sites!).reduce((a, b) => a + b, 0);
    const teachers = example.sites.reduce((n, s) => n + s.teachers, 0);
    expect(await page.locator('#f-lots-0-items-2-computed output').innerText()).toBe(`${tablets}\u00a0licences`);
    expect(await page.locator('#f-lots-2-items-0-computed output').innerText()).toBe(`${new Intl.NumberFormat('fr-FR').format(teachers * 3)}\u00a0heures`);
    expect(await page.locator('#f-lots-0-items-2-quantity').count()).toBe(0);
    // Cart slots follow the tablets per cart at the collège that needs the most, plus the spare ones, as the API counts them.
    const [tabletLine, cartLine] = example.lots[0]!.items;
    const slots = Math.max(...Object.keys(cartLine!.sites!).map((id) => Math.ceil((tabletLine!.sites![id] ?? 0) / cartLine!.sites![id]!))) + (example.lots[0]!.spareSlots ?? 0);
    expect(await page.locator('.lot').first().innerText()).toContain(`au moins ${slots}\u00a0emplacements`);
    // The estimate of each lot, HT and TTC, from the API: with a maximum, the maximum is the value.
    await expect.poll(() => page.locator('#estimate-lot-1').innerText(), { timeout: 15_000 }).toMatch(/le maximum du lot, 900\u202f000,00\u00a0€ HT/);
    await expectAccessible(page, 'lots', { strict: true, report: axeReport });
    await next();
  });

  test('step 4: lot 2 asks for a social clause of its own', async () => {
    await heading(/Exigences/);
    const requirement = example.lots[1]!.customRequirements![0]!;
    await press(button('Ajouter une exigence au lot 2'));
    await type('#f-lots-1-customRequirements-0-label', requirement.label);
    await type('#f-lots-1-customRequirements-0-requirement', requirement.requirement);
    await expectAccessible(page, 'requirements', { strict: true, report: axeReport });
    await next();
  });

  test('step 5: each lot’s criteria and sub-criteria, with live totals in French', async () => {
    await heading(/Critères d’attribution/);
    for (const [l, lot] of example.lots.entries()) {
      for (const [i, criterion] of lot.awardCriteria.entries()) {
        const p = `#f-lots-${l}-awardCriteria-${i}`;
        if ((await page.locator(`${p}-name`).count()) === 0) {
          await press(button(`Ajouter un critère au lot ${l + 1}`));
          await expect.poll(activeId).toBe(`f-lots-${l}-awardCriteria-${i}-name`);
        }
        await type(`${p}-name`, criterion.name);
        await type(`${p}-weight`, criterion.weight);
        await choose(`${p}-theme`, criterion.theme);
        await choose(`${p}-type`, criterion.theme === 'price' ? 'price' : 'quality');
        for (const [j, sub] of (criterion.subCriteria ?? []).entries()) {
          await press(page.locator(`${p}-subCriteria-add`));
          await expect.poll(activeId).toBe(`f-lots-${l}-awardCriteria-${i}-subCriteria-${j}-name`);
          await page.keyboard.type(sub.name);
          await type(`${p}-subCriteria-${j}-weight`, sub.weight);
        }
      }
      // French spacing: no-break spaces before the colon, the percent sign and the dash.
      await expect.poll(() => page.locator(`#weights-total-${l}`).innerText()).toMatch(new RegExp(`^Total des pondérations du lot ${l + 1}\u00a0: 100[\u00a0\u202f]%\u00a0— correct\\.$`));
    }
    // A sub-criterion off by 5: the message says so, in French, as it is typed.
    await type('#f-lots-0-awardCriteria-1-subCriteria-0-weight', 20);
    await expect.poll(() => page.locator('.subcriteria').nth(1).innerText()).toMatch(/Sous-critères\u00a0: 35\s% pour un critère de 40\s%\u00a0— il manque 5\s%\./);
    await type('#f-lots-0-awardCriteria-1-subCriteria-0-weight', 25);
    // Lot 1's price scored « linéaire », lot 2's ties broken by the technical score: Tab reaches the group's checked default, an arrow moves the choice and the focus stays on it.
    const priceOf1 = example.lots[0]!.awardCriteria.findIndex((a) => a.theme === 'price');
    const scoring = page.locator(`#f-lots-0-awardCriteria-${priceOf1}-priceScoring`);
    expect(await scoring.locator('legend').innerText()).toBe(`Méthode de notation du prix — critère ${priceOf1 + 1} du lot 1`);
    expect(await scoring.innerText()).toContain('note = points × prix le plus bas ÷ prix de l’offre');
    await tabTo(scoring.getByRole('radio', { name: 'Proportionnelle (par défaut)' }));
    await page.keyboard.press('ArrowDown');
    await expect.poll(activeId).toBe(`f-lots-0-awardCriteria-${priceOf1}-priceScoring-linear`);
    expect(await scoring.getByRole('radio', { name: 'Linéaire' }).isChecked()).toBe(true);
    const ties = page.locator('#f-lots-1-tieBreak');
    expect(await ties.locator('legend').innerText()).toBe('En cas d’égalité — lot 2');
    await tabTo(ties.getByRole('radio', { name: 'Pas de règle de départage (par défaut)' }));
    await page.keyboard.press('ArrowDown');
    await expect.poll(activeId).toBe('f-lots-1-tieBreak-best-technical');
    expect(await ties.getByRole('radio', { name: 'Meilleure note technique' }).isChecked()).toBe(true);
    await expectAccessible(page, 'award', { strict: true, report: axeReport });
    await next();
  });

  let tenderId = '';

  test('step 6: the estimate and its tier, then generation: the API accepts the request', async () => {
    await heading(/Vérification et génération/);
    const estimate = page.locator('section[aria-labelledby="estimation"]');
    // Lots 1 and 2 count at their maximum, lot 3 at its lines over 4 years: above the EU threshold.
    await expect.poll(() => estimate.innerText(), { timeout: 15_000 }).toMatch(/Seuil\u00a0: Procédure formalisée\u00a0:/);
    expect(await estimate.innerText()).toMatch(/Total\u00a0: \d{1,3}(\u202f\d{3})*,\d{2}\u00a0€ HT, soit \d{1,3}(\u202f\d{3})*,\d{2}\u00a0€ TTC, tous lots confondus, reconductions comprises\./);
    expect(await estimate.locator('tbody tr').count()).toBe(3);
    // The summary says the choices of step 5, lot by lot.
    const summary = page.locator('dl.summary dd');
    const lotSummary = async (n: number) => summary.nth((await page.locator('dl.summary dt').allInnerTexts()).indexOf(`Lot ${n}`));
    expect(await (await lotSummary(1)).innerText()).toContain('(notation linéaire)');
    expect(await (await lotSummary(1)).innerText()).not.toContain('en cas d’égalité');
    expect(await (await lotSummary(2)).innerText()).toContain('en cas d’égalité\u00a0: meilleure note technique');
    await expectAccessible(page, 'review', { strict: true, report: axeReport });
    const generate = button('Générer le CCTP');
    await expect.poll(() => generate.isEnabled(), { timeout: 15_000 }).toBe(true);
    await press(generate);
    const generated = page.locator('#generated');
    await generated.waitFor({ timeout: 60_000 });
    await expect.poll(activeId).toBe('generated');
    const href = await generated.getByRole('link', { name: /Voir cette consultation/ }).getAttribute('href');
    tenderId = decodeURIComponent(href!.replace('#/appels/', ''));
    await expectAccessible(page, 'generated', { strict: true, report: axeReport });
  });

  test('the stored request says what the example says: sites, lines per collège, computed lines, maxima, criteria, option, visit', async () => {
    const response = await fetch(`${web.url}/tenders/${encodeURIComponent(tenderId)}`, { headers: { authorization: `Bearer ${web.stack.tokens.buyer}` } });
    expect(response.status).toBe(200);
    const { request } = (await response.json()) as { request: typeof example & { schemaVersion: number; contract: Record<string, unknown> } };
    expect(request.schemaVersion).toBe(2);
    expect(request.contract).toMatchObject({ form: 'framework-agreement', frameworkType: 'purchase-orders-single', durationMonths: 12, renewals: { count: 3, months: 12, kind: 'express' } });
    expect(request.sites.map((s) => [s.name, s.uai, s.pupils, s.teachers])).toEqual(example.sites.map((s) => [s.name, s.uai, s.pupils, s.teachers]));
    const bySiteName = (lines: Line[], sites: Array<{ id: string; name: string }>) =>
      lines.map((l) => ({
        itemId: l.itemId,
        designation: l.designation,
        sites: l.sites ? Object.fromEntries(Object.entries(l.sites).map(([id, q]) => [sites.find((s) => s.id === id)!.name, q])) : undefined,
        quantityFrom: l.quantityFrom,
        estimated: l.estimated,
        unitPrice: l.unitPrice,
      }));
    for (const [l, lot] of example.lots.entries()) {
      const stored = request.lots[l]!;
      expect(stored.title).toBe(lot.title);
      expect(bySiteName(stored.items, request.sites)).toEqual(bySiteName(lot.items, example.sites));
      expect(stored.awardCriteria.map((a) => [a.name, a.weight, (a.subCriteria ?? []).map((s) => [s.name, s.weight])])).toEqual(
        lot.awardCriteria.map((a) => [a.name, a.weight, (a.subCriteria ?? []).map((s) => [s.name, s.weight])]),
      );
      expect([stored.maximumAmount, stored.maximumQuantity, stored.spareSlots]).toEqual([lot.maximumAmount, lot.maximumQuantity, lot.spareSlots]);
      expect((stored.options ?? []).map((o) => [o.label, bySiteName(o.lines, request.sites)])).toEqual((lot.options ?? []).map((o) => [o.label, bySiteName(o.lines, example.sites)]));
    }
    // What the buyer chose on step 5, and only that: the other criteria and lots keep the defaults by saying nothing.
    const lots = request.lots as unknown as Array<{ tieBreak?: string; awardCriteria: Array<{ theme: string; priceScoring?: string }> }>;
    expect(lots.map((l) => l.awardCriteria.map((a) => a.priceScoring ?? null))).toEqual(example.lots.map((l, i) => l.awardCriteria.map((a) => (i === 0 && a.theme === 'price' ? 'linear' : null))));
    expect(lots.map((l) => l.tieBreak ?? null)).toEqual([null, 'best-technical', null]);
    expect(request.lots[1]!.visit).toEqual({ kind: 'optional', dates: [], booking: example.lots[1]!.visit!.booking, sites: [siteId('college-01'), siteId('college-05')] });
  });
});
