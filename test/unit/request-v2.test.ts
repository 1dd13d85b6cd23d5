/**
 * Request schema version 2 (issue #14): what it accepts and refuses with the field's path, how a
 * version 1 request upgrades to it, the quantities it computes, its estimate and the rules that
 * read it. The catalogue and the examples are the repository's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { TenderRequestV2Schema } from '#src/core/model/tender-request-v2.ts';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';
import { upgradeRequest } from '#src/core/model/upgrade-request.ts';
import { REQUEST_EXAMPLES } from '#src/core/model/request-examples.ts';
import { openApiDocument } from '#src/adapters/http/openapi.ts';
import { estimateValue } from '#src/core/rules/estimated-value.ts';
import { EXAMPLES, evaluateFrom, example, realDeps, v2Example } from '../support/pipeline.ts';

const v2 = v2Example;

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

async function issuesOf(input: unknown): Promise<Array<{ path: string; message: string }>> {
  const error = await evaluateFrom(input, deps.catalogue).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return [...(error as ValidationError).issues];
}

describe('request schema v2', () => {
  it.each(Object.keys(EXAMPLES) as Array<keyof typeof EXAMPLES>)('upgrades the v1 example %s to a valid v2 request that keeps its lots, criteria and renewals', (name) => {
    const v1 = TenderRequestSchema.parse({ ...example(name), renewals: 2 });

    const upgraded = upgradeRequest(v1);

    expect(TenderRequestV2Schema.parse(upgraded)).toEqual(upgraded);
    expect(upgraded.contract.renewals).toEqual({ count: 2 });
    expect(upgraded.awardCriteria).toEqual(v1.awardCriteria);
    expect(upgraded.lots.map((l) => l.items.map((i) => [i.itemId, i.quantity]))).toEqual(v1.lots.map((l) => l.items.map((i) => [i.itemId, i.quantity])));
  });

  it.each([
    ['an unknown site in a line', (r: any) => { r.lots[0].items[0].sites = { nowhere: 3 }; }, 'lots.0.items.0.sites.nowhere', /unknown site/],
    ['a line in an unknown tranche', (r: any) => { r.lots[0].items[6].tranche = 'tranche-2'; }, 'lots.0.items.6.tranche', /unknown optional tranche/],
    ['a buyer line without its unit', (r: any) => { r.lots[0].options[0].lines[0].unit = undefined; }, 'lots.0.options.0.lines.0.unit', /states its unit/],
    ['two quantities on one line', (r: any) => { r.lots[0].items[0].quantity = 16; }, 'lots.0.items.0.quantity', /one quantity/],
    ['a revisable price without its index', (r: any) => { r.contract.price = { form: 'unit', type: 'revisable' }; }, 'contract.price.index', /index/],
    ['a mandatory visit without dates nor booking', (r: any) => { r.lots[0].visit = { kind: 'mandatory' }; }, 'lots.0.visit.booking', /dates or how to book/],
    ['a malformed UAI code', (r: any) => { r.sites[0].uai = '26-0456'; }, 'sites.0.uai', /UAI/],
    ['an option estimated twice', (r: any) => { r.lots[0].options[0].estimatedAmount = 100; }, 'lots.0.options.0.estimatedAmount', /not both/],
  ])('refuses %s with its field path', async (_what, patch, path, message) => {
    const input = v2('commune');
    patch(input);
    const issues = await issuesOf(input);
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('computes dependent quantities: licences follow the tablets, training hours the teachers, cart slots the tablets plus the spare margin', async () => {
    const input = v2('departement');
    const { tender } = await evaluateFrom(input, deps.catalogue);
    const [tablets, displays, training] = tender.lots;
    const quantity = (lot: typeof tablets, itemId: string) => lot!.lines.filter((l) => l.item.id === itemId).reduce((n, l) => n + l.quantity, 0);
    const tabletCount = Object.values(input.lots[0].items[0].sites as Record<string, number>).reduce((a, b) => a + b, 0);
    const teachers = (input.sites as Array<{ teachers: number }>).reduce((n, s) => n + s.teachers, 0);

    expect(quantity(tablets, 'tablet')).toBe(tabletCount);
    expect(quantity(tablets, 'mdm-licence')).toBe(tabletCount);
    expect(tablets!.options[0]!.lines[0]!.quantity).toBe(tabletCount);
    expect(quantity(training, 'teacher-training')).toBe(teachers * 3);
    const slots = tablets!.requirements.find((r) => r.criterion?.lotScale);
    // One cart per collège: the collège with the most tablets sets the slots, plus the 2 spare ones.
    const perSite = Object.keys(input.lots[0].items[0].sites).map((id) => Math.ceil(input.lots[0].items[0].sites[id] / input.lots[0].items[1].sites[id]));
    expect(slots?.metric).toMatchObject({ type: 'numeric', value: Math.max(...perSite) + 2 });
    expect(Math.max(...perSite)).toBeGreaterThan(Math.ceil(tabletCount / quantity(tablets, 'charging-cart')));
    expect(displays!.lines[0]!.sites.map((s) => s.site.id)).toEqual(input.sites.map((s: { id: string }) => s.id));
  });

  /** The commune's file with its carts and Wi-Fi moved from lot 1 (with the tablets) to a lot 2 of their own. */
  function splitCommune(): Record<string, any> {
    const input = v2('commune');
    const [first] = input.lots;
    const moved = (line: { itemId?: string }) => line.itemId === 'charging-cart' || line.itemId === 'wifi-access-point';
    input.lots = [
      { ...first, items: first.items.filter((l: { itemId?: string }) => !moved(l)) },
      { title: 'Chariots de rechargement et points d’accès Wi-Fi', items: first.items.filter(moved), awardCriteria: first.awardCriteria, spareSlots: 1 },
    ];
    delete input.allotmentJustification;
    return input;
  }
  const slotsOf = (lot: { requirements: Array<{ id: string; metric: unknown }> } | undefined) => lot?.requirements.find((r) => r.id === 'cart.slots')?.metric;

  it('counts a cart’s slots on the tablets of another lot when a packaged offer is split across lots, site by site', async () => {
    const { tender } = await evaluateFrom(splitCommune(), deps.catalogue);
    const [tablets, carts] = tender.lots;

    // 16 tablets at each school (the Bourg's in the optional tranche), one cart each, plus 1 spare.
    expect(slotsOf(carts)).toMatchObject({ type: 'numeric', value: 17, unit: 'emplacements' });
    expect(carts!.requirements.find((r) => r.id === 'cart.slots')!.requirement).toMatch(/17\u00a0emplacements/);
    expect(slotsOf(tablets)).toBeUndefined();
  });

  it('keeps a lot’s tablets to its own carts, and shares the other lots’ tablets among the carts bought without tablets', async () => {
    const input = splitCommune();
    // Lot 1: 16 tablets and their cart; lot 2: 2 carts alone; lot 3: 40 tablets alone.
    input.lots[0].items.push({ itemId: 'charging-cart', quantity: 1, unitPrice: 1450 });
    input.lots[1].items = [{ itemId: 'charging-cart', quantity: 2, unitPrice: 1450 }];
    input.lots.push({ title: 'Tablettes du collège', items: [{ itemId: 'tablet', quantity: 40, unitPrice: 360 }], awardCriteria: input.lots[0].awardCriteria });
    const { tender } = await evaluateFrom(input, deps.catalogue);

    expect(tender.lots.map(slotsOf)).toEqual([
      expect.objectContaining({ value: 32 }), // 32 tablets of lot 1 (both schools, one line each) for its one cart
      expect.objectContaining({ value: 21 }), // 40 tablets of lot 3 over 2 carts, plus 1 spare
      undefined,
    ]);
  });

  it('leaves a version 1 lot of carts alone with the framework’s threshold, as stored tenders have it', async () => {
    const input = example('commune');
    const [lot] = input.lots;
    input.lots = [
      { title: 'Tablettes', items: [{ itemId: 'tablet', quantity: 30 }] },
      { title: 'Chariot', items: [{ itemId: 'charging-cart', quantity: 1 }] },
    ];
    delete lot.offer;
    const { tender } = await evaluateFrom(input, deps.catalogue);

    expect(slotsOf(tender.lots[1])).toMatchObject({ value: 12 });
  });

  it('refuses a computed quantity with nothing to count', async () => {
    const input = v2('departement');
    input.sites.forEach((s: { teachers?: number }) => delete s.teachers);
    expect(await issuesOf(input)).toContainEqual({ path: 'lots.2.items.0.quantityFrom', message: expect.stringMatching(/teachers/) });
  });

  it('estimates each lot with its optional tranches, priced options and renewals, excl. and incl. VAT', async () => {
    const { tender } = await evaluateFrom(v2('commune'), deps.catalogue);

    const estimate = estimateValue(tender);

    const firm = 16 * 360 + 1450 + 380 + 16 * 45 + 650 + 6 * 95;
    const tranche = 16 * 360 + 1450 + 380 + 16 * 45 + 650;
    const option = 32 * 40;
    expect(estimate.lots[0]).toMatchObject({ firm, tranches: tranche, options: option, renewalFactor: 1, value: firm + tranche + option, complete: true });
    expect(estimate.total).toBe(firm + tranche + option);
    expect(estimate.totalTtc).toBeCloseTo((firm + tranche + option) * 1.2, 2);
  });

  it('counts renewals as a share of the initial duration', async () => {
    const input = v2('commune');
    input.contract.renewals = { count: 2, months: 12, kind: 'tacit' };
    const { tender } = await evaluateFrom(input, deps.catalogue);
    expect(estimateValue(tender).lots[0]!.renewalFactor).toBe(2);
  });
});

