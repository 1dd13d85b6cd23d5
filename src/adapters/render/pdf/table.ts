/**
 * Tables: automatic column widths, wrapped cells, header row repeated on every page the
 * table continues on, rows kept whole unless a single row is taller than a page (then it is
 * split line by line across pages, which always progresses by at least one line per page).
 */
import type { CellAlign, Run, TableBlock } from '#src/core/documents/blocks.ts';
import type { Flow } from './flow.ts';
import { fmt } from './glyph-runs.ts';
import type { Tag } from './tags.ts';
import { alignOffset, baselineOffset, drawLine, layoutLines, prepare, type Line, type PreparedText } from './text.ts';
import { COLORS, TABLE } from './theme.ts';

interface LaidRow {
  readonly cells: readonly Line[][];
  /** Height of the row when drawn whole. */
  readonly height: number;
}

/** A table laid out (column widths, lines of every cell), ready to be drawn at the cursor. */
export interface TableLayout {
  /** Room the start of the table needs: the gap, the header and the first row (or its first lines). */
  readonly keepHeight: number;
  /** Draws the table at the cursor, its Table element appended to `parent`. */
  draw(parent: Tag): void;
}

export function drawTable(flow: Flow, table: TableBlock, parent: Tag): void {
  layoutTable(flow, table)?.draw(parent);
}

/** Lays the table out without drawing it; null for a table without any cell. */
export function layoutTable(flow: Flow, table: TableBlock): TableLayout | null {
  const columnCount = Math.max(table.header.length, ...table.rows.map((r) => r.length));
  if (columnCount === 0) return null;

  const cellsOf = (row: readonly Run[][]): Run[][] => Array.from({ length: columnCount }, (_, c) => row[c] ?? []);
  const header = table.header.length > 0 ? cellsOf(table.header).map((cell) => prepare(cell, flow.fonts, { bold: true })) : null;
  const body = table.rows.map((row) => cellsOf(row).map((cell) => prepare(cell, flow.fonts)));

  const widths = columnWidths(header ? [header, ...body] : body, flow.width);
  const align: CellAlign[] = Array.from({ length: columnCount }, (_, c) => table.align[c] ?? 'left');
  const grid = new TableGrid(flow, widths, align);

  const headerRow = header ? grid.layRow(header) : null;
  const rows = body.map((cells) => grid.layRow(cells));
  const pageCapacity = flow.bottom - flow.top;
  const repeatHeader = headerRow !== null && headerRow.height <= pageCapacity * TABLE.maxRepeatedHeaderShare;
  const headerHeight = repeatHeader ? headerRow.height : 0;
  // Keep the header with the whole first row, or with the first lines of a row too tall to share
  // a page with it (that row is split anyway).
  const first = rows[0];
  const firstWhole = first !== undefined && first.height <= pageCapacity - (headerRow?.height ?? 0);
  const firstHeight = first ? (firstWhole ? first.height : Math.min(first.height, TABLE.padY * 2 + TABLE.lineHeight * 2)) : 0;
  const startHeight = (headerRow?.height ?? 0) + firstHeight;

  const draw = (parent: Tag): void => {
    const tags = flow.tags;
    const tableTag = tags.add(parent, 'Table');
    // One TR per row of the model, its cells TH (heading their column) or TD; a header row
    // repeated on a continuation page is an artifact, read once.
    const rowTags = (row: LaidRow, header: boolean): Tag[] => {
      const tr = tags.add(tableTag, 'TR');
      return row.cells.map(() => (header ? tags.add(tr, 'TH', { scope: 'Column' }) : tags.add(tr, 'TD')));
    };
    flow.gap(TABLE.gapBefore);
    flow.ensure(startHeight);
    if (headerRow) {
      const cells = rowTags(headerRow, true);
      if (headerRow.height <= flow.room) grid.drawRow(headerRow, true, cells);
      else grid.drawSplitRow(headerRow, () => flow.newPage(), true, cells);
    }
    const continuePage = (): void => {
      flow.newPage();
      if (repeatHeader) grid.drawRow(headerRow, true, null);
    };
    for (const row of rows) {
      const cells = rowTags(row, false);
      if (row.height <= flow.room) {
        grid.drawRow(row, false, cells);
      } else if (row.height <= pageCapacity - headerHeight) {
        continuePage();
        grid.drawRow(row, false, cells);
      } else {
        grid.drawSplitRow(row, continuePage, false, cells);
      }
    }
    tags.end(tableTag);
    flow.y += TABLE.gapAfter;
  };
  return { keepHeight: TABLE.gapBefore + startHeight, draw };
}

