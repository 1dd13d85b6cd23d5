/**
 * Scoring as the RC states it (templates/rc.md.hbs, « Notation du prix », « Notation des critères
 * qualitatifs » and « Départage des offres à égalité »):
 * - a price or cost criterion, by the formula the request chose for it (PriceScoring):
 *   `lowest-over-price` (the default) points × (lowest amount examined ÷ amount of the offer);
 *   `linear` points × (1 − (amount − lowest) ÷ lowest), never below 0;
 * - a quality criterion, or each of its sub-criteria: one of five grades the buyer gives, with its
 *   written justification, converted to a share of the points (100, 75, 50, 25 or 0 %);
 * - the total is the sum of the criteria; a criterion with sub-criteria is the sum of theirs.
 * Only conforming offers are scored. Ranks follow the totals as printed (two decimals). Equal
 * totals are then separated by the tie-break the RC announced (TieBreak): the higher score, as
 * printed, on the first criterion that is neither price nor cost, or the lower amount. What no
 * announced rule separates shares a rank, and a tie for first place is left to the buyer's
 * reasoned decision rather than broken by an order nobody announced.
 */
import * as z from 'zod';
import { ValidationError, type Issue } from '#src/core/model/errors.ts';
import type { AwardCriterion, PriceScoring, TieBreak } from '#src/core/model/tender-request.ts';
import type { ResolvedLot } from '#src/core/model/resolve-tender.ts';
import { BidIdSchema } from './bid.ts';
import { MIN_JUSTIFICATION_CHARS } from './decision-limits.ts';
import { BudgetSchema, EliminationSchema } from './eliminations.ts';

/** The grades of the RC and the share of the points each gives. */
export const GRADES = {
  'very-satisfactory': { label: 'très satisfaisant', share: 1 },
  satisfactory: { label: 'satisfaisant', share: 0.75 },
  average: { label: 'moyen', share: 0.5 },
  insufficient: { label: 'insuffisant', share: 0.25 },
  absent: { label: 'absent ou sans rapport avec la demande', share: 0 },
} as const;
export type Grade = keyof typeof GRADES;
const GradeSchema = z.enum(Object.keys(GRADES) as [Grade, ...Grade[]]);

export { MIN_JUSTIFICATION_CHARS };

export const MarkSchema = z.strictObject({
  lot: z.number().int().positive().max(50),
  bid: BidIdSchema,
  criterion: z.number().int().positive().max(20).describe('Number of the criterion as the RC lists it (1, 2…)'),
  subCriterion: z.number().int().positive().max(20).optional().describe('Number of the sub-criterion within it (2.1 → criterion 2, subCriterion 1)'),
  grade: GradeSchema,
  justification: z
    .string({ error: 'a mark needs its written justification' })
    .trim()
    .min(MIN_JUSTIFICATION_CHARS, `a justification states what the grade rests on, in at least ${MIN_JUSTIFICATION_CHARS} characters`)
    .max(4_000),
});
export type Mark = z.infer<typeof MarkSchema>;

/** Gaps from which an offer seems abnormally low: buyer settings, not law (the law sets no figure; L2152-6). */
export const AbnormallyLowRulesSchema = z.strictObject({
  belowEstimate: z.number().min(0).max(1).default(0.3).describe('Share below the buyer’s estimate of the lot (0.3: 30 % below)'),
  belowOthers: z.number().min(0).max(1).default(0.2).describe('Share below the average of the other conforming offers of the lot'),
  lineBelowEstimate: z.number().min(0).max(1).default(0.4).describe('A unit price this far below the estimated unit price is listed in the request for explanation'),
});
export type AbnormallyLowRules = z.infer<typeof AbnormallyLowRulesSchema>;

