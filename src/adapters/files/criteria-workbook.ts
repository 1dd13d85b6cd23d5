/**
 * A returned criteria sheet read as data: the bounded reader the bids and product sheets use
 * (SafeWorkbook: file size, entries, uncompressed sizes, no macros, no external links, no DTD,
 * rows, columns and cell length bounded, nothing evaluated), with the bounds of a framework's
 * criteria rather than of a catalogue. A formula or an error value where a criterion's field is
 * expected is refused with its cell: what the ministry edits is what the cell says.
 */
import { BidFileError, bidFileError } from '#src/core/offers/errors.ts';
import { cellAt, DATE_WHERE_VALUE, typedText } from '#src/core/offers/cells.ts';
import { CRITERIA_COLUMNS, CRITERIA_IDENTITY_ROWS, CRITERIA_IDENTITY_SHEET, CRITERIA_SHEET, type SheetRow } from '#src/core/model/criteria-sheet.ts';
import { DEFAULT_XLSX_LIMITS, SafeWorkbook, type XlsxLimits } from '#src/adapters/offers/safe-xlsx.ts';
import type { CriteriaSheetFile } from '#src/app/criteria-import.ts';

/** The media type of an .xlsx workbook (as product-workbook.ts states it; not imported from there, to keep the product reader out of criteria-write). */
export const CRITERIA_XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A framework holds at most 1 000 criteria (FrameworkPublicationSchema); the columns are the sheet's. */
export function criteriaWorkbookLimits(maxFileBytes: number): XlsxLimits {
  return { ...DEFAULT_XLSX_LIMITS, maxFileBytes, maxRows: 1_001, maxColumns: CRITERIA_COLUMNS.length, maxCellChars: 2_000, maxMillis: 5_000 };
}

/** The rows of a criteria workbook (BidFileError: 413, 415 or 422). */
export function readCriteriaWorkbook(bytes: Uint8Array, file: string, maxFileBytes: number): CriteriaSheetFile {
  try {
    const workbook = new SafeWorkbook(bytes, file, criteriaWorkbookLimits(maxFileBytes));
    const identityCells = workbook.sheet(CRITERIA_IDENTITY_SHEET);
    const value = (row: number) => (identityCells === undefined ? '' : (cellAt(identityCells, row, 2)?.text.trim() ?? ''));
    const identity = identityCells === undefined
      ? undefined
      : { framework: value(CRITERIA_IDENTITY_ROWS.framework), version: value(CRITERIA_IDENTITY_ROWS.version), document: value(CRITERIA_IDENTITY_ROWS.document) };
    const cells = workbook.sheet(CRITERIA_SHEET);
    if (cells === undefined) {
      if (identity === undefined) return { identity, header: [], rows: [] };
      throw bidFileError('invalid', file, `no sheet « ${CRITERIA_SHEET} »: send the workbook as exported, edited`);
    }
    let header: string[] = [];
    const rows: CriteriaSheetFile['rows'] = [];
    for (const line of [...cells.keys()].sort((a, b) => a - b)) {
      const texts = new Map<number, string>();
      for (const [column, cell] of cells.get(line)!) {
        const key = CRITERIA_COLUMNS[column - 1]?.key ?? cell.ref;
        const path = `${CRITERIA_SHEET}!rows.${line}.${key}`;
        if (cell.formula !== undefined) throw bidFileError('invalid', path, `a formula (=${cell.formula.slice(0, 60)}) where a value is expected; type the value itself`);
        if (cell.kind === 'error') throw bidFileError('invalid', path, `an error value (${cell.text}) where a value is expected`);
        const typed = typedText(cell);
        if (typed === undefined) throw bidFileError('invalid', path, DATE_WHERE_VALUE);
        texts.set(column, typed);
      }
      if (line === 1) {
        header = Array.from({ length: Math.max(0, ...texts.keys()) }, (_, i) => texts.get(i + 1) ?? '');
        continue;
      }
      if ([...texts.values()].every((t) => t === '')) continue;
      const row: SheetRow = {};
      for (const [column, text] of texts) {
        const key = CRITERIA_COLUMNS[column - 1]?.key;
        if (key !== undefined && text !== '') row[key] = text;
      }
      rows.push({ line, cells: row });
    }
    return { identity, header, rows };
  } catch (error) {
    if (error instanceof BidFileError) throw new BidFileError(error.problem, error.issues, 'criteria');
    throw error;
  }
}
