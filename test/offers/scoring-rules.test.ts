/**
 * The price formula and the tie-break as the RC states them (issue #17): the request chooses them,
 * the RC prints them, the scoring, the RAO and the summary follow them. Every score and rank is
 * checked against a computation written here from the RC's words, not from scoring.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRcContext, buildRcDocument } from '#src/core/documents/rc-document.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import type { OffersAnalysis } from '#src/core/offers/analysis.ts';
import { buildRaoDocument } from '#src/core/offers/rao.ts';
import { buildRejectionLetters } from '#src/core/offers/letters.ts';
import { basisText } from '#src/core/offers/report-blocks.ts';
import { GRADES, scoreLot, type Grade, type Mark, type OfferScore } from '#src/core/offers/scoring.ts';
import { evaluateFrom, example, v2Example } from '../support/pipeline.ts';
import { sharedDeps } from '../exports/support/models.ts';
import { SIRETS } from './support/bids.ts';

const PRICE_POINTS = 60;
const TECHNICAL_POINTS = 40;

/** The département example with two criteria: price (60) and technical value (40), the formula and tie-break given. */
function request(priceScoring?: string, tieBreak?: string): Record<string, any> {
  const r = example('departement');
  r.awardCriteria = [
    { name: 'Prix', type: 'price', theme: 'price', weight: PRICE_POINTS, ...(priceScoring ? { priceScoring } : {}) },
    { name: 'Valeur technique', type: 'quality', theme: 'technical', weight: TECHNICAL_POINTS },
  ];
  if (tieBreak) r.tieBreak = tieBreak;
  return r;
}

async function tenderOf(input: Record<string, any>): Promise<{ tender: ResolvedTender; rc: DocumentModel }> {
  const deps = await sharedDeps();
  const { tender, rules } = await evaluateFrom(input, deps.catalogue);
  return { tender, rc: buildRcDocument(tender, rules, deps.templates) };
}

const textOf = (model: DocumentModel): string => {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'text' && typeof x === 'string' ? out.push(x) : walk(x);
  };
  walk(model.blocks);
  return fold(out.join(' ')).replace(/\s+/g, ' ');
};

const fold = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

const marksFor = (grades: Record<string, Grade>): Mark[] =>
  Object.entries(grades).map(([bid, grade]) => ({ lot: 1, bid, criterion: 2, grade, justification: `Mémoire technique de ${bid} : réponse appréciée au vu des fiches remises.` }));

/** The RC's words, computed here: lowest ÷ amount, or 1 − (amount − lowest) ÷ lowest floored at 0. */
function expectedPrice(method: 'lowest-over-price' | 'linear', amount: number, amounts: number[]): number {
  const lowest = Math.min(...amounts);
  return method === 'linear' ? PRICE_POINTS * Math.max(0, 1 - (amount - lowest) / lowest) : (PRICE_POINTS * lowest) / amount;
}

const view = (scores: OfferScore[]) => scores.map((s) => ({ bid: s.bid, printed: s.printed, rank: s.rank, tied: s.tied, tieBrokenBy: s.tieBrokenBy }));