export const MarksFileSchema = z.strictObject({
  marks: z.array(MarkSchema).max(10_000).default([]),
  abnormallyLow: AbnormallyLowRulesSchema.default({ belowEstimate: 0.3, belowOthers: 0.2, lineBelowEstimate: 0.4 }),
  budgets: z.array(BudgetSchema).max(50).default([]).describe('Credits budgeted per lot before the launch: an offer above them is unacceptable (L2152-3)'),
  eliminations: z.array(EliminationSchema).max(1_000).default([]).describe('Offers the buyer declares unacceptable or inappropriate, each with its reason'),
});
export type MarksFile = z.infer<typeof MarksFileSchema>;

export interface CriterionScore {
  /** « 1 », « 2.1 » */
  number: string;
  name: string;
  points: number;
  score: number;
  /** What the score was computed from (report-blocks.ts prints it: « 40,00 × 10 000,00 € ÷ 12 000,00 € »). */
  basis: { kind: 'price'; method: PriceScoring; lowest: number; amount: number } | { kind: 'grade'; grade: Grade; justification: string } | { kind: 'parts' };
  /** Sub-criteria, when the criterion has some. */
  parts?: CriterionScore[];
}

export interface OfferScore {
  bid: string;
  amount: number;
  criteria: CriterionScore[];
  /** Sum of the criteria, unrounded. */
  total: number;
  /** Rounded to two decimals: what the RAO prints and ranks on. */
  printed: number;
  rank: number;
  tied: boolean;
  /** The RC's tie-break rule, when it set this offer's rank apart from an offer with the same total. */
  tieBrokenBy?: Exclude<TieBreak, 'none'>;
}

