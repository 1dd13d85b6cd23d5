/**
 * An .xlsx product sheet read as data: its first sheet's cells as text records, one per row, for
 * the product importer to read as it reads a CSV (same columns, same checks). A product file comes
 * from a supplier, so it goes through the bounded workbook reader the bids use (SafeWorkbook: the
 * file's size, the entries, their uncompressed size, no macros, no external links, no DTD, rows,
 * columns and cell length bounded, nothing evaluated), with bounds of a catalogue rather than of
 * an answer file. A formula, or an error value, where a product's value is expected is refused:
 * what a supplier declares is what the cell says, never what a spreadsheet computed from it. A
 * number shown as a percentage is read as shown (0.95 as « 95 % »); one shown as a date is refused.
 */
import { BidFileError, bidFileError } from '#src/core/offers/errors.ts';
import { DATE_WHERE_VALUE, typedText, type SheetCells } from '#src/core/offers/cells.ts';
import { PRODUCT_FILE_LIMITS, type CsvRecord, type ProductFileLimits, type SheetTable } from '#src/core/products/read-table.ts';
import { DEFAULT_XLSX_LIMITS, SafeWorkbook, type XlsxLimits } from '#src/adapters/offers/safe-xlsx.ts';

const MB = 1024 * 1024;

/** The media type of an .xlsx workbook, as an upload declares it. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Bounds of a product workbook: the product file's own (size, rows, columns, cell length), and a
 * sheet part large enough for its 20 000 rows of a hundred short cells. The parts are decoded in
 * memory, so these bounds are also the memory the read may take.
 */
export function productWorkbookLimits(limits: ProductFileLimits = PRODUCT_FILE_LIMITS): XlsxLimits {
  return {
    ...DEFAULT_XLSX_LIMITS,
    maxFileBytes: limits.bytes,
    // 48 MB holds 20 000 rows; a smaller file (an upload to the API) may expand 64 times at most.
    maxEntryBytes: Math.min(48 * MB, Math.max(MB, limits.bytes * 64)),
    maxTotalBytes: Math.min(64 * MB, Math.max(2 * MB, limits.bytes * 96)),
    maxRows: limits.rows + 1,
    maxColumns: limits.columns,
    maxCellChars: limits.cellChars,
    maxMillis: 20_000,
  };
}

/** The first sheet of a product workbook as records (BidFileError: 413, 415 or 422 as for a bid's file). */
export function readProductWorkbook(bytes: Uint8Array, file: string, limits: ProductFileLimits = PRODUCT_FILE_LIMITS): SheetTable {
  try {
    return readSheet(bytes, file, limits);
  } catch (error) {
    // The reader is the bids'; the refusal is of a supplier's file (the HTTP problem says so).
    if (error instanceof BidFileError) throw new BidFileError(error.problem, error.issues, 'product');
    throw error;
  }
}

function readSheet(bytes: Uint8Array, file: string, limits: ProductFileLimits): SheetTable {
  const workbook = new SafeWorkbook(bytes, file, productWorkbookLimits(limits));
  const sheet = workbook.sheetNames[0];
  if (sheet === undefined) throw bidFileError('invalid', file, 'the workbook has no sheet');
  const cells = workbook.sheet(sheet);
  if (cells === undefined) throw bidFileError('invalid', `${sheet}`, 'the sheet is missing from the package');
  return { sheet, records: records(sheet, cells) };
}

/** The rows in order, each row's cells from column A up to its last cell, trimmed as a CSV's are. */
function records(sheet: string, cells: SheetCells): CsvRecord[] {
  const out: CsvRecord[] = [];
  let header: string[] = [];
  for (const row of [...cells.keys()].sort((a, b) => a - b)) {
    const line = cells.get(row)!;
    const width = Math.max(0, ...line.keys());
    const texts: string[] = Array.from({ length: width }, () => '');
    for (const [column, cell] of line) {
      const name = header[column - 1] || cell.ref.replace(/\d+$/, '');
      const at = `${sheet}!rows.${row}.${out.length === 0 ? cell.ref : name}`;
      if (cell.formula !== undefined) throw bidFileError('invalid', at, `a formula (=${cell.formula}) where a value is expected; type the value itself`);
      if (cell.kind === 'error') throw bidFileError('invalid', at, `an error value (${cell.text}) where a value is expected`);
      const typed = typedText(cell);
      if (typed === undefined) throw bidFileError('invalid', at, DATE_WHERE_VALUE);
      texts[column - 1] = typed;
    }
    if (texts.every((t) => t === '')) continue;
    if (out.length === 0) header = texts;
    out.push({ line: row, cells: texts });
  }
  return out;
}