/**
 * Column widths filling `total` points.
 *
 * Each column starts at the width of its longest word (capped, so that one huge word cannot
 * take the whole table: it is split instead) and can grow up to its natural width (content on
 * one line). The room in between is handed out greedily, a few points at a time, to the column
 * where it saves the most estimated lines: the height of every row (its tallest cell) first,
 * then, with a small weight, the lines of every cell, so that short values ("Obligatoire",
 * "≥ 32 Go") end up on one line once the long text columns no longer gain much. Line counts
 * are estimated from natural widths (no line breaking), which keeps this linear in the rows.
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

  const widths = [...min];
  const estimate = new LineEstimate(rows, widths);
  let room = total - sumMin;
  // Plain loops and locals: this runs ≈ columns × steps × rows times per table.
  while (room > 0.5) {
    let bestColumn = -1;
    let bestGrow = 0;
    let bestGain = 0;
    for (let c = 0; c < count; c++) {
      const lacking = pref[c]! - widths[c]!;
      if (lacking <= 0.01) continue;
      for (let s = 0; s < GROW_STEPS.length; s++) {
        const step = GROW_STEPS[s]!;
        const grow = Math.min(step, lacking, room);
        const gain = estimate.saving(c, widths[c]! + grow) / grow;
        if (gain > bestGain + 1e-9) {
          bestColumn = c;
          bestGrow = grow;
          bestGain = gain;
        }
        if (grow < step) break;
      }
    }
    if (bestColumn < 0) break;
    widths[bestColumn]! += bestGrow;
    estimate.set(bestColumn, widths[bestColumn]!);
    room -= bestGrow;
  }
  // Whatever no column needs goes where it still fits content, else everywhere alike.
  const lacking = widths.map((w, c) => Math.max(0, pref[c]! - w));
  const totalLacking = sum(lacking);
  return widths.map((w, c) => w + (totalLacking > 0 ? (room * lacking[c]!) / totalLacking : room / count));
}

/** Widths tried at each greedy step (points): small steps, and jumps across plateaus. */
const GROW_STEPS = [2, 8, 32, 128] as const;

/** Weight of each cell's own lines against the row heights in the estimate. */
const CELL_LINES_WEIGHT = 0.15;

/** Lines of each cell and height of each row, estimated for the current column widths. */
class LineEstimate {
  private readonly hardLines: number[][][];
  private readonly lines: number[][];

  constructor(rows: readonly (readonly PreparedText[])[], widths: readonly number[]) {
    this.hardLines = rows.map((row) => row.map((cell) => cell.hardLines.map((em) => em * TABLE.size)));
    this.lines = this.hardLines.map((row) => row.map((cell, c) => LineEstimate.count(cell, widths[c]!)));
  }

  /** Estimated lines of a cell whose hard lines have these natural widths, in a column of `width`. */
  static count(hardLines: readonly number[], width: number): number {
    const inner = Math.max(1, width - TABLE.padX * 2);
    let lines = 0;
    // Word wrapping wastes some room at the end of each line: count ~8% more text.
    for (let i = 0; i < hardLines.length; i++) {
      const w = hardLines[i]!;
      lines += w <= inner ? 1 : Math.ceil((w * 1.08) / inner);
    }
    return lines;
  }

  /** Estimated lines saved if column `c` had width `width`. */
  saving(c: number, width: number): number {
    let saved = 0;
    const { lines, hardLines } = this;
    for (let r = 0; r < lines.length; r++) {
      const row = lines[r]!;
      const before = row[c]!;
      const after = LineEstimate.count(hardLines[r]![c]!, width);
      if (after === before) continue;
      let others = 0;
      for (let k = 0; k < row.length; k++) if (k !== c && row[k]! > others) others = row[k]!;
      saved += Math.max(others, before) - Math.max(others, after) + CELL_LINES_WEIGHT * (before - after);
    }
    return saved;
  }

