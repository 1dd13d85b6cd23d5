/**
 * Whether an offer for a lot may be ranked: every minimum requirement of the lot (« exigence
 * minimale », eliminatory) is compared with the answer the bidder gave in the compliance matrix,
 * declared values converted to the threshold's unit; every line of the price schedule must carry a
 * readable unit price; the buyer's template must come back as generated. The stated amounts are
 * checked against quantity × unit price: the unit price prevails (as the RC states) and the amount
 * is rectified. Pure: the same bid and tender give the same verdict.
 */
import { formatThreshold } from '#src/core/model/metric.ts';
import type { Metric } from '#src/core/model/criterion.ts';
import type { ResolvedLot, ResolvedRequirement } from '#src/core/model/resolve-tender.ts';
import { convert, UNIT_NAMES, unitDefinition } from '#src/core/model/units.ts';
import { roundCents } from '#src/core/rules/money.ts';
import type { LotBid, RequirementAnswer } from './bid.ts';

/**
 * - `conforming`: may be ranked;
 * - `regularisable`: irregular for what is missing (an answer, a value), which the buyer may ask the
 *   bidder to complete (R2152-2) without changing the offer; not ranked until it is;
 * - `irregular`: a minimum requirement not met, a price missing, the template altered: eliminated;
 * - `unacceptable`: its amount exceeds the credits the buyer budgeted for the lot before launching
 *   the consultation (L2152-3), or the buyer decided so with the reason: eliminated;
 * - `inappropriate`: manifestly unrelated to the need, as the buyer decided with the reason (L2152-4): eliminated.
 * The last two come from the buyer's input (eliminations.ts), never from the bid alone.
 */
export type OfferStatus = 'conforming' | 'regularisable' | 'irregular' | 'unacceptable' | 'inappropriate';

export type IssueKind =
  | 'template-altered'
  | 'missing-answer'
  | 'declared-non-conform'
  | 'below-threshold'
  | 'missing-value'
  | 'unreadable-value'
  | 'missing-price'
  | 'unreadable-price'
  | 'unacceptable'
  | 'inappropriate';

export interface ConformityIssue {
  kind: IssueKind;
  /** Cell the buyer opens: « Lot 1!F7 »; empty for the buyer's own decision (unacceptable, inappropriate). */
  cell: string;
  /** Requirement reference, for answers. */
  reference?: string;
  /** In French, for the RAO and the letters. */
  reason: string;
  /** Whether the bidder may be asked to complete it (R2152-2). */
  regularisable: boolean;
}

export interface RectifiedLine {
  number: string;
  cell: string;
  declared: number;
  rectified: number;
}

export interface LotConformity {
  status: OfferStatus;
  issues: ConformityIssue[];
  /** Σ quantity × unit price excl. VAT, lines without a readable price counted 0: the amount examined. */
  amount: number;
  /** Lines whose stated amount was not quantity × unit price, rectified (the unit price prevails). */
  rectified: RectifiedLine[];
  /** The total the bidder's file states, when it differs from `amount` by a cent or more. */
  declaredTotal?: number;
  /** VAT rows and the total incl. VAT the bidder's file states wrongly, rectified from the unit prices; absent when all agree. */
  rectifiedTotals?: RectifiedTotal[];
}

export interface RectifiedTotal {
  /** « TVA 20 % », « Total TTC » */
  label: string;
  cell: string;
  declared: number;
  rectified: number;
}

/** The VAT rates of a lot's lines in percent, ascending, as its price schedule lists a VAT row for each (20 % when it has no line). */
export function vatRates(lot: Pick<ResolvedLot, 'lines'>): number[] {
  const rates = [...new Set(lot.lines.map((l) => l.vatRate))].sort((a, b) => a - b);
  return rates.length > 0 ? rates : [20];
}

const MAX_ALTERATIONS_LISTED = 10;

