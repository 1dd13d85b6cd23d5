/**
 * Price schedules the bidder fills in, from the lots' item lines.
 *
 * - Ordinary contract: a DPGF per lot (décomposition du prix global et forfaitaire): each line
 *   with its quantity, a unit price to fill in and the line amount = quantity × unit price,
 *   then total excl. VAT, VAT at 20 % and total incl. VAT.
 * - Framework agreement: per lot, a BPU (bordereau des prix unitaires: the contractual unit
 *   prices) and a DQE (détail quantitatif estimatif: estimated quantities × BPU prices, used only
 *   to compare offers) whose unit prices are formulas reading the BPU, with the same totals.
 *
 * Every computed cell is a formula with its cached result, so a reader that does not compute
 * still shows a value; Excel recomputes on opening. With `prefillEstimates` the unit prices are
 * the buyer's estimates (an internal estimate, and how the tests check the formulas).
 *
 * A version 2 request adds, per lot: a « Sites » sheet of quantities per delivery site whose
 * column totals are the schedule's quantities (live formulas), a sheet per priced option (PSE),
 * VAT at each line's rate, lump-sum lines as one « forfait », and each line's tranche.
 */
import type { ResolvedLine, ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { isV2 } from '#src/core/model/tender-request-v2.ts';
import { formatDecimal } from '#src/core/model/format.ts';
import { lineNumber, optionLineNumber } from '#src/core/documents/lot-terms.ts';
import { columnLetter, quoteSheet, type CellValue, type DataValidation, type Spreadsheet, type Worksheet } from './spreadsheet.ts';
import { ANSWER, BOLD, COLORS, GRID, MONEY_FORMAT, QUANTITY_FORMAT, createWorkbook, packWorkbook, protectSheet, setupPrint, styleHeaderRow, writeTitle } from './workbook.ts';
import { templateIdentity, writeIdentitySheet } from './identity.ts';

export const VAT_RATE = 0.2;
/** Row of the column headers on every schedule sheet; item lines start on the next row. */
export const PRICE_HEADER_ROW = 3;

export interface PriceScheduleOptions {
  /** Fill the unit prices with the buyer's estimates instead of leaving them blank. */
  prefillEstimates?: boolean;
  /** The stored tender's id, written with the request's fingerprint in the hidden identity sheet (identity.ts). */
  tenderId?: string | undefined;
}

export type PriceSheetKind = 'DPGF' | 'BPU' | 'DQE';

export function priceSheetName(kind: PriceSheetKind, lot: Pick<ResolvedLot, 'number'>): string {
  return `${kind} lot ${lot.number}`;
}

/** The sheet of a lot's priced option (PSE). */
export const optionSheetName = (lot: Pick<ResolvedLot, 'number'>, option: number): string => `PSE ${option} lot ${lot.number}`;
/** The sheet of a lot's quantities per delivery site. */
export const sitesSheetName = (lot: Pick<ResolvedLot, 'number'>): string => `Sites lot ${lot.number}`;
/** Row of the column headers of a sites sheet; sites start on the next row. */
export const SITES_HEADER_ROW = 3;

const nonNegativePrice = (range: string): DataValidation => ({
  range,
  type: 'decimal',
  operator: 'greaterThanOrEqual',
  allowBlank: true,
  formulae: ['0'],
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: 'Prix unitaire',
  error: 'Indiquez un prix unitaire hors taxes positif ou nul, en euros.',
});

/** One priced line of a schedule sheet. */
interface ScheduleRow {
  number: string;
  label: string;
  unit: string;
  quantity: number;
  /** Formula giving the quantity (a column total of the sites sheet), when it has one. */
  quantityFormula?: string;
  price: number | null;
  /** Percent. */
  vatRate: number;
}

export async function renderPriceSchedule(tender: ResolvedTender, options: PriceScheduleOptions = {}): Promise<Uint8Array> {
  const { request } = tender;
  const framework = request.contract.form === 'framework-agreement';
  const createdAt = `${request.consultationDate}T00:00:00.000Z`;
  const workbook = createWorkbook({
    title: `${framework ? 'BPU et DQE' : 'DPGF'} — ${request.title}`,
    subject: `${framework ? 'Bordereau des prix unitaires et détail quantitatif estimatif' : 'Décomposition du prix global et forfaitaire'} — ${request.buyer.name}`,
    author: request.buyer.name,
    keywords: ['bordereau des prix', framework ? 'BPU' : 'DPGF', ...(framework ? ['DQE'] : []), 'commande publique'],
    createdAt,
  });
  const footer = request.reference ? `Bordereau des prix ${request.reference}` : `Bordereau des prix — ${request.buyer.name}`;
  const prefill = options.prefillEstimates === true;
  const consultation = `Consultation « ${request.title} »${request.reference ? ` (${request.reference})` : ''}.`;
  const estimateNote = prefill ? ' Prix unitaires pré-remplis avec l’estimation de l’acheteur : document interne, à ne pas publier.' : '';

  const v2 = isV2(tender.source);
  const trancheNames = new Map((request.contract.tranches?.optional ?? []).map((t, i) => [t.id, `tranche optionnelle ${i + 1}`]));
  const row = (line: ResolvedLine, number: string, inTranche = true): ScheduleRow => {
    const lumpSum = v2 && line.pricing === 'lump-sum';
    const tranche = v2 && inTranche && request.contract.tranches ? ` — ${line.tranche === undefined ? 'tranche ferme' : (trancheNames.get(line.tranche) ?? line.tranche)}` : '';
    return {
      number,
      label: `${line.item.label}${tranche}`,
      unit: lumpSum ? 'forfait' : line.item.unit,
      quantity: lumpSum ? 1 : line.quantity,
      price: prefill ? (line.estimatedUnitPrice ?? null) : null,
      vatRate: line.vatRate,
    };
  };

  for (const lot of tender.lots) {
    const lines = lot.lines.map((l, i) => row(l, lineNumber(lot, i)));
    const split = v2 ? splitLines(lot, lines) : [];
    if (!framework) {
      const sheet = addSheet(workbook, priceSheetName('DPGF', lot));
      writeTitle(
        sheet,
        6,
        `DPGF — Lot ${lot.number} — ${lot.title}`,
        `${consultation} Indiquez le prix unitaire hors taxes de chaque ligne ; les montants et totaux se calculent seuls. Le prix global et forfaitaire du lot est le total TTC.${estimateNote}`,
      );
      writeAmounts(sheet, lines, null, footer);
      protectSheet(sheet);
    } else {
      const bpu = addSheet(workbook, priceSheetName('BPU', lot));
      writeTitle(
        bpu,
        4,
        `BPU — Lot ${lot.number} — ${lot.title}`,
        `${consultation} Indiquez le prix unitaire hors taxes de chaque article ; ces prix sont contractuels et s’appliquent à chaque bon de commande.${estimateNote}`,
      );
      writeUnitPrices(bpu, lines, footer);
      protectSheet(bpu);
      const dqe = addSheet(workbook, priceSheetName('DQE', lot));
      writeTitle(
        dqe,
        6,
        `DQE — Lot ${lot.number} — ${lot.title}`,
        `${consultation} Détail quantitatif estimatif : les prix unitaires sont repris du BPU et appliqués à des quantités estimatives, sans engagement de commande. Le total sert uniquement à comparer les offres.`,
      );
      writeAmounts(dqe, lines, priceSheetName('BPU', lot), footer);
      protectSheet(dqe);
    }
    if (split.length > 0) {
      const sheet = addSheet(workbook, sitesSheetName(lot));
      writeTitle(
        sheet,
        2 + split.length,
        `Quantités par site — Lot ${lot.number} — ${lot.title}`,
        `${consultation} Quantités à livrer sur chaque site ; leur total par ligne est la quantité reprise au bordereau.`,
      );
      writeSites(sheet, lot, split, footer);
      protectSheet(sheet);
    }
    for (const option of lot.options) {
      const sheet = addSheet(workbook, optionSheetName(lot, option.number));
      writeTitle(
        sheet,
        6,
        `Option ${option.number} (PSE) — Lot ${lot.number} — ${option.label}`,
        `${consultation} Prestation supplémentaire éventuelle, chiffrée à part : ${option.description} Indiquez le prix unitaire hors taxes de chaque ligne ; l’acheteur décide de retenir l’option ou non.${estimateNote}`,
      );
      const rows =
        option.lines.length > 0
          ? option.lines.map((l, j) => row(l, optionLineNumber(lot, option.number, j), false))
          : [{ number: optionLineNumber(lot, option.number, 0), label: option.label, unit: 'forfait', quantity: 1, price: prefill ? (option.estimatedAmount ?? null) : null, vatRate: 20 }];
      writeAmounts(sheet, rows, null, footer);
      protectSheet(sheet);
    }
  }
  writeIdentitySheet(workbook, templateIdentity(tender, 'bordereau-des-prix', options.tenderId));
  return packWorkbook(workbook);
}

function addSheet(workbook: Spreadsheet, name: string): Worksheet {
  const sheet = workbook.addSheet(name);
  sheet.frozen = { rows: PRICE_HEADER_ROW };
  return sheet;
}

function writeUnitPrices(sheet: Worksheet, lines: ScheduleRow[], footer: string): void {
  sheet.widths.push(8, 60, 14, 18);
  sheet.setRow(PRICE_HEADER_ROW, ['N°', 'Désignation', 'Unité', 'Prix unitaire HT']);
  sheet.height(PRICE_HEADER_ROW, 30);
  styleHeaderRow(sheet, PRICE_HEADER_ROW, 4);
  lines.forEach((line, i) => {
    const r = PRICE_HEADER_ROW + 1 + i;
    sheet.setRow(r, [line.number, line.label, line.unit, line.price]);
    styleLine(sheet, r, 4);
    sheet.style(r, 4, { ...ANSWER, numFmt: MONEY_FORMAT });
  });
  if (lines.length > 0) sheet.validate(nonNegativePrice(`D${PRICE_HEADER_ROW + 1}:D${PRICE_HEADER_ROW + lines.length}`));
  setupPrint(sheet, PRICE_HEADER_ROW, footer);
}

/**
 * Line amounts and totals. Without `bpuSheet` the unit prices are answer cells on this sheet
 * (DPGF); with it they are formulas reading column D of the BPU (DQE).
 */
function writeAmounts(sheet: Worksheet, lines: ScheduleRow[], bpuSheet: string | null, footer: string): void {
  sheet.widths.push(8, 56, 14, 14, 18, 20);
  sheet.setRow(PRICE_HEADER_ROW, ['N°', 'Désignation', 'Unité', bpuSheet ? 'Quantité estimée' : 'Quantité', 'Prix unitaire HT', 'Montant HT']);
  sheet.height(PRICE_HEADER_ROW, 30);
  styleHeaderRow(sheet, PRICE_HEADER_ROW, 6);

  const first = PRICE_HEADER_ROW + 1;
  let totalHt = 0;
  lines.forEach((line, i) => {
    const r = first + i;
    const { quantity, price } = line;
    const amount = quantity * (price ?? 0);
    totalHt += amount;
    sheet.setRow(r, [
      line.number,
      line.label,
      line.unit,
      line.quantityFormula ? { formula: line.quantityFormula, result: quantity } : quantity,
      bpuSheet ? { formula: `${quoteSheet(bpuSheet)}!D${r}`, result: price ?? 0 } : price,
      { formula: `D${r}*E${r}`, result: amount },
    ]);
    styleLine(sheet, r, 6);
    sheet.style(r, 4, { numFmt: QUANTITY_FORMAT });
    sheet.style(r, 5, { numFmt: MONEY_FORMAT, ...(bpuSheet ? {} : ANSWER) });
    sheet.style(r, 6, { numFmt: MONEY_FORMAT });
  });
  const last = first + lines.length - 1;
  if (!bpuSheet && lines.length > 0) sheet.validate(nonNegativePrice(`E${first}:E${last}`));

  const ht = last + 1;
  writeTotal(sheet, ht, 'Total HT', lines.length > 0 ? { formula: `SUM(F${first}:F${last})`, result: totalHt } : 0);
  // One VAT row per rate the lines use (20 % when they all do, as version 1 always had).
  const rates = [...new Set(lines.map((l) => l.vatRate))].sort((a, b) => a - b);
  if (rates.length === 0) rates.push(VAT_RATE * 100);
  let vatTotal = 0;
  rates.forEach((rate, k) => {
    const factor = rate / 100;
    const rows = lines.flatMap((l, i) => (l.vatRate === rate ? [first + i] : []));
    const base = rates.length === 1 ? totalHt : rows.reduce((n, r) => n + lines[r - first]!.quantity * (lines[r - first]!.price ?? 0), 0);
    const amount = roundCents(base * factor);
    vatTotal += amount;
    const formula = rates.length === 1 ? `ROUND(F${ht}*${factor},2)` : `ROUND((${rows.map((r) => `F${r}`).join('+')})*${factor},2)`;
    writeTotal(sheet, ht + 1 + k, `TVA ${formatDecimal(rate)} %`, { formula, result: amount });
  });
  const ttc = ht + 1 + rates.length;
  writeTotal(sheet, ttc, 'Total TTC', { formula: `F${ht}+${rates.map((_, k) => `F${ht + 1 + k}`).join('+')}`, result: totalHt + vatTotal });
  setupPrint(sheet, PRICE_HEADER_ROW, footer);
}

/**
 * The lines of a lot split by site, each a column of its sites sheet; the schedule's quantity of
 * each (but a lump sum's) becomes a formula reading its column's total.
 */
function splitLines(lot: ResolvedLot, lines: ScheduleRow[]): Array<{ line: ResolvedLine; row: ScheduleRow }> {
  const split = lot.lines.flatMap((line, i) => (line.sites.length > 0 ? [{ line, row: lines[i]! }] : []));
  const totalRow = SITES_HEADER_ROW + lot.sites.length + 1;
  split.forEach(({ row }, j) => {
    if (row.unit !== 'forfait') row.quantityFormula = `${quoteSheet(sitesSheetName(lot))}!${columnLetter(3 + j)}${totalRow}`;
  });
  return split;
}

/** A lot's quantities per delivery site: a row per site, a column per line split by site, a total row. */
function writeSites(sheet: Worksheet, lot: ResolvedLot, split: Array<{ line: ResolvedLine; row: ScheduleRow }>, footer: string): void {
  const columns = 2 + split.length;
  sheet.widths.push(40, 12, ...split.map(() => 18));
  sheet.setRow(SITES_HEADER_ROW, ['Site', 'UAI', ...split.map(({ row }) => `${row.number} ${row.label} (${row.unit})`)]);
  sheet.height(SITES_HEADER_ROW, 45);
  styleHeaderRow(sheet, SITES_HEADER_ROW, columns);
  const first = SITES_HEADER_ROW + 1;
  lot.sites.forEach((site, k) => {
    sheet.setRow(first + k, [site.name, site.uai ?? '', ...split.map(({ line }) => line.sites.find((s) => s.site.id === site.id)?.quantity ?? 0)]);
    styleLine(sheet, first + k, columns);
    sheet.styleRange(first + k, 3, columns, { numFmt: QUANTITY_FORMAT });
  });
  const last = first + lot.sites.length - 1;
  const total = last + 1;
  sheet.set(total, 1, 'Total');
  split.forEach(({ line }, j) => {
    const column = columnLetter(3 + j);
    sheet.set(total, 3 + j, { formula: `SUM(${column}${first}:${column}${last})`, result: line.quantity }, { numFmt: QUANTITY_FORMAT });
  });
  sheet.styleRange(total, 1, columns, { font: BOLD });
  styleLine(sheet, total, columns);
  setupPrint(sheet, SITES_HEADER_ROW, footer);
}

function writeTotal(sheet: Worksheet, row: number, label: string, value: CellValue): void {
  sheet.merge(row, 1, row, 5);
  sheet.styleRange(row, 1, 6, { font: BOLD, fill: COLORS.totalFill, ...GRID });
  sheet.styleRange(row, 1, 5, { alignment: { horizontal: 'right' } });
  sheet.set(row, 1, label);
  sheet.set(row, 6, value, { numFmt: MONEY_FORMAT });
}

function styleLine(sheet: Worksheet, row: number, columns: number): void {
  for (let column = 1; column <= columns; column++) sheet.style(row, column, { ...GRID, alignment: { vertical: 'top', wrapText: column === 2 } });
}

function roundCents(euros: number): number {
  return Math.round(euros * 100) / 100;
}
