/**
 * The analysis of the offers of a tender, lot by lot: each offer's conformity, the offers that seem
 * abnormally low with what to ask their authors, the scores and ranks of the conforming offers,
 * and the proposed award. Pure: the same tender, bids and marks give the same analysis, which
 * every output (RAO, award data) prints without computing anything again.
 */
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { lineAmount } from '#src/core/rules/estimated-value.ts';
import { roundCents } from '#src/core/rules/money.ts';
import type { Bid, Bidder, LotBid, PriceLine } from './bid.ts';
import { checkLotBid, type LotConformity } from './conformity.ts';
import { applyEliminations, checkEliminations, NO_ELIMINATIONS, type Budget, type EliminationInput } from './eliminations.ts';
import { checkMarks, expectedMarks, scoreLot, type ExpectedMark, type AbnormallyLowRules, type MarksFile, type OfferScore } from './scoring.ts';

export interface AbnormallyLow {
  /** Share below the estimate of the lot, when the estimate is complete and the gap reaches the rule. */
  belowEstimate?: number;
  /** Share below the average of the other conforming offers, when it reaches the rule. */
  belowOthers?: number;
  /** The lines to explain (R2152-3): the unit prices far below their estimate, or every line without estimates. */
  lines: Array<{ number: string; designation: string; unitPrice: number; estimatedUnitPrice?: number }>;
}

export interface LotOffer {
  bidder: Bidder;
  conformity: LotConformity;
  abnormallyLow?: AbnormallyLow;
  score?: OfferScore;
}

export interface LotAnalysis {
  lot: ResolvedLot;
  /** The buyer's estimate of the lot excl. VAT (Σ of its lines), when every line has one. */
  estimate?: number;
  offers: LotOffer[];
  /** Conforming offers, best first. */
  ranking: OfferScore[];
  /** The best-ranked offer, unless several share the first rank. */
  proposed?: Bidder;
  tieForFirst: boolean;
}

export interface OffersAnalysis {
  tender: ResolvedTender;
  /** Every bid received, whatever came of it. */
  bids: Bid[];
  lots: LotAnalysis[];
  rules: AbnormallyLowRules;
  /** The credits budgeted per lot, as the buyer gave them (the RAO states them; the letters never do). */
  budgets: Budget[];
}

export interface CheckedLot {
  lot: ResolvedLot;
  offers: Array<{ bid: Bid; lotBid: LotBid; conformity: LotConformity }>;
}

/**
 * The first half of the analysis, which needs no marks: each offer's conformity, lot by lot, with
 * the buyer's eliminations and budgets when given, and the marks the buyer must then give (the
 * graded criteria of each conforming offer).
 */
export function checkOffers(tender: ResolvedTender, bids: readonly Bid[], eliminations: EliminationInput = NO_ELIMINATIONS): { lots: CheckedLot[]; marksNeeded: ExpectedMark[] } {
  checkEliminations(tender, bids.flatMap((b) => b.lots.map((l) => ({ lot: l.lot, bid: b.bidder.id }))), eliminations);
  const lots = tender.lots.map((lot): CheckedLot => {
    const offers = bids.flatMap((bid) => {
      const lotBid = bid.lots.find((l) => l.lot === lot.number);
      return lotBid ? [{ bid, lotBid, conformity: applyEliminations(lot.number, bid.bidder.id, checkLotBid(lot, lotBid), eliminations) }] : [];
    });
    return { lot, offers };
  });
  const marksNeeded = lots.flatMap(({ lot, offers }) => expectedMarks(lot, offers.filter((o) => o.conformity.status === 'conforming').map((o) => o.bid.bidder.id)));
  return { lots, marksNeeded };
}

export function analyseOffers(tender: ResolvedTender, bids: readonly Bid[], marks: MarksFile): OffersAnalysis {
  const { lots: checked, marksNeeded } = checkOffers(tender, bids, marks);
  checkMarks(marks.marks, marksNeeded);
  const lots = checked.map(({ lot, offers }): LotAnalysis => {
    const estimate = lotEstimate(lot);
    const conforming = offers.filter((o) => o.conformity.status === 'conforming');
    const ranking = scoreLot(lot, conforming.map((o) => ({ bid: o.bid.bidder.id, amount: o.conformity.amount })), marks.marks, lot.tieBreak);
    const lotOffers = offers.map(({ bid, lotBid, conformity }): LotOffer => {
      const out: LotOffer = { bidder: bid.bidder, conformity };
      if (conformity.status !== 'conforming') return out;
      const others = conforming.filter((o) => o.bid !== bid).map((o) => o.conformity.amount);
      const low = abnormallyLow(lot, conformity.amount, estimate, others, lotBid.prices, marks.abnormallyLow);
      if (low) out.abnormallyLow = low;
      const score = ranking.find((s) => s.bid === bid.bidder.id);
      if (score) out.score = score;
      return out;
    });
    const first = ranking.filter((s) => s.rank === 1);
    const analysis: LotAnalysis = { lot, offers: lotOffers, ranking, tieForFirst: first.length > 1 };
    if (estimate !== undefined) analysis.estimate = estimate;
    if (first.length === 1) analysis.proposed = lotOffers.find((o) => o.bidder.id === first[0]!.bid)!.bidder;
    return analysis;
  });
  return { tender, bids: [...bids], lots, rules: marks.abnormallyLow, budgets: [...marks.budgets] };
}

/** Σ of the lot's line amounts as the price schedule lists them (a lump-sum line once); undefined when a line has no estimate. */
export function lotEstimate(lot: ResolvedLot): number | undefined {
  if (lot.lines.length === 0 || lot.lines.some((l) => l.estimatedUnitPrice === undefined)) return undefined;
  return roundCents(lot.lines.reduce((n, l) => n + lineAmount(l), 0));
}

function abnormallyLow(
  lot: ResolvedLot,
  amount: number,
  estimate: number | undefined,
  others: number[],
  prices: PriceLine[],
  rules: AbnormallyLowRules,
): AbnormallyLow | undefined {
  const out: AbnormallyLow = { lines: [] };
  if (estimate !== undefined && estimate > 0) {
    const gap = (estimate - amount) / estimate;
    if (gap >= rules.belowEstimate) out.belowEstimate = gap;
  }
  if (others.length > 0) {
    const average = others.reduce((n, a) => n + a, 0) / others.length;
    const gap = average > 0 ? (average - amount) / average : 0;
    if (gap >= rules.belowOthers) out.belowOthers = gap;
  }
  if (out.belowEstimate === undefined && out.belowOthers === undefined) return undefined;
  const withEstimates = prices.flatMap((p, i) => {
    const line = lot.lines[i]!;
    return p.unitPrice === undefined ? [] : [{ number: p.number, designation: p.designation, unitPrice: p.unitPrice, ...(line.estimatedUnitPrice !== undefined ? { estimatedUnitPrice: line.estimatedUnitPrice } : {}) }];
  });
  const far = withEstimates.filter((l) => l.estimatedUnitPrice !== undefined && l.unitPrice < l.estimatedUnitPrice * (1 - rules.lineBelowEstimate));
  out.lines = far.length > 0 ? far : withEstimates;
  return out;
}
