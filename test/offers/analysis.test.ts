import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { bidTemplates, readBid } from '#src/adapters/offers/read-bid.ts';
import type { Bid } from '#src/core/offers/bid.ts';
import { analyseOffers, lotEstimate, type OffersAnalysis } from '#src/core/offers/analysis.ts';
import { MarksFileSchema } from '#src/core/offers/scoring.ts';
import { evaluatedExample, sharedDeps } from '../exports/support/models.ts';
import { evaluateFrom, v2Example } from '../support/pipeline.ts';
import { buildBid, SIRETS } from './support/bids.ts';
import { checkLotBid } from '#src/core/offers/conformity.ts';
import { GRADES_GIVEN, PRICE_FACTORS, scenarioBids, scenarioMarks, unitPriceOf } from './support/scenario.ts';

const SHARE = { 'very-satisfactory': 1, satisfactory: 0.75, average: 0.5, insufficient: 0.25, absent: 0 } as const;

describe('analysing the offers of lot 1 of examples/departement', () => {
  let tender: ResolvedTender;
  let bids: Bid[];
  let analysis: OffersAnalysis;

  beforeAll(async () => {
    ({ tender } = await evaluatedExample('departement'));
    const templates = await bidTemplates(tender);
    bids = (await scenarioBids(tender)).map((files) => readBid(tender, templates, files));
    analysis = analyseOffers(tender, bids, scenarioMarks(tender));
  }, 60_000);

  const offer = (id: string) => analysis.lots[0]!.offers.find((o) => o.bidder.id === id)!;
  /** What a buyer computes by hand: Σ quantity × unit price, each line rounded to the cent. */
  const amountOf = (id: keyof typeof PRICE_FACTORS) =>
    Math.round(tender.lots[0]!.lines.reduce((n, line, i) => n + Math.round(line.quantity * unitPriceOf(tender, id, i) * 100) / 100, 0) * 100) / 100;

  it('classifies each offer as expected, with the reason', () => {
    expect(Object.fromEntries(analysis.lots[0]!.offers.map((o) => [o.bidder.id, o.conformity.status]))).toEqual({
      alpha: 'conforming',
      bravo: 'irregular',
      charlie: 'conforming',
      delta: 'conforming',
      echo: 'irregular',
      foxtrot: 'regularisable',
    });
    expect(offer('bravo').conformity.issues).toEqual([expect.objectContaining({ kind: 'declared-non-conform', regularisable: false })]);
    expect(offer('echo').conformity.issues.map((i) => i.kind)).toContain('template-altered');
    expect(offer('echo').conformity.issues.some((i) => i.reason.includes('≥ 1 Go'))).toBe(true);
    expect(offer('foxtrot').conformity.issues).toEqual([expect.objectContaining({ kind: 'missing-answer', regularisable: true })]);
  });

  it('rectifies the DQE arithmetic error: the unit price prevails', () => {
    const { rectified, amount, declaredTotal } = offer('charlie').conformity;
    expect(rectified).toHaveLength(1);
    expect(rectified[0]!.declared - rectified[0]!.rectified).toBeCloseTo(1000, 2);
    expect(amount).toBeCloseTo(amountOf('charlie'), 2);
    expect(declaredTotal! - amount).toBeCloseTo(1000, 2);
    // Its spreadsheet computed the VAT and the total incl. VAT on the wrong amount: both are rectified, the lines' VAT at 20 %.
    const totals = offer('charlie').conformity.rectifiedTotals!;
    expect(totals.map((r) => r.label)).toEqual(['TVA 20 %', 'Total TTC']);
    expect(totals[0]!.declared - totals[0]!.rectified).toBeCloseTo(200, 2);
    expect(totals[1]!.rectified).toBeCloseTo(amount + totals[0]!.rectified, 2);
    expect(offer('alpha').conformity.rectifiedTotals).toBeUndefined();
  });

  it('flags the abnormally low offer without rejecting it, and lists the prices to explain', () => {
    const low = offer('delta').abnormallyLow!;
    expect(low.belowEstimate).toBeCloseTo(0.5, 2);
    expect(low.lines.length).toBe(tender.lots[0]!.lines.length);
    expect(offer('delta').score).toBeDefined();
    expect(offer('alpha').abnormallyLow).toBeUndefined();
    expect(offer('charlie').abnormallyLow).toBeUndefined();
  });

  it('scores and ranks the conforming offers as an independent computation does', () => {
    const criteria = tender.lots[0]!.awardCriteria;
    const expected = (['alpha', 'charlie', 'delta'] as const).map((id) => {
      const amounts = { alpha: amountOf('alpha'), charlie: amountOf('charlie'), delta: amountOf('delta') };
      const lowest = Math.min(...Object.values(amounts));
      const total = criteria.reduce((n, c) => n + (c.type === 'price' ? (c.weight * lowest) / amounts[id] : c.weight * SHARE[GRADES_GIVEN[id]]), 0);
      return { id, total: Math.round(total * 100) / 100 };
    });
    expected.sort((a, b) => b.total - a.total);
    expect(analysis.lots[0]!.ranking.map((s) => [s.bid, s.printed, s.rank])).toEqual(expected.map((e, i) => [e.id, e.total, i + 1]));
    expect(analysis.lots[0]!.proposed?.id).toBe(expected[0]!.id);
    const price = analysis.lots[0]!.ranking[0]!.criteria[0]!;
    expect(price.basis).toEqual({ kind: 'price', method: 'lowest-over-price', lowest: amountOf('delta'), amount: analysis.lots[0]!.ranking[0]!.amount });
  });

  it('refuses a mark without justification with its field path, and asks for every missing mark', () => {
    const marks = scenarioMarks(tender);
    const raw = JSON.parse(JSON.stringify(marks));
    delete raw.marks[2].justification;
    const parsed = MarksFileSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['marks.2.justification']);
    const short = MarksFileSchema.safeParse({ marks: [{ ...marks.marks[0], justification: 'bien' }] });
    expect(short.error!.issues[0]!.path).toEqual(['marks', 0, 'justification']);
    const missing = () => analyseOffers(tender, bids, { ...marks, marks: marks.marks.slice(1) });
    expect(missing).toThrow(ValidationError);
    expect(missing).toThrow(/missing mark: lot 1, offer "alpha", criterion 2.1/);
  });
});

