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
 */
import type ExcelJS from 'exceljs';
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import {
  BOLD,
  COLORS,
  GRID,
  MONEY_FORMAT,
  QUANTITY_FORMAT,
  addRangeValidation,
  createWorkbook,
  markAnswerCell,
  packWorkbook,
  protectSheet,
  setupPrint,
  styleHeaderRow,
  writeTitle,
} from './workbook.ts';

export const VAT_RATE = 0.2;
/** Row of the column headers on every schedule sheet; item lines start on the next row. */
export const PRICE_HEADER_ROW = 3;

export interface PriceScheduleOptions {
  /** Fill the unit prices with the buyer's estimates instead of leaving them blank. */
  prefillEstimates?: boolean;
}

export type PriceSheetKind = 'DPGF' | 'BPU' | 'DQE';

export function priceSheetName(kind: PriceSheetKind, lot: ResolvedLot): string {
  return `${kind} lot ${lot.number}`;
}

const NON_NEGATIVE_PRICE: ExcelJS.DataValidation = {
  type: 'decimal',
  operator: 'greaterThanOrEqual',
  allowBlank: true,
  formulae: [0],
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: 'Prix unitaire',
  error: 'Indiquez un prix unitaire hors taxes positif ou nul, en euros.',
};

interface LineCells {
  quantity: number;
  price: number | null;
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

  for (const lot of tender.lots) {
    const lines = lot.lines.map((l): LineCells => ({ quantity: l.quantity, price: prefill ? (l.estimatedUnitPrice ?? null) : null }));
    if (!framework) {
      const sheet = addSheet(workbook, priceSheetName('DPGF', lot));
      writeTitle(
        sheet,
        6,
        `DPGF — Lot ${lot.number} — ${lot.title}`,
        `${consultation} Indiquez le prix unitaire hors taxes de chaque ligne ; les montants et totaux se calculent seuls. Le prix global et forfaitaire du lot est le total TTC.${estimateNote}`,
      );
      writeAmounts(sheet, lot, lines, null, footer);
      await protectSheet(sheet);
    } else {
      const bpu = addSheet(workbook, priceSheetName('BPU', lot));
      writeTitle(
        bpu,
        4,
        `BPU — Lot ${lot.number} — ${lot.title}`,
        `${consultation} Indiquez le prix unitaire hors taxes de chaque article ; ces prix sont contractuels et s’appliquent à chaque bon de commande.${estimateNote}`,
      );
      writeUnitPrices(bpu, lot, lines, footer);
      await protectSheet(bpu);
      const dqe = addSheet(workbook, priceSheetName('DQE', lot));
      writeTitle(
        dqe,
        6,
        `DQE — Lot ${lot.number} — ${lot.title}`,
        `${consultation} Détail quantitatif estimatif : les prix unitaires sont repris du BPU et appliqués à des quantités estimatives, sans engagement de commande. Le total sert uniquement à comparer les offres.`,
      );
      writeAmounts(dqe, lot, lines, priceSheetName('BPU', lot), footer);
      await protectSheet(dqe);
    }
  }
  return packWorkbook(workbook, createdAt);
}

function addSheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  return workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: PRICE_HEADER_ROW }] });
}

function writeUnitPrices(sheet: ExcelJS.Worksheet, lot: ResolvedLot, lines: LineCells[], footer: string): void {
  sheet.columns = [{ width: 8 }, { width: 60 }, { width: 14 }, { width: 18 }];
  const header = sheet.getRow(PRICE_HEADER_ROW);
  header.values = ['N°', 'Désignation', 'Unité', 'Prix unitaire HT'];
  header.height = 30;
  styleHeaderRow(header);
  lot.lines.forEach((line, i) => {
    const row = sheet.getRow(PRICE_HEADER_ROW + 1 + i);
    row.values = [`${lot.number}.${i + 1}`, line.item.label, line.item.unit, lines[i]!.price];
    styleLine(row, 4);
    const price = row.getCell(4);
    markAnswerCell(price);
    price.numFmt = MONEY_FORMAT;
  });
  if (lot.lines.length > 0) {
    addRangeValidation(sheet, `D${PRICE_HEADER_ROW + 1}:D${PRICE_HEADER_ROW + lot.lines.length}`, NON_NEGATIVE_PRICE);
  }
  setupPrint(sheet, PRICE_HEADER_ROW, footer);
}

