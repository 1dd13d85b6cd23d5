/**
 * Tables: automatic column widths, wrapped cells, header row repeated on every page the
 * table continues on, rows kept whole unless a single row is taller than a page (then it is
 * split line by line across pages, which always progresses by at least one line per page).
 */
import type { CellAlign, Run, TableBlock } from '../../documents/blocks.ts';
import type { Flow } from './flow.ts';
import { alignOffset, baselineOffset, drawLine, layoutLines, prepare, type Line, type PreparedText } from './text.ts';
import { COLORS, TABLE } from './theme.ts';

interface LaidRow {
  readonly cells: readonly Line[][];
  /** Height of the row when drawn whole. */
  readonly height: number;
}

export function drawTable(flow: Flow, table: TableBlock): void {
  const columnCount = Math.max(table.header.length, ...table.rows.map((r) => r.length));
  if (columnCount === 0) return;

  const cellsOf = (row: readonly Run[][]): Run[][] => Array.from({ length: columnCount }, (_, c) => row[c] ?? []);
  const header = table.header.length > 0 ? cellsOf(table.header).map((cell) => prepare(cell, flow.fonts, { bold: true })) : null;
  const body = table.rows.map((row) => cellsOf(row).map((cell) => prepare(cell, flow.fonts)));

  const widths = columnWidths(header ? [header, ...body] : body, flow.width);
  const align: CellAlign[] = Array.from({ length: columnCount }, (_, c) => table.align[c] ?? 'left');
  const grid = new TableGrid(flow, widths, align);

  const headerRow = header ? grid.layRow(header) : null;
  const pageCapacity = flow.bottom - flow.top;
  const repeatHeader = headerRow !== null && headerRow.height <= pageCapacity * TABLE.maxRepeatedHeaderShare;
  const headerHeight = repeatHeader ? headerRow.height : 0;

  flow.gap(TABLE.gapBefore);
  const rows = body.map((cells) => grid.layRow(cells));
  // Keep the header with the first row (or the first lines of a very tall one).
  const first = rows[0];
  const firstHeight = first ? Math.min(first.height, TABLE.padY * 2 + TABLE.lineHeight * 2) : 0;
  flow.ensure((headerRow?.height ?? 0) + firstHeight);
  if (headerRow) {
    if (headerRow.height <= flow.room) grid.drawRow(headerRow, true);
    else grid.drawSplitRow(headerRow, () => flow.newPage(), true);
  }

  const continuePage = (): void => {
    flow.newPage();
    if (repeatHeader) grid.drawRow(headerRow, true);
  };

  for (const row of rows) {
    if (row.height <= flow.room) {
      grid.drawRow(row, false);
    } else if (row.height <= pageCapacity - headerHeight) {
      continuePage();
      grid.drawRow(row, false);
    } else {
      grid.drawSplitRow(row, continuePage, false);
    }
  }
  flow.y += TABLE.gapAfter;
}

/**
 * Column widths filling `total` points, HTML-style auto layout: each column gets at least the
 * width of its longest word (capped so that one huge word cannot take the whole table) and
 * the remaining space goes to the columns in proportion to how much they would still use.
 */
export function columnWidths(rows: readonly (readonly PreparedText[])[], total: number): number[] {
  const count = rows[0]?.length ?? 0;
  const pad = TABLE.padX * 2;
  const maxMin = Math.max(TABLE.minColumn, total * TABLE.maxWordShare);
  const min = new Array<number>(count).fill(TABLE.minColumn);
  const pref = new Array<number>(count).fill(TABLE.minColumn);
  for (const row of rows) {
    row.forEach((cell, c) => {
      min[c] = Math.max(min[c]!, Math.min(cell.minWidth * TABLE.size + pad, maxMin));
      pref[c] = Math.max(pref[c]!, Math.min(cell.naturalWidth * TABLE.size + pad, total));
    });
  }
  const sumMin = sum(min);
  const sumPref = sum(pref);
  if (sumMin >= total) return min.map((w) => (w * total) / sumMin);
  if (sumPref <= total) return pref.map((w) => (w * total) / sumPref);
  const share = (total - sumMin) / (sumPref - sumMin);
  return min.map((w, c) => w + (pref[c]! - w) * share);
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

class TableGrid {
  private readonly xs: number[];

  constructor(
    private readonly flow: Flow,
    private readonly widths: readonly number[],
    private readonly align: readonly CellAlign[],
  ) {
    this.xs = [];
    let x = flow.left;
    for (const w of widths) {
      this.xs.push(x);
      x += w;
    }
  }

  layRow(cells: readonly PreparedText[]): LaidRow {
    const laid = cells.map((cell, c) => layoutLines(cell, this.widths[c]! - TABLE.padX * 2, TABLE.size));
    const lines = Math.max(1, ...laid.map((l) => l.length));
    return { cells: laid, height: lines * TABLE.lineHeight + TABLE.padY * 2 };
  }

  drawRow(row: LaidRow, header: boolean): void {
    this.drawSlice(row.cells, row.cells.map(() => 0), Infinity, row.height, header);
    this.flow.y += row.height;
  }

  /** A row taller than a page: as many lines of each cell as fit, then the rest on the next pages. */
  drawSplitRow(row: LaidRow, continuePage: () => void, header: boolean): void {
    const flow = this.flow;
    const from = row.cells.map(() => 0);
    const remaining = (): number => Math.max(...row.cells.map((lines, c) => lines.length - from[c]!));
    if (flow.room < TABLE.padY * 2 + TABLE.lineHeight * 2) continuePage();
    for (;;) {
      const fit = Math.max(1, Math.floor((flow.room - TABLE.padY * 2) / TABLE.lineHeight));
      const count = Math.min(fit, remaining());
      const height = count * TABLE.lineHeight + TABLE.padY * 2;
      this.drawSlice(row.cells, from, count, height, header);
      flow.y += height;
      row.cells.forEach((lines, c) => (from[c] = Math.min(lines.length, from[c]! + count)));
      if (remaining() <= 0) return;
      continuePage();
    }
  }

  /** Lines [from[c], from[c] + count) of each cell, in a band of `height` at the cursor. */
  private drawSlice(cells: readonly Line[][], from: readonly number[], count: number, height: number, header: boolean): void {
    const { pdf, fonts } = this.flow;
    const top = this.flow.y;
    const left = this.xs[0]!;
    const right = left + sum(this.widths);
    if (header) pdf.rect(left, top, right - left, height).fill(COLORS.headerFill);

    pdf.lineWidth(TABLE.gridWidth).strokeColor(COLORS.grid);
    for (const x of [...this.xs, right]) pdf.moveTo(x, top).lineTo(x, top + height);
    pdf.moveTo(left, top).lineTo(right, top).moveTo(left, top + height).lineTo(right, top + height).stroke();

    pdf.fillColor(COLORS.text).fontSize(TABLE.size);
    const base = baselineOffset(fonts.faces.regular, TABLE.size, TABLE.lineHeight);
    cells.forEach((lines, c) => {
      const inner = this.widths[c]! - TABLE.padX * 2;
      const x = this.xs[c]! + TABLE.padX;
      const end = Math.min(lines.length, from[c]! + count);
      for (let i = from[c]!; i < end; i++) {
        const line = lines[i]!;
        const y = top + TABLE.padY + (i - from[c]!) * TABLE.lineHeight + base;
        drawLine(pdf, line, x + alignOffset(this.align[c]!, inner, line.width), y);
      }
    });
  }
}
