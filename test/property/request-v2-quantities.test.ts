/**
 * Issue #14's property test: for random valid version 2 requests (sites with teachers, tablets
 * and carts split by site, licences and training hours computed, lines in an optional tranche,
 * a priced option, lump sums, VAT rates, renewals of any length), the computed quantities satisfy
 * their dependency and the estimate equals lines × quantities (options, tranches and renewals
 * included), both worked out here from the request as written. Splitting the offer, the carts in
 * a lot of their own, leaves their slots as they were.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { estimateValue } from '#src/core/rules/estimated-value.ts';
import { evaluateFrom, realDeps, v2Example } from '../support/pipeline.ts';

const ITEMS: Array<{ id: string; category: string }> = JSON.parse(readFileSync(new URL('../../catalogue/items.json', import.meta.url), 'utf8'));
const isDevice = (itemId: string) => ['tablet', 'laptop'].includes(ITEMS.find((i) => i.id === itemId)!.category);
const CART_REFERENCE_SLOTS = 12;

const siteArb = fc.record({ teachers: fc.integer({ min: 1, max: 60 }), tablets: fc.integer({ min: 0, max: 40 }), carts: fc.integer({ min: 0, max: 3 }) });
const price = fc.integer({ min: 1, max: 500_000 }).map((cents) => cents / 100);

const requestArb = fc.record({
  sites: fc.array(siteArb, { minLength: 1, maxLength: 6 }).filter((sites) => sites.some((s) => s.tablets > 0) && sites.some((s) => s.carts > 0)),
  laptops: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  perTeacher: fc.integer({ min: 1, max: 6 }),
  spareSlots: fc.integer({ min: 0, max: 4 }),
  prices: fc.record({ tablet: price, cart: price, laptop: price, licence: price, training: price, installation: price, option: price }),
  vat: fc.constantFrom(20, 10, 5.5),
  trancheLaptops: fc.boolean(),
  duration: fc.integer({ min: 6, max: 48 }),
  renewals: fc.option(fc.record({ count: fc.integer({ min: 1, max: 3 }), months: fc.integer({ min: 3, max: 24 }) }), { nil: undefined }),
});
type Drawn = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function requestOf(d: Drawn): Record<string, any> {
  const base = v2Example('commune');
  const perSite = (pick: (s: Drawn['sites'][number]) => number) => Object.fromEntries(d.sites.map((s, i) => [`site-${i + 1}`, pick(s)]));
  return {
    ...base,
    contract: {
      form: 'ordinary',
      durationMonths: d.duration,
      ...(d.renewals ? { renewals: { ...d.renewals, kind: 'express' } } : {}),
      tranches: base.contract.tranches,
    },
    sites: d.sites.map((s, i) => ({ id: `site-${i + 1}`, name: `École ${i + 1}`, teachers: s.teachers })),
    existingEquipment: [],
    lots: [
      {
        title: 'Classes mobiles',
        spareSlots: d.spareSlots,
        items: [
          { itemId: 'tablet', sites: perSite((s) => s.tablets), unitPrice: d.prices.tablet, vatRate: d.vat },
          { itemId: 'charging-cart', sites: perSite((s) => s.carts), unitPrice: d.prices.cart },
          ...(d.laptops === undefined ? [] : [{ itemId: 'teacher-laptop', quantity: d.laptops, unitPrice: d.prices.laptop, ...(d.trancheLaptops ? { tranche: 'tranche-optionnelle-1' } : {}) }]),
          { itemId: 'mdm-licence', quantityFrom: { rule: 'devices' }, unitPrice: d.prices.licence },
          { itemId: 'teacher-training', quantityFrom: { rule: 'teachers', perTeacher: d.perTeacher }, unitPrice: d.prices.training },
          { itemId: 'installation', quantity: 1, pricing: 'lump-sum', unitPrice: d.prices.installation },
        ],
        options: [{ label: 'Coques', description: 'Une coque par appareil.', lines: [{ designation: 'Coque', unit: 'unité', nature: 'supply', category: 'tablet', cpv: '30237000-9', quantityFrom: { rule: 'devices' }, unitPrice: d.prices.option }] }],
      },
    ],
  };
}

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

describe('random v2 requests', () => {
  it('compute licences from devices, hours from teachers, cart slots from each site’s fleet, and an estimate of lines × quantities × renewals', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (d) => {
        const input = requestOf(d);
        const { tender } = await evaluateFrom(input, deps.catalogue);
        const [lot] = tender.lots;
        const quantityOf = (itemId: string) => lot!.lines.filter((l) => l.item.id === itemId).reduce((n, l) => n + l.quantity, 0);

        const tablets = d.sites.reduce((n, s) => n + s.tablets, 0);
        const devices = tablets + (d.laptops !== undefined && isDevice('teacher-laptop') ? d.laptops : 0);
        const delivering = d.sites.filter((s) => s.tablets > 0 || s.carts > 0);
        const teachers = delivering.reduce((n, s) => n + s.teachers, 0);
        expect(quantityOf('tablet')).toBe(tablets);
        expect(quantityOf('mdm-licence')).toBe(devices);
        expect(quantityOf('teacher-training')).toBe(teachers * d.perTeacher);
        expect(lot!.options[0]!.lines[0]!.quantity).toBe(devices);

        const slots = lot!.requirements.find((r) => r.criterion?.lotScale)!.metric;
        const needed = Math.max(...d.sites.filter((s) => s.carts > 0).map((s) => Math.ceil(s.tablets / s.carts) + d.spareSlots));
        expect(slots).toMatchObject({ value: Math.max(CART_REFERENCE_SLOTS, needed) });
        // Every site's cart holds that site's tablets, spare slots included.
        for (const s of d.sites) if (s.carts > 0) expect((slots as { value: number }).value * s.carts).toBeGreaterThanOrEqual(s.tablets + d.spareSlots * s.carts);

        const p = d.prices;
        const lines =
          tablets * p.tablet + d.sites.reduce((n, s) => n + s.carts, 0) * p.cart + (d.laptops ?? 0) * p.laptop + devices * p.licence + teachers * d.perTeacher * p.training + p.installation;
        const options = devices * p.option;
        const factor = d.renewals ? 1 + (d.renewals.count * d.renewals.months) / d.duration : 1;
        const estimate = estimateValue(tender);
        expect(estimate.total).toBeCloseTo((lines + options) * factor, 1);
        expect(estimate.lots[0]!.tranches).toBeCloseTo(d.trancheLaptops ? (d.laptops ?? 0) * p.laptop : 0, 2);
      }),
      { numRuns: 40 },
    );
  });

  it('size the carts as before when a packaged offer is split, the carts in a lot of their own and the tablets left in lot 1', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (d) => {
        const whole = await evaluateFrom(requestOf(d), deps.catalogue);
        const input = requestOf(d);
        const [lot] = input.lots;
        const carts = lot.items.findIndex((l: { itemId?: string }) => l.itemId === 'charging-cart');
        input.lots.push({ title: 'Chariots de rechargement', spareSlots: lot.spareSlots, items: lot.items.splice(carts, 1) });
        delete lot.spareSlots;
        delete input.allotmentJustification;

        const { tender } = await evaluateFrom(input, deps.catalogue);

        const slotsOf = (l: (typeof tender.lots)[number] | undefined) => l?.requirements.find((r) => r.criterion?.lotScale)?.metric;
        expect(slotsOf(tender.lots[1])).toEqual(slotsOf(whole.tender.lots[0]));
        expect(slotsOf(tender.lots[0])).toBeUndefined();
      }),
      { numRuns: 25 },
    );
  });
});
