/**
 * Offers the buyer eliminates that are not irregular (L2152-1): unacceptable, whose price exceeds
 * the credits budgeted for the market, determined and established before the consultation was
 * launched (L2152-3), and inappropriate, manifestly unable to meet the need without a substantial
 * change (L2152-4). Both are the buyer's to establish, so both come from the buyer's input, as data:
 * - `budgets`: the credits of a lot excl. VAT and the date they were established (on or before the
 *   launch); an offer whose amount examined exceeds them is unacceptable. Neither the estimate nor a
 *   framework agreement's maximum stands for them (the law records' note says why);
 * - `eliminations`: the buyer's decision on one offer, with the reason the RAO and the letter print.
 * A decision takes precedence over what the check found; the budget applies to offers the check
 * left conforming or regularisable (an irregular offer is eliminated already).
 */
import * as z from 'zod';
import { ValidationError, type Issue } from '#src/core/model/errors.ts';
import { formatMoney } from '#src/core/model/format.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { BidIdSchema } from './bid.ts';
import type { LotConformity } from './conformity.ts';
import { MIN_REASON_CHARS } from './decision-limits.ts';

export { MIN_REASON_CHARS };

export const BudgetSchema = z.strictObject({
  lot: z.number().int().positive().max(50),
  amount: z.number().positive().max(1e12).describe('Credits budgeted for the lot, excl. VAT, in euros'),
  establishedOn: z.iso.date().describe('Date the credits were determined and established: on or before the launch of the consultation (L2152-3)'),
});
export type Budget = z.infer<typeof BudgetSchema>;

export const EliminationSchema = z.strictObject({
  lot: z.number().int().positive().max(50),
  bid: BidIdSchema,
  category: z.enum(['unacceptable', 'inappropriate']).describe('unacceptable: price above the budgeted credits (L2152-3); inappropriate: manifestly unrelated to the need (L2152-4)'),
  reason: z
    .string({ error: 'an elimination needs the reason the bidder is told' })
    .trim()
    .min(MIN_REASON_CHARS, `a reason states what the decision rests on, in at least ${MIN_REASON_CHARS} characters`)
    .max(2_000)
    .describe('In French, printed in the RAO and in the letter to the bidder'),
});
export type Elimination = z.infer<typeof EliminationSchema>;

export interface EliminationInput {
  budgets: readonly Budget[];
  eliminations: readonly Elimination[];
}

export const NO_ELIMINATIONS: EliminationInput = { budgets: [], eliminations: [] };

/** Refuses budgets established after the launch or given twice, and decisions on an offer the tender did not receive. */
export function checkEliminations(tender: ResolvedTender, offers: ReadonlyArray<{ lot: number; bid: string }>, input: EliminationInput): void {
  const issues: Issue[] = [];
  const lots = new Set(tender.lots.map((l) => l.number));
  const seen = new Set<number>();
  input.budgets.forEach((b, i) => {
    if (!lots.has(b.lot)) issues.push({ path: `budgets.${i}.lot`, message: `the tender has no lot ${b.lot}` });
    if (seen.has(b.lot)) issues.push({ path: `budgets.${i}.lot`, message: `a second budget for lot ${b.lot}` });
    seen.add(b.lot);
    if (b.establishedOn > tender.request.consultationDate) {
      issues.push({ path: `budgets.${i}.establishedOn`, message: `credits established after the launch of the consultation (${tender.request.consultationDate}) cannot make an offer unacceptable (L2152-3)` });
    }
  });
  const decided = new Set<string>();
  input.eliminations.forEach((e, i) => {
    const key = `${e.lot}/${e.bid}`;
    if (!offers.some((o) => o.lot === e.lot && o.bid === e.bid)) issues.push({ path: `eliminations.${i}`, message: `no offer "${e.bid}" in lot ${e.lot}` });
    else if (decided.has(key)) issues.push({ path: `eliminations.${i}`, message: 'a second decision on the same offer' });
    decided.add(key);
  });
  if (issues.length > 0) throw new ValidationError(issues);
}

/** The offer's verdict once the buyer's decision or the lot's budget applies; the verdict itself when neither does. */
export function applyEliminations(lot: number, bid: string, conformity: LotConformity, input: EliminationInput): LotConformity {
  const decision = input.eliminations.find((e) => e.lot === lot && e.bid === bid);
  if (decision) {
    return { ...conformity, status: decision.category, issues: [{ kind: decision.category, cell: '', reason: decision.reason, regularisable: false }, ...conformity.issues] };
  }
  const budget = input.budgets.find((b) => b.lot === lot);
  if (budget && (conformity.status === 'conforming' || conformity.status === 'regularisable') && conformity.amount > budget.amount) {
    // Bidder-safe: the letter prints this reason, and the credits are the buyer's own (the RAO states them).
    const reason = `le montant examiné de l’offre (${formatMoney(conformity.amount)} HT) excède les crédits budgétaires alloués au lot, déterminés et établis avant le lancement de la consultation`;
    return { ...conformity, status: 'unacceptable', issues: [{ kind: 'unacceptable', cell: '', reason, regularisable: false }, ...conformity.issues] };
  }
  return conformity;
}