/** Points of a price or cost criterion for an amount, by the RC's formula; `lowest` is the lowest positive amount examined. */
export function pricePoints(method: PriceScoring, points: number, lowest: number, amount: number): number {
  if (amount <= 0 || lowest <= 0) return points;
  if (method === 'linear') return Math.max(0, points * (1 - (amount - lowest) / lowest));
  return (points * lowest) / amount;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A criterion or sub-criterion the buyer grades: « 2.1 » is criterion 2, sub-criterion 1. */
export interface GradedCriterion {
  criterion: number;
  subCriterion?: number;
  /** « 2 », « 2.1 » */
  number: string;
  name: string;
  points: number;
}

/** The criteria of a lot the buyer grades, in the RC's order: each quality criterion, or each of its sub-criteria (price criteria are computed). */
export function gradedCriteria(lot: ResolvedLot): GradedCriterion[] {
  return lot.awardCriteria.flatMap((c, i): GradedCriterion[] => {
    if (isPriced(c)) return [];
    if (c.subCriteria.length === 0) return [{ criterion: i + 1, number: String(i + 1), name: c.name, points: c.weight }];
    return c.subCriteria.map((s, j) => ({ criterion: i + 1, subCriterion: j + 1, number: `${i + 1}.${j + 1}`, name: s.name, points: s.weight }));
  });
}

/** A mark the buyer must give: the offer, and the criterion or sub-criterion with its name and points. */
export type ExpectedMark = GradedCriterion & { lot: number; bid: string };

/** The marks a lot's scoring needs from the buyer: one per quality criterion or sub-criterion and conforming offer. */
export function expectedMarks(lot: ResolvedLot, bids: readonly string[]): ExpectedMark[] {
  const graded = gradedCriteria(lot);
  return bids.flatMap((bid) => graded.map((g) => ({ lot: lot.number, bid, ...g })));
}

const isPriced = (c: AwardCriterion) => c.type === 'price' || c.type === 'cost';
const markKey = (m: Pick<Mark, 'lot' | 'bid' | 'criterion' | 'subCriterion'>) => `${m.lot}/${m.bid}/${m.criterion}/${m.subCriterion ?? 0}`;

/**
 * Checks the marks against what the lots need: every expected mark present once, none for a
 * price criterion, an unknown criterion or an offer not scored. ValidationError naming each path.
 */
export function checkMarks(marks: readonly Mark[], expected: ReadonlyArray<Pick<Mark, 'lot' | 'bid' | 'criterion' | 'subCriterion'>>): void {
  const issues: Issue[] = [];
  const wanted = new Set(expected.map(markKey));
  const seen = new Set<string>();
  marks.forEach((m, i) => {
    const key = markKey(m);
    if (!wanted.has(key)) {
      issues.push({ path: `marks.${i}`, message: `no graded criterion ${m.criterion}${m.subCriterion ? `.${m.subCriterion}` : ''} for a conforming offer "${m.bid}" in lot ${m.lot} (price criteria are computed, not marked)` });
    } else if (seen.has(key)) {
      issues.push({ path: `marks.${i}`, message: 'a second mark for the same offer and criterion' });
    }
    seen.add(key);
  });
  for (const e of expected) {
    if (!seen.has(markKey(e))) {
      issues.push({ path: 'marks', message: `missing mark: lot ${e.lot}, offer "${e.bid}", criterion ${e.criterion}${e.subCriterion ? `.${e.subCriterion}` : ''}` });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

/** Scores and ranks the conforming offers of one lot. `marks` must have passed checkMarks; `tieBreak` is the lot's rule as the RC states it (absent: none). */
export function scoreLot(lot: ResolvedLot, offers: ReadonlyArray<{ bid: string; amount: number }>, marks: readonly Mark[], tieBreak: TieBreak = 'none'): OfferScore[] {
  if (offers.length === 0) return [];
  const byKey = new Map(marks.map((m) => [markKey(m), m]));
  const positive = offers.map((o) => o.amount).filter((a) => a > 0);
  const lowest = positive.length > 0 ? Math.min(...positive) : 0;
  const graded = (bid: string, criterion: number, sub: number | undefined, name: string, points: number): CriterionScore => {
    const mark = byKey.get(markKey({ lot: lot.number, bid, criterion, subCriterion: sub }))!;
    return {
      number: sub === undefined ? String(criterion) : `${criterion}.${sub}`,
      name,
      points,
      score: points * GRADES[mark.grade].share,
      basis: { kind: 'grade', grade: mark.grade, justification: mark.justification },
    };
  };
  const scored = offers.map(({ bid, amount }): OfferScore => {
    const criteria = lot.awardCriteria.map((c, i): CriterionScore => {
      if (isPriced(c)) {
        const method = c.priceScoring ?? 'lowest-over-price';
        return { number: String(i + 1), name: c.name, points: c.weight, score: pricePoints(method, c.weight, lowest, amount), basis: { kind: 'price', method, lowest, amount } };
      }
      if (c.subCriteria.length === 0) return graded(bid, i + 1, undefined, c.name, c.weight);
      const parts = c.subCriteria.map((s, j) => graded(bid, i + 1, j + 1, s.name, s.weight));
      return { number: String(i + 1), name: c.name, points: c.weight, score: parts.reduce((n, p) => n + p.score, 0), basis: { kind: 'parts' }, parts };
    });
    const total = criteria.reduce((n, c) => n + c.score, 0);
    return { bid, amount, criteria, total, printed: round2(total), rank: 0, tied: false };
  });
  // What the tie-break compares, larger first: the first non-price criterion's printed score, or the amount's opposite.
  const technical = lot.awardCriteria.findIndex((c) => !isPriced(c));
  const key = (s: OfferScore): number =>
    tieBreak === 'best-technical' ? (technical < 0 ? 0 : round2(s.criteria[technical]!.score)) : tieBreak === 'lowest-price' ? -round2(s.amount) : 0;
  scored.sort((a, b) => b.printed - a.printed || key(b) - key(a) || a.bid.localeCompare(b.bid));
  scored.forEach((s, i) => {
    const previous = scored[i - 1];
    s.rank = previous && previous.printed === s.printed && key(previous) === key(s) ? previous.rank : i + 1;
  });
  for (const s of scored) {
    s.tied = scored.some((o) => o !== s && o.rank === s.rank);
    if (tieBreak !== 'none' && scored.some((o) => o.printed === s.printed && o.rank !== s.rank)) s.tieBrokenBy = tieBreak;
  }
  return scored;
}
