/** The analysis as plain JSON (analyse.json): what each output prints, for the buyer's tools and the web app. */
import type { CheckedLot, OffersAnalysis } from './analysis.ts';
import type { Bidder } from './bid.ts';
import type { LotConformity } from './conformity.ts';
import { GRADES, gradedCriteria, type ExpectedMark } from './scoring.ts';

/** One offer's verdict as both the conformity check and the analysis print it. */
function offerVerdict(bidder: Bidder, conformity: LotConformity) {
  return {
    bid: bidder.id,
    status: conformity.status,
    amount: conformity.amount,
    issues: conformity.issues,
    rectified: conformity.rectified,
    ...(conformity.rectifiedTotals ? { rectifiedTotals: conformity.rectifiedTotals } : {}),
  };
}

export function summariseAnalysis(analysis: OffersAnalysis) {
  return {
    tender: { title: analysis.tender.request.title, reference: analysis.tender.request.reference ?? null },
    bidsReceived: analysis.bids.map((b) => ({ id: b.bidder.id, name: b.bidder.name, siret: b.bidder.siret, files: b.files, lots: b.lots.map((l) => l.lot) })),
    abnormallyLowRules: analysis.rules,
    lots: analysis.lots.map((lot) => ({
      lot: lot.lot.number,
      title: lot.lot.title,
      estimate: lot.estimate ?? null,
      offersReceived: lot.offers.length,
      offers: lot.offers.map((o) => ({
        ...offerVerdict(o.bidder, o.conformity),
        abnormallyLow: o.abnormallyLow ?? null,
        score: o.score ? { total: o.score.printed, rank: o.score.rank, tied: o.score.tied, ...(o.score.tieBrokenBy ? { tieBrokenBy: o.score.tieBrokenBy } : {}), criteria: o.score.criteria } : null,
      })),
      proposed: lot.proposed ? { bid: lot.proposed.id, name: lot.proposed.name, siret: lot.proposed.siret } : null,
      tieForFirst: lot.tieForFirst,
      tieBreak: lot.lot.tieBreak ?? 'none',
    })),
  };
}

/**
 * What the buyer needs before marking: each offer's conformity per lot (only conforming offers are
 * marked), the criteria graded in each lot, the marks expected and the grades of the RC.
 */
export function summariseConformity(lots: readonly CheckedLot[], marksNeeded: readonly ExpectedMark[]) {
  return {
    grades: Object.entries(GRADES).map(([grade, g]) => ({ grade, label: g.label, share: g.share })),
    lots: lots.map(({ lot, offers }) => ({
      lot: lot.number,
      title: lot.title,
      offers: offers.map((o) => ({ ...offerVerdict(o.bid.bidder, o.conformity), name: o.bid.bidder.name, declaredTotal: o.conformity.declaredTotal ?? null })),
      gradedCriteria: gradedCriteria(lot),
    })),
    marksNeeded,
  };
}