export function checkLotBid(lot: ResolvedLot, bid: LotBid): LotConformity {
  const issues: ConformityIssue[] = [];
  bid.alterations.slice(0, MAX_ALTERATIONS_LISTED).forEach((a) =>
    issues.push({
      kind: 'template-altered',
      cell: a.path,
      reason: `cellule verrouillée modifiée : attendu « ${a.expected} », trouvé « ${a.found} »`,
      regularisable: false,
    }),
  );
  if (bid.alterations.length > MAX_ALTERATIONS_LISTED) {
    issues.push({
      kind: 'template-altered',
      cell: bid.alterations[MAX_ALTERATIONS_LISTED]!.path,
      reason: `et ${bid.alterations.length - MAX_ALTERATIONS_LISTED} autres cellules verrouillées modifiées`,
      regularisable: false,
    });
  }
  const answers = new Map(bid.answers.map((a) => [a.reference, a]));
  for (const requirement of lot.requirements) {
    if (requirement.level !== 'minimum') continue;
    const issue = checkAnswer(requirement, answers.get(requirement.reference));
    if (issue) issues.push(issue);
  }
  let amount = 0;
  const rectified: RectifiedLine[] = [];
  // Excl.-VAT base of each rate, as the schedule's VAT formulas sum the line amounts before rounding.
  const bases = new Map<number, number>();
  for (const [i, line] of bid.prices.entries()) {
    if (line.unreadable !== undefined) {
      issues.push({ kind: 'unreadable-price', cell: line.cell, reason: `prix unitaire illisible (« ${line.unreadable} ») pour la ligne ${line.number} ${line.designation}`, regularisable: false });
      continue;
    }
    if (line.unitPrice === undefined) {
      issues.push({ kind: 'missing-price', cell: line.cell, reason: `prix unitaire absent pour la ligne ${line.number} ${line.designation}`, regularisable: false });
      continue;
    }
    const computed = roundCents(line.quantity * line.unitPrice);
    amount += computed;
    const rate = lot.lines[i]?.vatRate ?? 20;
    bases.set(rate, (bases.get(rate) ?? 0) + line.quantity * line.unitPrice);
    if (line.declaredAmount !== undefined && Math.abs(line.declaredAmount - computed) >= 0.01) {
      rectified.push({ number: line.number, cell: line.amountCell, declared: line.declaredAmount, rectified: computed });
    }
  }
  amount = roundCents(amount);
  const status: OfferStatus = issues.length === 0 ? 'conforming' : issues.every((i) => i.regularisable) ? 'regularisable' : 'irregular';
  const out: LotConformity = { status, issues, amount, rectified };
  if (bid.declaredTotal !== undefined && Math.abs(bid.declaredTotal - amount) >= 0.01) out.declaredTotal = bid.declaredTotal;
  const totals = rectifiedTotals(bid, amount, bases);
  if (totals.length > 0) out.rectifiedTotals = totals;
  return out;
}

/** The VAT rows and the total incl. VAT the file states, against the unit prices (which prevail): those off by a cent or more. */
function rectifiedTotals(bid: LotBid, amount: number, bases: ReadonlyMap<number, number>): RectifiedTotal[] {
  const out: RectifiedTotal[] = [];
  const vatAt = (rate: number) => roundCents((bases.get(rate) ?? 0) * (rate / 100));
  for (const row of bid.declaredVat ?? []) {
    const rectified = vatAt(row.rate ?? 20);
    if (Math.abs(row.amount - rectified) >= 0.01) out.push({ label: row.label, cell: row.cell, declared: row.amount, rectified });
  }
  const vat = [...bases.keys()].reduce((n, rate) => n + vatAt(rate), 0);
  const total = bid.declaredTotalInclVat;
  if (total) {
    const rectified = roundCents(amount + vat);
    if (Math.abs(total.amount - rectified) >= 0.01) out.push({ label: total.label, cell: total.cell, declared: total.amount, rectified });
  }
  return out;
}

