/**
 * What the Cahier workbooks (compliance matrix, price schedules, reports) share: document
 * properties, cell styles, sheet protection and print setup, over our own SpreadsheetML writer
 * (spreadsheet.ts, spreadsheet-package.ts).
 *
 * Protection: every sheet is protected without a password (a password needs a random salt, and a
 * bidder template only guards against accidental edits), cells are locked by default and only the
 * answer cells are unlocked. The workbook structure of a bidder template is locked too (no sheet
 * added, removed or renamed).
 */
import { Spreadsheet, type CellStyle, type Font, type Worksheet, type WorkbookMeta } from './spreadsheet.ts';
import { packSpreadsheet } from './spreadsheet-package.ts';

export const COLORS = {
  accent: 'FF1F3A5F',
  headerFill: 'FFE3E9F0',
  answerFill: 'FFFFF6D5',
  totalFill: 'FFF2F4F7',
  grid: 'FFB4BEC8',
  muted: 'FF5B6670',
} as const;

export const BOLD: Font = { bold: true };

export const MONEY_FORMAT = '#,##0.00\\ "€"';
export const QUANTITY_FORMAT = '#,##0';

/** A workbook in French, dated `createdAt`. */
export function createWorkbook(meta: WorkbookMeta): Spreadsheet {
  return new Spreadsheet({ ...meta, language: 'fr-FR' });
}

/** Thin grid border. */
export const GRID: CellStyle = { border: COLORS.grid };

/** A column header row, columns 1 to `columns`. */
export function styleHeaderRow(sheet: Worksheet, row: number, columns: number): void {
  sheet.styleRange(row, 1, columns, {
    font: { ...BOLD, color: COLORS.accent },
    alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
    fill: COLORS.headerFill,
    ...GRID,
  });
}

/** Title line and an explanatory line above a table, each merged across its width. */
export function writeTitle(sheet: Worksheet, columns: number, title: string, note: string): void {
  sheet.merge(1, 1, 1, columns);
  sheet.merge(2, 1, 2, columns);
  // The merged cells take the style of the first, as spreadsheets do when they merge.
  sheet.styleRange(1, 1, columns, { font: { ...BOLD, size: 13, color: COLORS.accent }, alignment: { vertical: 'middle', wrapText: true } });
  sheet.set(1, 1, title);
  sheet.height(1, 24);
  sheet.styleRange(2, 1, columns, { font: { italic: true, color: COLORS.muted }, alignment: { vertical: 'top', wrapText: true } });
  sheet.set(2, 1, note);
  sheet.height(2, Math.min(90, 15 * Math.ceil(note.length / 120) + 6));
}

/** Cells the bidder fills in: unlocked and tinted. */
export const ANSWER: CellStyle = { unlocked: true, fill: COLORS.answerFill, ...GRID };

/** Protected without a password; formatting rows and columns stays allowed, filtering when `autoFilter`. */
export function protectSheet(sheet: Worksheet, options: { autoFilter?: boolean } = {}): void {
  sheet.protection = { autoFilter: options.autoFilter ?? false };
}

/** A4 landscape, one page wide, repeated header rows, footer "Page X / Y". */
export function setupPrint(sheet: Worksheet, headerRow: number, footerText: string): void {
  sheet.print = { titleRow: headerRow, footer: footerText };
}

/** The bidder template as bytes that depend on its content and date only, its structure locked. */
export function packWorkbook(workbook: Spreadsheet): Uint8Array {
  workbook.lockStructure = true;
  return packSpreadsheet(workbook);
}
