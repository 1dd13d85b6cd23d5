/** The analysis as plain JSON (analyse.json): what each output prints, for the buyer's tools and the web app. */
import type { OffersAnalysis } from './analysis.ts';

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
        bid: o.bidder.id,
        status: o.conformity.status,
        amount: o.conformity.amount,
        issues: o.conformity.issues,
        rectified: o.conformity.rectified,
        abnormallyLow: o.abnormallyLow ?? null,
        score: o.score ? { total: o.score.printed, rank: o.score.rank, tied: o.score.tied, criteria: o.score.criteria } : null,
      })),
      proposed: lot.proposed ? { bid: lot.proposed.id, name: lot.proposed.name, siret: lot.proposed.siret } : null,
      tieForFirst: lot.tieForFirst,
    })),
  };
}