describe('price formula', () => {
  const amounts = { a: 100_000, b: 125_000, c: 180_000, d: 250_000 };
  const grades: Record<string, Grade> = { a: 'average', b: 'very-satisfactory', c: 'satisfactory', d: 'very-satisfactory' };

  it.each(['lowest-over-price', 'linear'] as const)('scores and ranks by %s as the RC states it', async (method) => {
    const { tender } = await tenderOf(request(method === 'lowest-over-price' ? undefined : method));
    const lot = tender.lots[0]!;
    const offers = Object.entries(amounts).map(([bid, amount]) => ({ bid, amount }));
    const scores = scoreLot(lot, offers, marksFor(grades), tender.request.tieBreak);
    const expected = offers
      .map(({ bid, amount }) => {
        const total = expectedPrice(method, amount, Object.values(amounts)) + TECHNICAL_POINTS * GRADES[grades[bid]!].share;
        return { bid, printed: Math.round(total * 100) / 100 };
      })
      .sort((x, y) => y.printed - x.printed);
    expect(scores.map((s) => ({ bid: s.bid, printed: s.printed }))).toEqual(expected);
    expect(scores.map((s) => s.rank)).toEqual([1, 2, 3, 4]);
    const d = scores.find((s) => s.bid === 'd')!.criteria[0]!;
    if (method === 'linear') {
      // 250 000 is more than twice the lowest: no point, and the RAO says why.
      expect(d.score).toBe(0);
      expect(fold(basisText(d))).toBe('60,00 × (1 − (250 000,00 € − 100 000,00 €) ÷ 100 000,00 €), ramené à 0');
      expect(fold(basisText(scores.find((s) => s.bid === 'b')!.criteria[0]!))).toBe('60,00 × (1 − (125 000,00 € − 100 000,00 €) ÷ 100 000,00 €)');
      expect(scores.find((s) => s.bid === 'b')!.criteria[0]!.score).toBeCloseTo(45, 10);
    } else {
      expect(d.score).toBeCloseTo(24, 10);
      expect(fold(basisText(d))).toBe('60,00 × 100 000,00 € ÷ 250 000,00 €');
    }
    expect(d.basis).toEqual({ kind: 'price', method, lowest: 100_000, amount: 250_000 });
  });

  it('is printed in the RC: the linear formula in words, the default sentence unchanged', async () => {
    const linear = textOf((await tenderOf(request('linear'))).rc);
    expect(linear).toContain('Le critère « Prix » est noté sur 60 points selon la formule : note = 60 × (1 − (montant de l’offre examinée − montant de l’offre la moins-disante) ÷ montant de l’offre la moins-disante), sans pouvoir être inférieure à zéro.');
    expect(linear).not.toContain('note = 60 × (montant de l’offre la moins-disante ÷ montant de l’offre examinée)');
    const byDefault = textOf((await tenderOf(request())).rc);
    expect(byDefault).toContain('note = 60 × (montant de l’offre la moins-disante ÷ montant de l’offre examinée). L’offre la moins-disante obtient la totalité des points ; les autres en obtiennent une part proportionnelle.');
    expect(byDefault).not.toContain('Départage');
  });

  it('is refused on a quality criterion, with its field path', async () => {
    const bad = request();
    bad.awardCriteria[1].priceScoring = 'linear';
    const error = await tenderOf(bad).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toContainEqual(expect.objectContaining({ path: 'awardCriteria.1.priceScoring' }));
  });
});

