/**
 * The acceptance scenario of the offer analysis, on lot 1 of the département example (framework
 * agreement: BPU and DQE): a conforming best offer, a cheaper one answering « Non » to an
 * eliminatory requirement, one whose DQE states a wrong amount, an abnormally low one, a tampered
 * matrix (edited locked threshold, deleted row), and one with a missing answer.
 */
import type { ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { BidFiles } from '#src/adapters/offers/read-bid.ts';
import { COMPLIANCE_HEADER_ROW } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import type { MarksFile } from '#src/core/offers/scoring.ts';
import { buildBid, meetingAnswer, SIRETS, type BidSpec } from './bids.ts';

/** Share of the buyer's estimated unit price each bidder asks. */
export const PRICE_FACTORS = { alpha: 0.95, bravo: 0.85, charlie: 1.0, delta: 0.5, echo: 0.9, foxtrot: 0.92 } as const;
export type Bidder = keyof typeof PRICE_FACTORS;

export const GRADES_GIVEN: Record<'alpha' | 'charlie' | 'delta', MarksFile['marks'][number]['grade']> = {
  alpha: 'very-satisfactory',
  charlie: 'satisfactory',
  delta: 'average',
};

const firstNumericMinimum = (tender: ResolvedTender) => tender.lots[0]!.requirements.find((r) => r.level === 'minimum' && r.metric.type === 'numeric')!;

export function unitPriceOf(tender: ResolvedTender, bidder: Bidder, index: number): number {
  return Math.round(tender.lots[0]!.lines[index]!.estimatedUnitPrice! * PRICE_FACTORS[bidder] * 100) / 100;
}

/** `tenderId`: the stored tender the bids answer (their workbooks carry it); absent for the CLI's tender read from its request. */
export async function scenarioBids(tender: ResolvedTender, tenderId?: string): Promise<BidFiles[]> {
  const lot = tender.lots[0]!;
  const eliminatory = firstNumericMinimum(tender);
  const spec = (id: Bidder, name: string, siret: string, extra: Partial<BidSpec['lots'][number]> = {}, edits: Partial<BidSpec> = {}): BidSpec => ({
    id,
    name,
    siret,
    lots: { 1: { unitPrice: (_line, i) => unitPriceOf(tender, id, i), ...extra } },
    ...(tenderId === undefined ? {} : { tenderId }),
    ...edits,
  });
  const answerExcept = (target: ResolvedRequirement, answer: ReturnType<typeof meetingAnswer> | undefined) => (r: ResolvedRequirement) =>
    r.reference === target.reference ? answer : meetingAnswer(r);
  const thresholdRow = COMPLIANCE_HEADER_ROW + 1 + lot.requirements.indexOf(eliminatory);
  const missing = lot.requirements.filter((r) => r.level === 'minimum').at(-1)!;
  return Promise.all([
    buildBid(tender, spec('alpha', 'Alpha Numérique', SIRETS[0])),
    buildBid(tender, spec('bravo', 'Bravo Distribution', SIRETS[1], { answer: answerExcept(eliminatory, { conform: 'Non', value: '8 Go' }) })),
    buildBid(tender, spec('charlie', 'Charlie & Fils', SIRETS[2], { cachedAmount: (_l, i, computed) => (i === 0 ? computed + 1000 : computed) })),
    buildBid(tender, spec('delta', 'Delta Low-Cost', SIRETS[3])),
    buildBid(
      tender,
      spec('echo', 'Écho Malin', SIRETS[4], {}, {
        editMatrix: (workbook) => {
          const sheet = workbook.getWorksheet('Lot 1')!;
          sheet.getRow(thresholdRow).getCell(4).value = '≥ 1 Go';
          sheet.spliceRows(COMPLIANCE_HEADER_ROW + lot.requirements.length, 1);
        },
      }),
    ),
    buildBid(tender, spec('foxtrot', 'Foxtrot Services', SIRETS[5], { answer: answerExcept(missing, undefined) })),
  ]);
}

/** The buyer's marks: one grade per graded criterion or sub-criterion of lot 1, for each conforming offer. */
export function scenarioMarks(tender: ResolvedTender): MarksFile {
  const marks: MarksFile['marks'] = [];
  for (const bid of Object.keys(GRADES_GIVEN) as Array<keyof typeof GRADES_GIVEN>) {
    tender.lots[0]!.awardCriteria.forEach((c, i) => {
      if (c.type !== 'quality') return;
      const parts = c.subCriteria.length === 0 ? [undefined] : c.subCriteria.map((_s, j) => j + 1);
      for (const sub of parts) {
        marks.push({
          lot: 1,
          bid,
          criterion: i + 1,
          ...(sub === undefined ? {} : { subCriterion: sub }),
          grade: GRADES_GIVEN[bid],
          justification: `Mémoire technique de ${bid}, critère ${i + 1}${sub ? `.${sub}` : ''} : réponse détaillée, appuyée sur les fiches techniques remises.`,
        });
      }
    });
  }
  return { marks, abnormallyLow: { belowEstimate: 0.3, belowOthers: 0.2, lineBelowEstimate: 0.4 }, budgets: [], eliminations: [] };
}
