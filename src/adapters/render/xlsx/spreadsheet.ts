/**
 * A small workbook model for the SpreadsheetML files Cahier writes (issue #19: exceljs weighed
 * ≈ 1 MiB in the Lambda bundles that render them). It holds only what the renderers use: sheets
 * of typed cells, a style per cell (deduplicated into styles.xml by spreadsheet-package.ts),
 * column widths, row heights, merged cells, frozen panes, an autofilter, data validations,
 * conditional formatting by expression, notes, sheet protection, print setup and document
 * properties. spreadsheet-package.ts turns it into a package, in memory or streamed.
 */

export interface Font {
  bold?: boolean;
  italic?: boolean;
  size?: number;
  /** ARGB, « FF1F3A5F ». */
  color?: string;
}

export interface Alignment {
  horizontal?: 'left' | 'center' | 'right';
  vertical?: 'top' | 'middle' | 'bottom';
  wrapText?: boolean;
  indent?: number;
}

/** A cell's look. Every font is Calibri (the default face), at `size` or 11 points. */
export interface CellStyle {
  font?: Font;
  /** Solid fill, ARGB. */
  fill?: string;
  /** Thin border on the four sides, ARGB. */
  border?: string;
  alignment?: Alignment;
  numFmt?: string;
  /** An input cell of a protected sheet. */
  unlocked?: boolean;
}

export interface RichRun {
  text: string;
  bold?: boolean;
}

/** A formula (without « = ») with the result a reader that does not compute shows. */
export interface FormulaValue {
  formula: string;
  result?: number | string | boolean;
}

export type CellValue = string | number | boolean | Date | FormulaValue | { richText: RichRun[] } | null;

export interface Cell {
  value: CellValue;
  style: CellStyle;
}

export interface DataValidation {
  /** « D4:D20 » */
  range: string;
  type: 'list' | 'decimal';
  operator?: 'greaterThanOrEqual' | 'between';
  /** As written in the file: « "Oui,Non" » for a list, « 0 » for a bound. */
  formulae: string[];
  allowBlank?: boolean;
  showErrorMessage?: boolean;
  errorStyle?: 'stop' | 'warning' | 'information';
  errorTitle?: string;
  error?: string;
  showInputMessage?: boolean;
  promptTitle?: string;
  prompt?: string;
}

/** Fills `range` with `fill` (ARGB) where `formula`, relative to the range's first cell, holds. */
export interface ConditionalRule {
  formula: string;
  fill: string;
  stopIfTrue?: boolean;
}

export interface FrozenPane {
  /** Rows kept above the scrolling area. */
  rows: number;
  /** Columns kept left of it. */
  columns?: number;
  topLeftCell?: string;
  activeCell?: string;
}

export interface PrintSetup {
  /** The row repeated at the top of every printed page. */
  titleRow: number;
  /** Left footer text, « Page X / Y » on the right. */
  footer: string;
}

export type SheetState = 'visible' | 'hidden' | 'veryHidden';

export class Worksheet {
  readonly rows = new Map<number, Map<number, Cell>>();
  readonly heights = new Map<number, number>();
  readonly widths: number[] = [];
  readonly merges: string[] = [];
  readonly validations: DataValidation[] = [];
  readonly conditionalFormats: Array<{ range: string; rules: ConditionalRule[] }> = [];
  readonly notes: Array<{ row: number; column: number; text: string }> = [];
  frozen: FrozenPane | undefined;
  tabColor: string | undefined;
  autoFilter: string | undefined;
  /** Protected without a password; `autoFilter`: filtering stays allowed. */
  protection: { autoFilter: boolean } | undefined;
  print: PrintSetup | undefined;

  constructor(
    readonly name: string,
    readonly state: SheetState = 'visible',
  ) {
    if (!/^[^\\/?*[\]:]{1,31}$/.test(name) || name.startsWith("'") || name.endsWith("'")) throw new RangeError(`not a valid sheet name: "${name}"`);
  }

  /** The cell at (row, column), 1-based, created empty. */
  cell(row: number, column: number): Cell {
    if (!(Number.isInteger(row) && row >= 1 && row <= 1_048_576 && Number.isInteger(column) && column >= 1 && column <= 16_384)) {
      throw new RangeError(`no cell at row ${row}, column ${column}`);
    }
    let cells = this.rows.get(row);
    if (!cells) this.rows.set(row, (cells = new Map()));
    let cell = cells.get(column);
    if (!cell) cells.set(column, (cell = { value: null, style: {} }));
    return cell;
  }

  /** Sets a cell's value and merges `style` into its style. */
  set(row: number, column: number, value: CellValue, style: CellStyle = {}): Cell {
    const cell = this.cell(row, column);
    cell.value = value;
    this.style(row, column, style);
    return cell;
  }

  /** Values from column 1 on; null leaves a cell empty (it still takes `style`). */
  setRow(row: number, values: readonly CellValue[], style: CellStyle = {}): void {
    values.forEach((value, i) => this.set(row, i + 1, value, style));
  }

  /** Merges `style` into the cell's: each property given replaces the cell's (alignment merges key by key). */
  style(row: number, column: number, style: CellStyle): void {
    const cell = this.cell(row, column);
    const alignment = style.alignment ? { ...cell.style.alignment, ...style.alignment } : cell.style.alignment;
    cell.style = { ...cell.style, ...style, ...(alignment ? { alignment } : {}) };
  }

  /** Styles columns `from`..`to` of a row, creating the cells. */
  styleRange(row: number, from: number, to: number, style: CellStyle): void {
    for (let column = from; column <= to; column++) this.style(row, column, style);
  }

  height(row: number, points: number): void {
    this.heights.set(row, points);
  }

  merge(top: number, left: number, bottom: number, right: number): void {
    this.merges.push(`${cellRef(top, left)}:${cellRef(bottom, right)}`);
  }

  /** One validation over a whole range (Excel may reject overlapping ones). */
  validate(validation: DataValidation): void {
    this.validations.push(validation);
  }

  /** The rows that hold at least one cell, in order. */
  rowNumbers(): number[] {
    return [...this.rows.keys()].sort((a, b) => a - b);
  }
}

export interface WorkbookMeta {
  title: string;
  subject: string;
  author: string;
  keywords: string[];
  /** ISO date-time: creation and modification date, so output is reproducible. */
  createdAt: string;
  /** BCP 47, written as dc:language. */
  language?: string;
}

export class Spreadsheet {
  readonly sheets: Worksheet[] = [];
  /** No sheet can be added, removed or renamed (workbookProtection lockStructure). */
  lockStructure = false;

  constructor(readonly meta: WorkbookMeta) {
    if (Number.isNaN(new Date(meta.createdAt).getTime())) throw new RangeError(`createdAt is not a valid date: "${meta.createdAt}"`);
  }

  addSheet(name: string, state: SheetState = 'visible'): Worksheet {
    if (this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) throw new RangeError(`sheet "${name}" already exists`);
    const sheet = new Worksheet(name, state);
    this.sheets.push(sheet);
    return sheet;
  }
}

/** « A » for 1, « AA » for 27. */
export function columnLetter(n: number): string {
  let letters = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) letters = String.fromCharCode(65 + ((k - 1) % 26)) + letters;
  return letters;
}

/** « B4 » for (4, 2). */
export function cellRef(row: number, column: number): string {
  return `${columnLetter(column)}${row}`;
}

/** A sheet name as a formula or a defined name reads it: « 'BPU lot 1' ». */
export function quoteSheet(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}
