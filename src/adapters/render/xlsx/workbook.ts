/**
 * What the Cahier workbooks (compliance matrix, price schedules) share: document properties,
 * cell styles, sheet protection, and a reproducible package.
 *
 * Protection: every sheet is protected without a password (a password needs a random salt, and a
 * bidder template only guards against accidental edits), cells are locked by default and only the
 * answer cells are unlocked. The workbook structure is locked too (no sheet added, removed or
 * renamed): exceljs has no option for it, so the element is added to xl/workbook.xml on packing.
 */
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { fixCoreDates, partText, readPackage, setPartText, writePackage } from '#src/adapters/render/office-package.ts';

export interface WorkbookMeta {
  title: string;
  subject: string;
  author: string;
  keywords: string[];
  /** ISO date-time: creation and modification date, so output is reproducible. */
  createdAt: string;
}

export const COLORS = {
  accent: 'FF1F3A5F',
  headerFill: 'FFE3E9F0',
  answerFill: 'FFFFF6D5',
  totalFill: 'FFF2F4F7',
  grid: 'FFB4BEC8',
  muted: 'FF5B6670',
} as const;

/** Every styled font names its face: a font without a name falls back to the reader's default (a serif in LibreOffice). */
export const FONT = { name: 'Calibri', family: 2, size: 11 } as const;
export const BOLD: Partial<ExcelJS.Font> = { ...FONT, bold: true };

export const MONEY_FORMAT = '#,##0.00\\ "€"';
export const QUANTITY_FORMAT = '#,##0';

/** The document properties of a workbook, kept in memory or streamed. */
function describe(workbook: ExcelJS.Workbook, meta: WorkbookMeta): Date {
  const date = new Date(meta.createdAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`createdAt is not a valid date: "${meta.createdAt}"`);
  workbook.creator = meta.author;
  workbook.lastModifiedBy = 'Cahier';
  workbook.title = meta.title;
  workbook.subject = meta.subject;
  workbook.keywords = meta.keywords.join(', ');
  workbook.company = meta.author;
  workbook.created = date;
  workbook.modified = date;
  return date;
}

export function createWorkbook(meta: WorkbookMeta): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  describe(workbook, meta);
  (workbook as unknown as { language: string }).language = 'fr-FR';
  // Readers that trust the cached results see them; Excel recomputes every formula on opening.
  workbook.calcProperties = { fullCalcOnLoad: true };
  return workbook;
}

/** A streamed workbook, and the wait that keeps its sheets from piling up in memory. */
export interface StreamedWorkbook {
  workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  /**
   * Resolves once the archiver has taken what the sheets wrote so far. exceljs pipes each sheet
   * into the archiver without waiting: a writer faster than the compression would hold the whole
   * sheet, so a caller committing many rows awaits this every few rows.
   */
  drained: () => Promise<void>;
}

/**
 * A workbook written to `stream` as its rows are committed (exceljs's streaming writer), for
 * reports too large to build in memory: each sheet's rows are committed in order, and a sheet
 * cannot be changed once the next one is written. Reproducible like packWorkbook's: every zip
 * entry is dated `createdAt` (the writer's archiver otherwise stamps the current time), so the
 * bytes depend on the rows and the date only. It has no workbook protection (packWorkbook adds it
 * to the finished package, which a stream never holds): only reports are streamed.
 */
