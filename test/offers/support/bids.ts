/**
 * Bids as bidders return them, built from the tender's own templates with exceljs (the library a
 * bidder's spreadsheet stands for here): the compliance matrix with answers, the price schedule
 * with unit prices and the amounts a spreadsheet caches after recomputing, or not.
 */
import ExcelJS from 'exceljs';
import type { Metric } from '#src/core/model/criterion.ts';
import type { ResolvedLine, ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { BidFiles } from '#src/adapters/offers/read-bid.ts';
import { ANSWER_COLUMNS, COMPLIANCE_HEADER_ROW, lotSheetName, renderComplianceMatrix } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { PRICE_HEADER_ROW, priceSheetName, renderPriceSchedule } from '#src/adapters/render/xlsx/price-schedule.ts';
import { vatRates } from '#src/core/offers/conformity.ts';

export interface Answer {
  conform?: string;
  value?: string;
  proof?: string;
}

export interface LotSpec {
  /** The answer to a requirement; default: a conforming one (meetingAnswer). */
  answer?: (requirement: ResolvedRequirement) => Answer | undefined;
  /** Unit price excl. VAT of a line. */
  unitPrice: (line: ResolvedLine, index: number) => number | string | undefined;
  /** The amount the spreadsheet caches for a line; default: the sheet's quantity × unit price, as a spreadsheet recomputes it. */
  cachedAmount?: (line: ResolvedLine, index: number, computed: number) => number;
  /** The VAT a spreadsheet caches for a rate (percent); default: the rate applied to the cached line amounts, rounded to the cent, as the sheet's formula does. */
  cachedVat?: (rate: number, computed: number) => number;
}

export interface BidSpec {
  id: string;
  name: string;
  siret: string;
  lots: Record<number, LotSpec>;
  /** Changes to the filled matrix before it is saved (tampering). */
  editMatrix?: (workbook: ExcelJS.Workbook) => void;
  editPrices?: (workbook: ExcelJS.Workbook) => void;
  /** The stored tender the bid answers: its workbooks carry its id (identity.ts); absent for a tender the CLI reads from its request. */
  tenderId?: string;
}

/** « Oui » with a value that meets the threshold exactly (a value in its own unit). */
export function meetingAnswer(requirement: ResolvedRequirement): Answer {
  return { conform: 'Oui', value: meetingValue(requirement.metric), proof: `Fiche technique, p. 2 (${requirement.reference})` };
}

export function meetingValue(metric: Metric): string | undefined {
  switch (metric.type) {
    case 'numeric':
      return `${String(metric.value).replace('.', ',')} ${metric.unit}`;
    case 'range':
      return `${String(metric.min).replace('.', ',')} ${metric.unit}`;
    case 'enum':
      return metric.value;
    default:
      return undefined;
  }
}

/** The blank templates of a tender, rendered once per tender id (sheet protection hashing makes a render take seconds). */
const blanks = new WeakMap<ResolvedTender, Map<string | undefined, Promise<[Uint8Array, Uint8Array]>>>();

export async function buildBid(tender: ResolvedTender, spec: BidSpec): Promise<BidFiles> {
  const framework = tender.request.contract.form === 'framework-agreement';
  if (!blanks.has(tender)) blanks.set(tender, new Map());
  const byId = blanks.get(tender)!;
  if (!byId.has(spec.tenderId)) byId.set(spec.tenderId, Promise.all([renderComplianceMatrix(tender, spec.tenderId), renderPriceSchedule(tender, { tenderId: spec.tenderId })]));
  const [blankMatrix, blankPrices] = await byId.get(spec.tenderId)!;
  const matrix = new ExcelJS.Workbook();
  await matrix.xlsx.load(blankMatrix as unknown as ArrayBuffer);
  const prices = new ExcelJS.Workbook();
  await prices.xlsx.load(blankPrices as unknown as ArrayBuffer);
  for (const lot of tender.lots) {
    const lotSpec = spec.lots[lot.number];
    if (!lotSpec) continue;
    const sheet = matrix.getWorksheet(lotSheetName(lot))!;
    lot.requirements.forEach((requirement, i) => {
      const answer = lotSpec.answer ? lotSpec.answer(requirement) : meetingAnswer(requirement);
      if (!answer) return;
      const row = sheet.getRow(COMPLIANCE_HEADER_ROW + 1 + i);
      if (answer.conform !== undefined) row.getCell(ANSWER_COLUMNS.conform).value = answer.conform;
      if (answer.value !== undefined) row.getCell(ANSWER_COLUMNS.value).value = answer.value;
      if (answer.proof !== undefined) row.getCell(ANSWER_COLUMNS.proof).value = answer.proof;
    });
    const amounts = prices.getWorksheet(priceSheetName(framework ? 'DQE' : 'DPGF', lot))!;
    const unitSheet = framework ? prices.getWorksheet(priceSheetName('BPU', lot))! : amounts;
    let total = 0;
    const cachedAmounts: number[] = [];
    lot.lines.forEach((line, i) => {
      const r = PRICE_HEADER_ROW + 1 + i;
      const price = lotSpec.unitPrice(line, i);
      unitSheet.getRow(r).getCell(framework ? 4 : 5).value = price ?? null;
      const numeric = typeof price === 'number' ? price : 0;
      // What the sheet's formula multiplies: its own quantity cell (1 for a lump-sum line), not the line's.
      const held = amounts.getRow(r).getCell(4).value;
      // A quantity read from the sites sheet is a formula: its cached result is the quantity.
      const quantity = Number(typeof held === 'object' && held !== null && 'result' in held ? held.result : held);
      const computed = Math.round(quantity * numeric * 100) / 100;
      const cached = lotSpec.cachedAmount ? lotSpec.cachedAmount(line, i, computed) : computed;
      total += cached;
      cachedAmounts.push(cached);
      if (framework) {
        const cell = amounts.getRow(r).getCell(5);
        cell.value = { formula: (cell.value as { formula: string }).formula, result: numeric };
      }
      const amount = amounts.getRow(r).getCell(6);
      amount.value = { formula: (amount.value as { formula: string }).formula, result: cached };
    });
    const htRow = PRICE_HEADER_ROW + lot.lines.length + 1;
    const cache = (row: number, result: number) => {
      const cell = amounts.getRow(row).getCell(6);
      cell.value = { formula: (cell.value as { formula: string }).formula, result };
    };
    cache(htRow, Math.round(total * 100) / 100);
    // The VAT rows and the total incl. VAT, recomputed from the cached amounts as the sheet's formulas do.
    let vat = 0;
    vatRates(lot).forEach((rate, k) => {
      const base = lot.lines.reduce((n, line, i) => (line.vatRate === rate ? n + cachedAmounts[i]! : n), 0);
      const computed = Math.round(base * rate) / 100;
      const cached = lotSpec.cachedVat ? lotSpec.cachedVat(rate, computed) : computed;
      vat += cached;
      cache(htRow + 1 + k, cached);
    });
    cache(htRow + 1 + vatRates(lot).length, Math.round((total + vat) * 100) / 100);
  }
  spec.editMatrix?.(matrix);
  spec.editPrices?.(prices);
  return {
    bidder: { id: spec.id, name: spec.name, siret: spec.siret },
    matrix: { name: `${spec.id}-cadre-de-reponse.xlsx`, bytes: new Uint8Array(await matrix.xlsx.writeBuffer()) },
    prices: { name: `${spec.id}-bordereau-des-prix.xlsx`, bytes: new Uint8Array(await prices.xlsx.writeBuffer()) },
  };
}

/** SIRETs that pass the check digit (Luhn), one per bidder of the tests. */
export const SIRETS = ['73282932000074', '55208131766522', '44306184100047', '38012986643097', '51234567800019', '40483304800022'] as const;