/**
 * Line amounts and totals. Without `bpuSheet` the unit prices are answer cells on this sheet
 * (DPGF); with it they are formulas reading column D of the BPU (DQE).
 */
function writeAmounts(sheet: ExcelJS.Worksheet, lot: ResolvedLot, lines: LineCells[], bpuSheet: string | null, footer: string): void {
  sheet.columns = [{ width: 8 }, { width: 56 }, { width: 14 }, { width: 14 }, { width: 18 }, { width: 20 }];
  const header = sheet.getRow(PRICE_HEADER_ROW);
  header.values = ['N°', 'Désignation', 'Unité', bpuSheet ? 'Quantité estimée' : 'Quantité', 'Prix unitaire HT', 'Montant HT'];
  header.height = 30;
  styleHeaderRow(header);

  const first = PRICE_HEADER_ROW + 1;
  let totalHt = 0;
  lot.lines.forEach((line, i) => {
    const r = first + i;
    const { quantity, price } = lines[i]!;
    const amount = quantity * (price ?? 0);
    totalHt += amount;
    const row = sheet.getRow(r);
    row.values = [`${lot.number}.${i + 1}`, line.item.label, line.item.unit, quantity];
    row.getCell(5).value = bpuSheet ? { formula: `'${bpuSheet}'!D${r}`, result: price ?? 0 } : price;
    row.getCell(6).value = { formula: `D${r}*E${r}`, result: amount };
    styleLine(row, 6);
    row.getCell(4).numFmt = QUANTITY_FORMAT;
    row.getCell(5).numFmt = MONEY_FORMAT;
    row.getCell(6).numFmt = MONEY_FORMAT;
    if (!bpuSheet) markAnswerCell(row.getCell(5));
  });
  const last = first + lot.lines.length - 1;
  if (!bpuSheet && lot.lines.length > 0) addRangeValidation(sheet, `E${first}:E${last}`, NON_NEGATIVE_PRICE);

  const ht = last + 1;
  const vat = ht + 1;
  const ttc = ht + 2;
  const vatAmount = roundCents(totalHt * VAT_RATE);
  writeTotal(sheet, ht, 'Total HT', lot.lines.length > 0 ? { formula: `SUM(F${first}:F${last})`, result: totalHt } : 0);
  writeTotal(sheet, vat, `TVA ${VAT_RATE * 100} %`, { formula: `ROUND(F${ht}*${VAT_RATE},2)`, result: vatAmount });
  writeTotal(sheet, ttc, 'Total TTC', { formula: `F${ht}+F${vat}`, result: totalHt + vatAmount });
  setupPrint(sheet, PRICE_HEADER_ROW, footer);
}

function writeTotal(sheet: ExcelJS.Worksheet, rowNumber: number, label: string, value: ExcelJS.CellValue): void {
  const row = sheet.getRow(rowNumber);
  sheet.mergeCells(rowNumber, 1, rowNumber, 5);
  row.getCell(1).value = label;
  row.getCell(1).alignment = { horizontal: 'right' };
  row.getCell(6).value = value;
  row.getCell(6).numFmt = MONEY_FORMAT;
  row.font = BOLD;
  for (let column = 1; column <= 6; column++) {
    const cell = row.getCell(column);
    cell.border = GRID;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLORS.totalFill } };
  }
}

function styleLine(row: ExcelJS.Row, columns: number): void {
  for (let column = 1; column <= columns; column++) {
    const cell = row.getCell(column);
    cell.border = GRID;
    cell.alignment = { vertical: 'top', wrapText: column === 2 };
  }
}

function roundCents(euros: number): number {
  return Math.round(euros * 100) / 100;
}
