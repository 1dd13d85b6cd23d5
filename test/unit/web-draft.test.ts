/**
 * The wizard's draft (web/src/draft.ts) against the API's own schema: every example, opened as a
 * draft (« Dupliquer »), gives back a request the API accepts and that resolves to the same lines,
 * quantities and prices; a draft saved by the version 1 wizard opens upgraded, losing nothing
 * typed; a table pasted from a spreadsheet becomes establishments.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NewTenderRequestSchema, type AnyTenderRequest } from '../../src/core/model/tender-request-v2.ts';
import { resolveTender, type CatalogueSnapshot } from '../../src/core/model/resolve-tender.ts';
import { realDeps } from '../support/pipeline.ts';
import { estimateValue } from '../../src/core/rules/estimated-value.ts';
import { copyFirstLotAward, emptyLot, fromRequest, newDraft, toRequest, upgradeDraft } from '../../web/src/draft.ts';
import { lotQuantities, moveLine, scaledQuantities } from '../../web/src/lot-lines.ts';
import { lotMetric } from '../../src/core/model/requirement-text.ts';
import { parseSiteTable } from '../../web/src/site-table.ts';

const examples = readdirSync(new URL('../../examples/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((name) => ({ name, request: NewTenderRequestSchema.parse(JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'))) as AnyTenderRequest }));

const { catalogue } = await realDeps();
const snapshots = new Map<string, CatalogueSnapshot>();
for (const { request } of examples) {
  const key = `${request.framework.id}@${request.framework.version}`;
  if (!snapshots.has(key)) snapshots.set(key, await catalogue.snapshot(request.framework.id, request.framework.version));
}
const resolve = (request: AnyTenderRequest) => resolveTender(request, snapshots.get(`${request.framework.id}@${request.framework.version}`)!);
const linesOf = (request: AnyTenderRequest) =>
  resolve(request).lots.map((lot) => ({
    title: lot.title,
    lines: lot.lines.map((l) => ({ label: l.item.label, quantity: l.quantity, price: l.estimatedUnitPrice, vat: l.vatRate, tranche: l.tranche, sites: l.sites.map((s) => [s.site.id, s.quantity]) })),
    options: lot.options.map((o) => ({ label: o.label, lines: o.lines.map((l) => [l.item.label, l.quantity, l.estimatedUnitPrice]) })),
    award: lot.awardCriteria,
    limits: lot.limits,
    visit: lot.visit,
    variants: lot.variants,
  }));

describe('wizard draft', () => {
  it.each(examples.filter((e) => e.request.schemaVersion === 2))('gives back $name unchanged once opened as a draft', ({ request }) => {
    // A lot without variants of its own has the file's: the draft writes them on the lot; « no visit » is said by saying none.
    const expected = {
      ...request,
      lots: request.lots.map((lot) => {
        const { visit, ...rest } = lot as typeof lot & { visit?: { kind: string } };
        return { ...rest, ...(visit && visit.kind !== 'none' ? { visit } : {}), variants: ('variants' in lot && lot.variants) || request.variants };
      }),
    };
    expect(NewTenderRequestSchema.parse(toRequest(fromRequest(request)))).toEqual(expected);
  });

  it.each(examples.filter((e) => e.request.schemaVersion !== 2))('turns the v1 example $name into a v2 request with the same lines, prices, criteria and estimate', ({ request }) => {
    const again = NewTenderRequestSchema.parse(toRequest(fromRequest(request)));
    expect(again.schemaVersion).toBe(2);
    expect(linesOf(again)).toEqual(linesOf(request));
    expect(estimateValue(resolve(again)).total).toBe(estimateValue(resolve(request)).total);
  });

  it.each(examples.filter((e) => e.request.schemaVersion !== 2))('keeps the RC’s procedural choices of $name (questions deadline, validity, profile, lots per bidder, negotiation)', ({ request }) => {
    const again = NewTenderRequestSchema.parse(toRequest(fromRequest(request)));
    const choices = (r: AnyTenderRequest) => {
      const { offerDeadline, questionsDeadline, offerValidityDays, buyerProfileUrl, maxLotsPerBidder, negotiation } = r;
      return { offerDeadline, questionsDeadline, offerValidityDays, buyerProfileUrl, maxLotsPerBidder, negotiation };
    };
    expect(Object.values(choices(request)).filter((v) => v !== undefined).length).toBeGreaterThan(2);
    expect(choices(again)).toEqual(choices(request));
  });

  it('works out computed quantities the way the API does (licences per device, training hours per teacher)', () => {
    const request = examples.find((e) => e.name.startsWith('departement-colleges'))!.request;
    const draft = fromRequest(request);
    const resolved = resolve(request);
    draft.lots.forEach((lot, i) => {
      const mine = lotQuantities(lot, draft.sites, []).lines.map((l) => l.quantity);
      expect(mine, `lot ${i + 1}`).toEqual(resolved.lots[i]!.lines.map((l) => l.quantity));
    });
  });

  it.each(examples.filter((e) => e.request.schemaVersion === 2))('shows the cart slots of $name as the API sizes them, on the establishment that needs the most', ({ request }) => {
    const draft = fromRequest(request);
    const resolved = resolve(request);
    resolved.lots.forEach((lot, i) => {
      const slots = lot.requirements.find((r) => r.criterion?.lotScale);
      if (!slots) return;
      const mine = scaledQuantities(slots.criterion!.lotScale!, draft, [], i);
      expect(lotMetric(slots.criterion!, mine.quantities, draft.lots[i]!.spareSlots ?? 0, mine.perSite), `lot ${i + 1}`).toEqual(slots.referenceMetric);
    });
  });

  it('moves a packaged offer’s cart and Wi-Fi to a lot of their own, with the buyer’s change to the cart, and counts the slots as the API does', () => {
    const request = examples.find((e) => e.name.startsWith('commune-tranches'))!.request;
    const draft = fromRequest(request);
    draft.lots.push({ ...emptyLot(), title: 'Chariots et Wi-Fi', award: draft.lots[0]!.award, spareSlots: 2 });
    draft.lots[0]!.overrides['cart.security'] = { level: 'assessed', justification: 'Salle fermée à clé.' };
    const before = draft.lots[0]!.lines.length;
    for (let i = draft.lots[0]!.lines.length - 1; i >= 0; i--) {
      if (['charging-cart', 'wifi-access-point'].includes(draft.lots[0]!.lines[i]!.itemId)) moveLine(draft, [], 0, i, 1);
    }

    expect(draft.lots.map((l) => l.lines.length)).toEqual([before - 4, 4]);
    expect(draft.lots[1]!.lines.map((l) => [l.itemId, l.sites, l.unitPrice, l.tranche])).toEqual([
      ['wifi-access-point', { bourg: 1 }, 380, 'tranche-optionnelle-1'],
      ['charging-cart', { bourg: 1 }, 1450, 'tranche-optionnelle-1'],
      ['wifi-access-point', { combes: 1 }, 380, ''],
      ['charging-cart', { combes: 1 }, 1450, ''],
    ]);
    expect([draft.lots[0]!.overrides['cart.security'], draft.lots[1]!.overrides['cart.security']?.level]).toEqual([undefined, 'assessed']);

    const resolved = resolve(NewTenderRequestSchema.parse(toRequest(draft)) as AnyTenderRequest);
    const slots = resolved.lots[1]!.requirements.find((r) => r.id === 'cart.slots')!;
    const mine = scaledQuantities(slots.criterion!.lotScale!, draft, [], 1);
    expect(mine.lots).toEqual([1]);
    expect(lotMetric(slots.criterion!, mine.quantities, 2, mine.perSite)).toEqual(slots.metric);
    expect(slots.metric).toMatchObject({ value: 18 });
    expect(resolved.lots[0]!.requirements.some((r) => r.id === 'cart.slots')).toBe(false);
  });

  it('opens a draft saved by the version 1 wizard, upgraded, and sends what was typed', () => {
    const v1 = {
      format: 1 as const,
      buyer: { name: 'Commune de Saint-Aubin', type: 'municipality' as const, address: '' },
      title: 'Classe mobile',
      reference: '',
      framework: { ...examples[0]!.request.framework },
      procedure: 'adapted' as const,
      contract: { form: 'ordinary' as const, durationMonths: 12, maximumAmount: undefined },
      consultationDate: '2026-12-01',
      context: '',
      allotmentJustification: 'Un seul lieu et un seul besoin.',
      lots: [
        {
          title: 'Tablettes',
          offerId: 'classe-mobile-16',
          offerCount: 1,
          items: [{ itemId: 'teacher-training', quantity: 6 }],
          prices: { tablet: 360, 'teacher-training': 90 },
          overrides: {},
          custom: [],
          deliverySites: 'École, 1 rue de l’École',
        },
      ],
      award: [
        { name: 'Prix', type: 'price' as const, theme: 'price' as const, weight: 60, subCriteria: [] },
        { name: 'Valeur technique', type: 'quality' as const, theme: 'technical' as const, weight: 40, subCriteria: [] },
      ],
      variants: { allowed: false, minimumRequirements: '' },
      options: [],
    };
    const request = NewTenderRequestSchema.parse(toRequest(upgradeDraft(v1)));
    expect(request.schemaVersion).toBe(2);
    const lot = resolve(request).lots[0]!;
    expect(lot.offer?.offer.id).toBe('classe-mobile-16');
    expect(lot.lines.find((l) => l.item.id === 'tablet')?.estimatedUnitPrice).toBe(360);
    expect(lot.lines.find((l) => l.item.id === 'teacher-training')).toMatchObject({ quantity: 6, estimatedUnitPrice: 90 });
    expect(lot.awardCriteria.map((a) => [a.name, a.weight])).toEqual([
      ['Prix', 60],
      ['Valeur technique', 40],
    ]);
    expect(lot.deliverySites).toEqual(['École, 1 rue de l’École']);
  });

  it('sends an empty draft as a v2 request the API refuses field by field, not as a malformed body', () => {
    const result = NewTenderRequestSchema.safeParse(toRequest({ ...newDraft(), framework: { ...examples[0]!.request.framework } }));
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('buyer.name');
    expect(paths).toContain('lots.0.title');
    expect(paths.every((p) => !p.startsWith('schemaVersion'))).toBe(true);
  });
});

describe('price scoring and tie-break chosen in the wizard', () => {
  const colleges = examples.find((e) => e.name === 'departement-colleges-trois-lots-v2.json')!.request;

  it('says nothing of them when the buyer leaves the defaults: drafts and requests stay as they were', () => {
    for (const { request } of examples) {
      const draft = fromRequest(request);
      expect(JSON.stringify(draft)).not.toMatch(/priceScoring|tieBreak/);
      expect(JSON.stringify(toRequest(draft))).not.toMatch(/priceScoring|tieBreak/);
    }
    expect(JSON.stringify(toRequest(newDraft()))).not.toMatch(/priceScoring|tieBreak/);
  });

  it('sends a linear price on lot 1 and the best technical score on lot 2, which the API accepts and resolves, and opens them again', () => {
    const draft = fromRequest(colleges);
    const price = draft.lots[0]!.award.findIndex((a) => a.type === 'price');
    expect(price).toBeGreaterThanOrEqual(0);
    draft.lots[0]!.award[price]!.priceScoring = 'linear';
    draft.lots[1]!.tieBreak = 'best-technical';
    const request = NewTenderRequestSchema.parse(toRequest(draft)) as AnyTenderRequest;
    const lots = request.lots as Array<{ tieBreak?: string; awardCriteria: Array<{ priceScoring?: string }> }>;
    expect(lots.map((l) => l.awardCriteria.map((a) => a.priceScoring ?? null))).toEqual(
      draft.lots.map((lot, l) => lot.award.map((_, i) => (l === 0 && i === price ? 'linear' : null))),
    );
    expect(lots.map((l) => l.tieBreak ?? null)).toEqual([null, 'best-technical', null]);
    expect(resolve(request).lots.map((l) => l.tieBreak ?? null)).toEqual([null, 'best-technical', null]);
    expect(toRequest(fromRequest(request))).toEqual(toRequest(draft));
  });

  it('does not send a method chosen for a criterion the buyer then turned into a quality one', () => {
    const draft = fromRequest(colleges);
    const price = draft.lots[0]!.award.findIndex((a) => a.type === 'price');
    draft.lots[0]!.award[price]!.priceScoring = 'linear';
    draft.lots[0]!.award[price]!.type = 'quality';
    const request = toRequest(draft);
    expect(JSON.stringify(request)).not.toMatch(/priceScoring/);
    expect(NewTenderRequestSchema.safeParse(request).success).toBe(true);
  });

  it('« Reprendre les critères du lot 1 » copies lot 1’s criteria, their price scoring and its tie-break, and clears a tie-break lot 1 does not have', () => {
    const draft = fromRequest(colleges);
    const price = draft.lots[0]!.award.findIndex((a) => a.type === 'price');
    draft.lots[0]!.award[price]!.priceScoring = 'linear';
    draft.lots[0]!.tieBreak = 'best-technical';
    draft.lots[1]!.award = [];
    draft.lots[2]!.tieBreak = 'lowest-price';

    copyFirstLotAward(draft, 1);
    copyFirstLotAward(draft, 2);
    const request = NewTenderRequestSchema.parse(toRequest(draft)) as AnyTenderRequest;

    expect(draft.lots[1]!.award).toEqual(draft.lots[0]!.award);
    expect(draft.lots[1]!.award).not.toBe(draft.lots[0]!.award);
    expect(resolve(request).lots.map((l) => l.tieBreak ?? null)).toEqual(['best-technical', 'best-technical', 'best-technical']);
    delete draft.lots[0]!.tieBreak;
    copyFirstLotAward(draft, 2);
    expect(draft.lots[2]!.tieBreak).toBeUndefined();
    expect(draft.lots.map((l) => l.award[price]?.priceScoring ?? null)).toEqual(['linear', 'linear', 'linear']);
  });

  it('opens a stored request’s file-wide tie-break on every lot that has none of its own, so the RC says the same', () => {
    const stored = { ...colleges, tieBreak: 'lowest-price', lots: colleges.lots.map((lot, l) => (l === 2 ? { ...lot, tieBreak: 'best-technical' } : lot)) } as AnyTenderRequest;
    const again = NewTenderRequestSchema.parse(toRequest(fromRequest(stored))) as AnyTenderRequest;
    expect(resolve(again).lots.map((l) => l.tieBreak)).toEqual(resolve(stored).lots.map((l) => l.tieBreak));
    expect(resolve(again).lots.map((l) => l.tieBreak)).toEqual(['lowest-price', 'lowest-price', 'best-technical']);
  });
});

describe('establishments pasted from a spreadsheet', () => {
  it('reads a header row in any column order, French numbers, and lower-case UAI codes', () => {
    const { sites, problems } = parseSiteTable('UAI\tNom\tÉlèves\tEnseignants\r\n0050001a\tCollège Jean-Moulin\t1 250\t20\n0050004B\tCollège Les Écrins\t287\t23\n');
    expect(problems).toEqual([]);
    expect(sites).toEqual([
      { name: 'Collège Jean-Moulin', address: '', uai: '0050001A', pupils: 1250, teachers: 20, deliveryPeriods: '' },
      { name: 'Collège Les Écrins', address: '', uai: '0050004B', pupils: 287, teachers: 23, deliveryPeriods: '' },
    ]);
  });

  it('reads rows without a header in the documented order and reports bad rows by number', () => {
    const { sites, problems } = parseSiteTable('Lycée A\t1 rue A\t0050001A\t800\t60\tLe matin\nLycée B\t2 rue B\t005001\t700\t50\n\t3 rue C\n');
    expect(sites.map((s) => [s.name, s.deliveryPeriods])).toEqual([['Lycée A', 'Le matin']]);
    expect(problems).toEqual([
      { row: 2, message: 'code UAI « 005001 » invalide (7 chiffres puis une lettre)' },
      { row: 3, message: 'nom manquant' },
    ]);
  });
});