export function streamWorkbook(meta: WorkbookMeta, stream: Writable): StreamedWorkbook {
  const date = new Date(meta.createdAt);
  type Zip = { append(source: unknown, data: { name: string; date?: Date }): unknown };
  const sheets = new Set<PassThrough>();
  // The constructor appends its first entries (theme, relationships) through addThemes: the archiver is wrapped there.
  class DatedWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
    override addThemes(): Promise<void> {
      const zip = (this as unknown as { zip: Zip }).zip;
      const append = zip.append.bind(zip);
      zip.append = (source, data) => {
        // Strings as buffers: the archiver would make them with the deprecated new Buffer(), which warns outside node_modules (the bundled CLI).
        if (typeof source === 'string') return append(Buffer.from(source), { ...data, date });
        if (!/^\/?xl\/worksheets\/sheet\d+\.xml$/.test(data.name)) return append(source, { ...data, date });
        // A sheet goes through a stream whose backlog the writer can wait on.
        const sheet = new PassThrough();
        (source as { pipe(to: PassThrough): void }).pipe(sheet);
        sheets.add(sheet);
        sheet.once('end', () => sheets.delete(sheet));
        return append(sheet, { ...data, date });
      };
      return super.addThemes();
    }
  }
  const workbook = new DatedWriter({ stream, useStyles: true, useSharedStrings: false });
  describe(workbook, meta);
  const drained = async () => {
    for (const sheet of sheets) if (sheet.writableNeedDrain) await once(sheet, 'drain');
  };
  return { workbook, drained };
}

const thin = { style: 'thin' as const, color: { argb: COLORS.grid } };
export const GRID: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

export function styleHeaderRow(row: ExcelJS.Row): void {
  row.font = { ...BOLD, color: { argb: COLORS.accent } };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLORS.headerFill } };
    cell.border = GRID;
  });
}

/** Title line and an explanatory line above a table, each merged across its width. */
export function writeTitle(sheet: ExcelJS.Worksheet, columns: number, title: string, note: string): void {
  sheet.mergeCells(1, 1, 1, columns);
  sheet.mergeCells(2, 1, 2, columns);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { ...BOLD, size: 13, color: { argb: COLORS.accent } };
  titleCell.alignment = { vertical: 'middle', wrapText: true };
  sheet.getRow(1).height = 24;
  const noteCell = sheet.getCell(2, 1);
  noteCell.value = note;
  noteCell.font = { ...FONT, italic: true, color: { argb: COLORS.muted } };
  noteCell.alignment = { vertical: 'top', wrapText: true };
  sheet.getRow(2).height = Math.min(90, 15 * Math.ceil(note.length / 120) + 6);
}

/**
 * One validation over a whole range. Per-cell validations are merged by exceljs into ranges
 * sorted as strings ("F10" before "F4"), which yields overlapping ranges Excel may reject.
 */
export function addRangeValidation(sheet: ExcelJS.Worksheet, range: string, validation: ExcelJS.DataValidation): void {
  (sheet as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }).dataValidations.add(
    range,
    validation,
  );
}

/** Cells the bidder fills in: unlocked and tinted. */
export function markAnswerCell(cell: ExcelJS.Cell): void {
  cell.protection = { locked: false };
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLORS.answerFill } };
  cell.border = GRID;
}

export async function protectSheet(sheet: ExcelJS.Worksheet, options: { autoFilter?: boolean } = {}): Promise<void> {
  await sheet.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    formatCells: false,
    insertRows: false,
    insertColumns: false,
    deleteRows: false,
    deleteColumns: false,
    sort: false,
    autoFilter: options.autoFilter ?? false,
    objects: false,
    scenarios: false,
  });
}

/** A4 landscape, one page wide, repeated header rows, footer "Page X / Y". */
export function setupPrint(sheet: ExcelJS.Worksheet, headerRow: number, footerText: string): void {
  sheet.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${headerRow}:${headerRow}`,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter = { oddFooter: `&L${footerText.replaceAll('&', '&&')}&RPage &P / &N` };
}

/** Writes the workbook as bytes that depend on its content and date only. */
export async function packWorkbook(workbook: ExcelJS.Workbook, createdAt: string): Promise<Uint8Array> {
  const raw = new Uint8Array(await workbook.xlsx.writeBuffer());
  const parts = readPackage(raw);
  fixCoreDates(parts, createdAt);
  const book = partText(parts, 'xl/workbook.xml');
  if (!book.includes('<workbookProtection')) {
    // CT_Workbook order: … workbookPr, workbookProtection, bookViews, sheets …
    const anchor = book.includes('<bookViews') ? '<bookViews' : '<sheets>';
    setPartText(parts, 'xl/workbook.xml', book.replace(anchor, `<workbookProtection lockStructure="1"/>${anchor}`));
  }
  return writePackage(parts, createdAt);
}