describe('the estimate of a lot', () => {
  it('counts a lump-sum line once, as the price schedule does, and a unit-priced line by its quantity', () => {
    const lot = {
      lines: [
        { quantity: 3, estimatedUnitPrice: 1200, pricing: 'lump-sum' },
        { quantity: 2, estimatedUnitPrice: 10.5, pricing: 'unit' },
      ],
    } as unknown as ResolvedTender['lots'][number];
    expect(lotEstimate(lot)).toBe(1221);
    expect(lotEstimate({ lines: [{ quantity: 1, pricing: 'unit' }] } as unknown as ResolvedTender['lots'][number])).toBeUndefined();
  });
});

describe('a bid on lump-sum lines (examples/commune-tranches-garantie-v2)', () => {
  it('takes the amounts the schedule computes (a lump sum once) without rectifying them', async () => {
    // The installation, a lump sum, delivered to two sites: its line's quantity is 2, its price counted once.
    const request = v2Example('commune');
    for (const lot of request.lots) for (const line of lot.items ?? []) if (line.pricing === 'lump-sum' && line.sites) line.sites = Object.fromEntries(Object.keys(line.sites).map((site) => [site, 2]));
    const { tender } = await evaluateFrom(request, (await sharedDeps()).catalogue);
    const lot = tender.lots.find((l) => l.lines.some((line) => line.pricing === 'lump-sum' && line.quantity > 1))!;
    const price = (i: number) => Math.round(lot.lines[i]!.estimatedUnitPrice! * 0.9 * 100) / 100;
    const files = await buildBid(tender, { id: 'forfait', name: 'Forfait SA', siret: SIRETS[0], lots: { [lot.number]: { unitPrice: (_line, i) => price(i) } } });
    const bid = readBid(tender, await bidTemplates(tender), files);
    const conformity = checkLotBid(lot, bid.lots.find((l) => l.lot === lot.number)!);
    expect(conformity.rectified).toEqual([]);
    const expected = lot.lines.reduce((n, line, i) => n + (line.pricing === 'lump-sum' ? price(i) : Math.round(line.quantity * price(i) * 100) / 100), 0);
    expect(conformity.amount).toBeCloseTo(expected, 2);
  }, 60_000);
});