describe('tie-break', () => {
  // a: 60 + 75 % × 40 = 90; b: 60 × 100 000 ÷ 120 000 = 50, + 40 = 90; c: 60 × 100 000 ÷ 150 000 = 40, + 40 = 80.
  const offers = [
    { bid: 'a', amount: 100_000 },
    { bid: 'b', amount: 120_000 },
    { bid: 'c', amount: 150_000 },
  ];
  const grades: Record<string, Grade> = { a: 'satisfactory', b: 'very-satisfactory', c: 'very-satisfactory' };

  async function ranked(tieBreak?: string) {
    const { tender, rc } = await tenderOf(request(undefined, tieBreak));
    return { tender, rc, scores: scoreLot(tender.lots[0]!, offers, marksFor(grades), tender.request.tieBreak) };
  }

  it('leaves equal totals tied when the RC states no rule, absent or « none »', async () => {
    for (const rule of [undefined, 'none']) {
      const { scores } = await ranked(rule);
      expect(view(scores)).toEqual([
        { bid: 'a', printed: 90, rank: 1, tied: true, tieBrokenBy: undefined },
        { bid: 'b', printed: 90, rank: 1, tied: true, tieBrokenBy: undefined },
        { bid: 'c', printed: 80, rank: 3, tied: false, tieBrokenBy: undefined },
      ]);
    }
  });

  it('ranks the higher technical score first under best-technical, the lower amount first under lowest-price', async () => {
    expect(view((await ranked('best-technical')).scores)).toEqual([
      { bid: 'b', printed: 90, rank: 1, tied: false, tieBrokenBy: 'best-technical' },
      { bid: 'a', printed: 90, rank: 2, tied: false, tieBrokenBy: 'best-technical' },
      { bid: 'c', printed: 80, rank: 3, tied: false, tieBrokenBy: undefined },
    ]);
    expect(view((await ranked('lowest-price')).scores)).toEqual([
      { bid: 'a', printed: 90, rank: 1, tied: false, tieBrokenBy: 'lowest-price' },
      { bid: 'b', printed: 90, rank: 2, tied: false, tieBrokenBy: 'lowest-price' },
      { bid: 'c', printed: 80, rank: 3, tied: false, tieBrokenBy: undefined },
    ]);
  });

  it('keeps a tie the rule does not separate', async () => {
    const { tender } = await tenderOf(request(undefined, 'best-technical'));
    const same = scoreLot(tender.lots[0]!, [{ bid: 'x', amount: 100_000 }, { bid: 'y', amount: 100_000 }], marksFor({ x: 'average', y: 'average' }), 'best-technical');
    expect(view(same)).toEqual([
      { bid: 'x', printed: 80, rank: 1, tied: true, tieBrokenBy: undefined },
      { bid: 'y', printed: 80, rank: 1, tied: true, tieBrokenBy: undefined },
    ]);
  });

  it('is printed in the RC in plain French, and only when the request states it', async () => {
    expect(buildRcContext((await ranked()).tender).rc.tieBreak).toEqual([]);
    expect(textOf((await ranked('none')).rc)).toContain('Aucune règle de départage n’est fixée : si plusieurs offres obtiennent la même note totale, arrondie au centième, l’acheteur les classe par une décision motivée.');
    expect(textOf((await ranked('best-technical')).rc)).toContain('elles sont départagées par leur note au premier critère autre que le prix ou le coût');
    expect(textOf((await ranked('lowest-price')).rc)).toContain('elles sont départagées par leur montant examiné : le montant le plus bas l’emporte.');
  });

  it('is applied and stated by the RAO, which proposes the offer the rule ranks first', async () => {
    const rao = async (rule?: string) => {
      const { tender, scores } = await ranked(rule);
      const names = { a: 'Alpha', b: 'Bravo', c: 'Charlie' } as Record<string, string>;
      const lotOffers = scores.map((s, i) => ({
        bidder: { id: s.bid, name: names[s.bid]!, siret: SIRETS[i]! },
        conformity: { status: 'conforming' as const, issues: [], amount: s.amount, rectified: [] },
        score: s,
      }));
      const first = scores.filter((s) => s.rank === 1);
      const lot = { lot: tender.lots[0]!, offers: lotOffers, ranking: scores, tieForFirst: first.length > 1, ...(first.length === 1 ? { proposed: lotOffers.find((o) => o.bidder.id === first[0]!.bid)!.bidder } : {}) };
      const analysis: OffersAnalysis = { tender, bids: [], lots: [lot], rules: { belowEstimate: 0.3, belowOthers: 0.2, lineBelowEstimate: 0.4 }, budgets: [] };
      return textOf(buildRaoDocument(analysis, lot));
    };
    const letter = async (rule: string) => {
      const { tender, scores } = await ranked(rule);
      const lotOffers = scores.map((s, i) => ({ bidder: { id: s.bid, name: s.bid.toUpperCase(), siret: SIRETS[i]! }, conformity: { status: 'conforming' as const, issues: [], amount: s.amount, rectified: [] }, score: s }));
      const lot = { lot: tender.lots[0]!, offers: lotOffers, ranking: scores, tieForFirst: false, proposed: lotOffers[0]!.bidder };
      const analysis: OffersAnalysis = { tender, bids: [], lots: [lot], rules: { belowEstimate: 0.3, belowOthers: 0.2, lineBelowEstimate: 0.4 }, budgets: [] };
      return buildRejectionLetters(analysis, { sentOn: '2027-01-18', electronic: true }).map((l) => [l.bid, textOf(l.model)]);
    };
    const letters = await letter('best-technical');
    expect(letters.map(([bid]) => bid)).toEqual(['a', 'c']);
    expect(letters[0]![1]).toContain('Votre offre obtient la même note totale que l’offre retenue ; conformément au règlement de la consultation, les offres à égalité sont départagées par la meilleure note au premier critère autre que le prix ou le coût, qui place l’offre retenue devant la vôtre.');
    expect(letters[1]![1]).not.toContain('même note totale');
    const technical = await rao('best-technical');
    expect(technical).toContain('Les offres de Bravo et Alpha obtiennent la même note totale (90,00). Conformément au règlement de la consultation, elles sont départagées par la meilleure note au premier critère autre que le prix ou le coût : Bravo (40,00 points au critère 2), rang 1 ; Alpha (30,00 points au critère 2), rang 2.');
    expect(technical).toContain('Il est proposé d’attribuer le lot 1 à Bravo');
    const price = await rao('lowest-price');
    expect(price).toContain('Alpha (100 000,00 € HT), rang 1 ; Bravo (120 000,00 € HT), rang 2.');
    expect(price).toContain('Il est proposé d’attribuer le lot 1 à Alpha');
    const none = await rao();
    expect(none).toContain('Les offres de Alpha et Bravo obtiennent la même note totale. Le règlement de la consultation ne prévoit pas de règle de départage');
    expect(none).not.toContain('Il est proposé d’attribuer');
  });
});