  set(c: number, width: number): void {
    for (let r = 0; r < this.lines.length; r++) this.lines[r]![c] = LineEstimate.count(this.hardLines[r]![c]!, width);
  }
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

  /** `cells`: each cell's element, or null for a repeated header row (an artifact). */
  drawRow(row: LaidRow, header: boolean, cells: readonly Tag[] | null): void {
    this.drawSlice(row.cells, row.cells.map(() => 0), Infinity, row.height, header, cells);
    this.flow.y += row.height;
    this.flow.drew(header ? 'table-header' : 'table-row');
  }

  /** A row taller than a page: as many lines of each cell as fit, then the rest on the next pages. */
  drawSplitRow(row: LaidRow, continuePage: () => void, header: boolean, cells: readonly Tag[]): void {
    const flow = this.flow;
    const from = row.cells.map(() => 0);
    const remaining = (): number => Math.max(...row.cells.map((lines, c) => lines.length - from[c]!));
    if (flow.room < TABLE.padY * 2 + TABLE.lineHeight * 2) continuePage();
    for (;;) {
      const fit = Math.max(1, Math.floor((flow.room - TABLE.padY * 2) / TABLE.lineHeight));
      const count = Math.min(fit, remaining());
      const height = count * TABLE.lineHeight + TABLE.padY * 2;
      this.drawSlice(row.cells, from, count, height, header, cells);
      flow.y += height;
      flow.drew(header ? 'table-header' : 'table-row');
      row.cells.forEach((lines, c) => (from[c] = Math.min(lines.length, from[c]! + count)));
      if (remaining() <= 0) return;
      continuePage();
    }
  }

  /** Lines [from[c], from[c] + count) of each cell, in a band of `height` at the cursor. */
  private drawSlice(cells: readonly Line[][], from: readonly number[], count: number, height: number, header: boolean, tags: readonly Tag[] | null): void {
    const { pdf, fonts } = this.flow;
    const tagger = this.flow.tags;
    const top = this.flow.y;
    const left = this.xs[0]!;
    const right = left + sum(this.widths);
    tagger.artifact(() => {
      if (header) pdf.rect(left, top, right - left, height).fill(COLORS.headerFill);
      // The grid as one path written at once (PDFKit's moveTo/lineTo write one operator per call).
      pdf.lineWidth(TABLE.gridWidth).strokeColor(COLORS.grid);
      const y0 = fmt(top);
      const y1 = fmt(top + height);
      let path = '';
      for (const x of this.xs) path += `${fmt(x)} ${y0} m\n${fmt(x)} ${y1} l\n`;
      const r = fmt(right);
      const l = fmt(left);
      pdf.addContent(`${path}${r} ${y0} m\n${r} ${y1} l\n${l} ${y0} m\n${r} ${y0} l\n${l} ${y1} m\n${r} ${y1} l\nS`);
    });

    pdf.fillColor(COLORS.text).fontSize(TABLE.size);
    const base = baselineOffset(fonts.faces.regular, TABLE.size, TABLE.lineHeight);
    cells.forEach((lines, c) => {
      const inner = this.widths[c]! - TABLE.padX * 2;
      const x = this.xs[c]! + TABLE.padX;
      const end = Math.min(lines.length, from[c]! + count);
      if (end <= from[c]!) return;
      const drawCell = (): void => {
        for (let i = from[c]!; i < end; i++) {
          const line = lines[i]!;
          const y = top + TABLE.padY + (i - from[c]!) * TABLE.lineHeight + base;
          drawLine(pdf, line, x + alignOffset(this.align[c]!, inner, line.width), y);
        }
      };
      const tag = tags?.[c];
      if (tag) tagger.mark(tag, drawCell);
      else tagger.artifact(drawCell, 'Pagination');
    });
  }
}