function checkAnswer(requirement: ResolvedRequirement, answer: RequirementAnswer | undefined): ConformityIssue | undefined {
  const reference = requirement.reference;
  const base = { reference, cell: answer?.cell ?? reference };
  const threshold = formatThreshold(requirement.metric);
  if (answer === undefined || answer.conform === undefined) {
    const what = answer?.conformText !== undefined ? `réponse « ${answer.conformText} » au lieu de Oui ou Non` : 'pas de réponse';
    return { ...base, kind: 'missing-answer', reason: `${reference} (${requirement.label}) : ${what}`, regularisable: true };
  }
  if (answer.conform === 'no') {
    return { ...base, kind: 'declared-non-conform', reason: `${reference} (${requirement.label}) : le candidat déclare ne pas satisfaire l’exigence minimale (${threshold})`, regularisable: false };
  }
  const verdict = meets(requirement.metric, answer.value);
  if (verdict === 'missing') {
    return { ...base, kind: 'missing-value', reason: `${reference} (${requirement.label}) : valeur proposée non indiquée (exigé : ${threshold})`, regularisable: true };
  }
  if (verdict === 'unreadable') {
    return { ...base, kind: 'unreadable-value', reason: `${reference} (${requirement.label}) : valeur « ${answer.value} » illisible ou dans une unité qui ne se convertit pas (exigé : ${threshold})`, regularisable: true };
  }
  if (verdict === 'below') {
    return { ...base, kind: 'below-threshold', reason: `${reference} (${requirement.label}) : valeur déclarée « ${answer.value} », exigé ${threshold}`, regularisable: false };
  }
  return undefined;
}

type Verdict = 'meets' | 'below' | 'missing' | 'unreadable';

/** Whether a declared value meets a metric; boolean and text metrics rest on the Oui/Non answer alone. */
export function meets(metric: Metric, value: string | undefined): Verdict {
  if (metric.type === 'boolean' || metric.type === 'text') return 'meets';
  if (value === undefined) return 'missing';
  if (metric.type === 'enum') {
    const rank = (option: string) => metric.options.indexOf(option);
    const found = [...metric.options].reverse().find((o) => value.toLowerCase().includes(o.toLowerCase()));
    if (found === undefined) return 'unreadable';
    if (metric.comparator === 'eq') return found === metric.value ? 'meets' : 'below';
    return rank(found) >= rank(metric.value) ? 'meets' : 'below';
  }
  const declared = declaredQuantity(value, metric.unit);
  if (declared === undefined) return 'unreadable';
  if (metric.type === 'range') return declared >= metric.min && declared <= metric.max ? 'meets' : 'below';
  if (metric.comparator === 'gte') return declared >= metric.value ? 'meets' : 'below';
  if (metric.comparator === 'lte') return declared <= metric.value ? 'meets' : 'below';
  return declared === metric.value ? 'meets' : 'below';
}

/** Every spelling of a unit (its name, singular and plural as printed) → the unit, longest first. */
const UNIT_SPELLINGS: Array<[string, string]> = UNIT_NAMES.flatMap((name) => {
  const def = unitDefinition(name)!;
  return [...new Set([name, def.one, def.other])].map((spelling): [string, string] => [spelling.toLowerCase(), name]);
}).sort((a, b) => b[0].length - a[0].length);

/**
 * « 64 Go », « 1,5 To », « 12 h 30 » is not one quantity: the first number, and the unit written
 * right after it (case-insensitive) converted to `unit`; no unit: the threshold's own.
 */
export function declaredQuantity(text: string, unit: string): number | undefined {
  const m = /(-?\d{1,3}(?:[\s\u00a0\u202f]\d{3})+(?:[.,]\d+)?|-?\d+(?:[.,]\d+)?)\s*(.*)$/su.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]!.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
  if (!Number.isFinite(value)) return undefined;
  const rest = m[2]!.trim();
  if (rest === '') return value;
  const lower = rest.toLowerCase();
  const written = UNIT_SPELLINGS.find(([spelling]) => lower.startsWith(spelling));
  return written === undefined ? undefined : convert(value, written[1], unit);
}