describe('rules on v2 requests', () => {
  const codes = async (input: unknown) => (await evaluateFrom(input, deps.catalogue)).rules.findings.map((f) => [f.code, f.severity, f.lot ?? null, f.path ?? null]);

  it('checks each lot’s own weights and sub-criteria, naming the lot', async () => {
    const input = v2('departement');
    input.lots[1].awardCriteria[0].weight = 50;
    input.lots[2].awardCriteria[1].subCriteria[0].weight = 30;

    const found = await codes(input);

    expect(found).toContainEqual(['AWARD_WEIGHTS_SUM', 'error', 2, 'lots.1.awardCriteria']);
    expect(found).toContainEqual(['AWARD_SUBCRITERIA_SUM', 'warning', 3, 'lots.2.awardCriteria.1.subCriteria']);
    expect(found.filter(([code]) => String(code).startsWith('AWARD_'))).toHaveLength(2);
  });

  it('requires a maximum for each lot of a framework agreement (décret 2021-1111), in value or quantity', async () => {
    const input = v2('departement');
    delete input.lots[1].maximumAmount;
    input.contract.maximumAmount = 2_000_000;

    const found = await codes(input);

    expect(found.filter(([code]) => code === 'FRAMEWORK_AGREEMENT_MAXIMUM_MISSING')).toEqual([['FRAMEWORK_AGREEMENT_MAXIMUM_MISSING', 'error', 2, 'lots.1.maximumAmount']]);
  });

  it('counts renewals in the four-year limit of a framework agreement', async () => {
    const input = v2('departement');
    input.contract.renewals.count = 4;
    expect(await codes(input)).toContainEqual(['FRAMEWORK_AGREEMENT_TOO_LONG', 'error', null, 'contract.durationMonths']);
  });

  it('finds a brand without « ou équivalent » in a lot option', async () => {
    const input = v2('commune');
    input.lots[0].options[0].description = 'Extension de la garantie Apple à cinq ans.';
    expect(await codes(input)).toContainEqual(['BRAND_WITHOUT_EQUIVALENT', 'error', 1, 'lots.0.options.0.description']);
  });

  it('feeds the threshold tier with each lot’s estimate, options and renewals included', async () => {
    const { tender, rules } = await evaluateFrom(v2('departement'), deps.catalogue);
    const estimate = estimateValue(tender);
    expect(estimate.lots.map((l) => [l.basis, l.value])).toEqual([
      ['lot-maximum', 900_000],
      ['lot-maximum', 700_000],
      ['lines', estimate.lots[2]!.perPeriod * 4],
    ]);
    expect(rules.findings.find((f) => f.code === 'PROCEDURE_TIER')?.comparison).toContain('maxima des lots');
  });
});

describe('the OpenAPI examples of a tender request', () => {
  it.each(['v1', 'v2'] as const)('%s validates and resolves against the catalogue', async (version) => {
    const { tender } = await evaluateFrom(REQUEST_EXAMPLES[version], deps.catalogue);
    expect(tender.lots.length).toBeGreaterThan(0);
    expect((openApiDocument() as any).paths['/tenders']?.post?.requestBody?.content['application/json']?.examples?.[version]?.value).toEqual(REQUEST_EXAMPLES[version]);
  });
});
