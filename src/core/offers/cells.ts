/**
 * The cells of a spreadsheet as the analysis reads them: plain data the workbook adapter fills in
 * from a bidder's file (never evaluating anything), and pure comparisons over them.
 */

export type CellKind = 'string' | 'number' | 'boolean' | 'error';

export interface SheetCell {
  /** « F12 » */
  ref: string;
  row: number;
  column: number;
  kind: CellKind;
  /** The text shown (shared or inline string, a number as written in the file). */
  text: string;
  /** The formula, when the cell holds one (without « = »); never evaluated. */
  formula?: string;
  /**
   * A number cell shown as a percentage (0.95 shown « 95 % ») or as a date or time (a day count
   * shown « 07/12/2026 »): what was typed differs from the number stored.
   */
  shownAs?: 'percent' | 'date';
}

/** Cells by row, then by column (1-based). */
export type SheetCells = Map<number, Map<number, SheetCell>>;

/**
 * What was typed in a cell, as far as the file tells: a number shown as a percentage is read as
 * shown (0.95 → « 95 % »), since that is what the bidder or supplier typed and what a threshold in
 * per cent compares with; undefined for a number shown as a date, which no answer expects (the
 * caller refuses it with its cell). Other cells: their text, trimmed.
 */
export function typedText(cell: SheetCell): string | undefined {
  if (cell.shownAs === 'date') return undefined;
  if (cell.shownAs === 'percent') return `${Number((Number(cell.text) * 100).toPrecision(12))} %`;
  return cell.text.trim();
}

export const DATE_WHERE_VALUE = 'a date where a value is expected; type the value as text (« 36 mois », « 2031 »)';

export function cellAt(cells: SheetCells, row: number, column: number): SheetCell | undefined {
  return cells.get(row)?.get(column);
}

/** A locked cell of Cahier's template that the bidder's file does not hold as generated. */
export interface Alteration {
  /** « Lot 1!D7 » */
  path: string;
  expected: string;
  found: string;
}

/**
 * Every cell outside the answer cells that differs between the template Cahier generated for the
 * tender and the bidder's file: an edited threshold, a deleted or inserted row, a formula replaced
 * by a number. Formula cells compare by formula (the cached value changes when the spreadsheet
 * recomputes); other cells by text, whitespace at the ends ignored.
 */
export function alterations(sheet: string, template: SheetCells, returned: SheetCells, isAnswer: (row: number, column: number) => boolean): Alteration[] {
  const found: Alteration[] = [];
  const rows = new Set([...template.keys(), ...returned.keys()]);
  for (const row of [...rows].sort((a, b) => a - b)) {
    const columns = new Set([...(template.get(row)?.keys() ?? []), ...(returned.get(row)?.keys() ?? [])]);
    for (const column of [...columns].sort((a, b) => a - b)) {
      if (isAnswer(row, column)) continue;
      const expected = cellAt(template, row, column);
      const actual = cellAt(returned, row, column);
      const shown = (cell: SheetCell | undefined) => (cell === undefined ? '(vide)' : cell.formula !== undefined ? `=${cell.formula}` : cell.text.trim());
      const same = expected?.formula !== undefined ? actual?.formula === expected.formula : actual?.formula === undefined && shown(expected) === shown(actual);
      if (!same) found.push({ path: `${sheet}!${expected?.ref ?? actual!.ref}`, expected: shown(expected), found: shown(actual) });
    }
  }
  return found;
}

/**
 * A number as a bidder writes it in French or as a spreadsheet stores it: « 1 234,50 », « 1234.5 »,
 * « 1 234,50 € »; undefined when the text is not one number.
 */
export function parseAmount(text: string): number | undefined {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, '').replace(/^€/, '');
  if (!/^-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?$/.test(cleaned)) return undefined;
  const value = Number(cleaned.replace(',', '.'));
  return Number.isFinite(value) ? value : undefined;
}