describe('tie-break per lot (version 2)', () => {
  /** The three-lot example with the file's rule, lot 2 stating its own. */
  const perLot = (lot2?: string) => {
    const r = v2Example('departement');
    r.tieBreak = 'lowest-price';
    if (lot2) r.lots[1].tieBreak = lot2;
    return r;
  };

  it('takes the lot’s rule over the file’s, for the scoring of that lot only', async () => {
    const { tender } = await tenderOf(perLot('best-technical'));
    expect(tender.lots.map((l) => l.tieBreak)).toEqual(['lowest-price', 'best-technical', 'lowest-price']);
    // Two offers at the same total in lot 2: the lot's rule (technical score) ranks them, not the file's (amount).
    const lot = tender.lots[1]!;
    const graded = lot.awardCriteria.flatMap((c, i) => (c.type === 'quality' ? (c.subCriteria?.length ? c.subCriteria.map((_s, j) => ({ criterion: i + 1, subCriterion: j + 1 })) : [{ criterion: i + 1 }]) : []));
    const marks = (bid: string, technical: Grade, environmental: Grade): Mark[] =>
      graded.map((g) => ({ lot: 2, bid, ...g, grade: g.criterion === 2 ? technical : environmental, justification: `Mémoire technique de ${bid} : réponse appréciée au vu des fiches remises.` }));
    // Lot 2: price 45, technical 35 (two sub-criteria), environmental 20. x: 45 × 170 000 ÷ 180 000 = 42.5, + 35 × 100 % + 20 × 25 % = 82.5;
    // y: 45 + 35 × 50 % + 20 × 100 % = 82.5. The lot's rule puts x first (technical), the file's would put y first (amount).
    const offers = [{ bid: 'x', amount: 180_000 }, { bid: 'y', amount: 170_000 }];
    const given = [...marks('x', 'very-satisfactory', 'insufficient'), ...marks('y', 'average', 'very-satisfactory')];
    const scores = scoreLot(lot, offers, given, lot.tieBreak);
    expect(scores.map((s) => [s.bid, s.printed, s.rank, s.tieBrokenBy])).toEqual([['x', 82.5, 1, 'best-technical'], ['y', 82.5, 2, 'best-technical']]);
    expect(scoreLot(lot, offers, given, tender.request.tieBreak).map((s) => [s.bid, s.rank, s.tieBrokenBy])).toEqual([['y', 1, 'lowest-price'], ['x', 2, 'lowest-price']]);
    // Lot 1 keeps the file's rule.
    expect(tender.lots[0]!.tieBreak).toBe(tender.request.tieBreak);
  });

  it('is printed lot by lot in the RC when the lots’ rules differ, once when they agree', async () => {
    const { tender, rc } = await tenderOf(perLot('none'));
    const text = textOf(rc);
    const section = text.slice(text.indexOf('Départage des offres à égalité'), text.indexOf('Négociation', text.indexOf('Départage des offres à égalité')));
    const [one, two, three] = tender.lots.map((l) => `Lot ${l.number} — ${fold(l.title)}`);
    const lowest = 'elles sont départagées par leur montant examiné : le montant le plus bas l’emporte.';
    expect(section.indexOf(one!)).toBeGreaterThan(0);
    expect(section.indexOf(one!)).toBeLessThan(section.indexOf(lowest));
    expect(section.indexOf(two!)).toBeGreaterThan(section.indexOf(lowest));
    expect(section.slice(section.indexOf(two!), section.indexOf(three!))).toContain('Aucune règle de départage n’est fixée');
    expect(section.slice(section.indexOf(three!))).toContain(lowest);
    // The same rule on every lot: one paragraph, no lot named, as a file-level rule prints.
    const same = textOf((await tenderOf(perLot('lowest-price'))).rc);
    expect(buildRcContext((await tenderOf(perLot('lowest-price'))).tender).rc.tieBreak).toEqual([{ lead: null, none: false, bestTechnical: false, lowestPrice: true }]);
    expect(same.split(lowest).length).toBe(2);
  });

  it('refuses an unknown rule on its lot’s path', async () => {
    const error = await tenderOf(perLot('coin-toss')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toContainEqual(expect.objectContaining({ path: 'lots.1.tieBreak' }));
  });
});
