import type { Writable } from 'node:stream';
import type { ReportEntry, ReportSummary, VerdictCounts } from '#src/core/products/catalogue-report.ts';
import { FIXED_COLUMNS, inertCell, tableRow, VERDICT_LABELS } from '#src/core/products/report-table.ts';
import { columnLetter, type Worksheet } from './spreadsheet.ts';
import { streamSpreadsheet } from './spreadsheet-package.ts';
import { createWorkbook, GRID, setupPrint, styleHeaderRow, writeTitle } from './workbook.ts';

/**
 * The catalogue report as a workbook: a summary sheet (counts overall, per item and per supplier)
 * and a products sheet, one row per product and one column per criterion, each cell coloured by
 * its verdict with conditional formatting, so a catalogue manager who filters or edits keeps the
 * colours. Streamed: the products are read one at a time (a 10 000-product catalogue is never
 * held) and written and compressed as they come (spreadsheet-package.ts, streamSpreadsheet).
 * Reproducible: the bytes depend on the report and `createdAt` only.
 */

const FILLS = { conform: 'FFDDF2DD', 'not-conform': 'FFF8D7D5', undeclared: 'FFFFF1C7', 'needs-evidence': 'FFE3E9F0' } as const;

export interface CatalogueWorkbookInput {
  summary: ReportSummary;
  /** The criterion columns, in the order the products met them (CatalogueTally.columns). */
  columns: ReadonlyArray<{ id: string; label: string }>;
  /** The report entries, in the order of the file; read once. */
  entries: AsyncIterable<ReportEntry>;
}

/** Writes the report’s workbook to `out` and ends it; resolves once `out` is finished. */
export async function writeCatalogueReportXlsx(out: Writable, input: CatalogueWorkbookInput, createdAt: string): Promise<void> {
  const { summary } = input;
  const title = `Conformité du catalogue au référentiel ${summary.framework.id} v${summary.framework.version}`;
  const workbook = createWorkbook({ title, subject: summary.framework.reference, author: 'Cahier', keywords: ['catalogue', 'conformité', summary.framework.id], createdAt });
  summarySheet(workbook.addSheet('Synthèse'), summary, title);
  const ids = input.columns.map((c) => c.id);
  productsSheet(workbook.addSheet('Produits'), input, title);
  // Plain cells: the colours come from the conditional formatting, and a style per cell would
  // cost memory and time in proportion to products × criteria (700 000 cells for 10 000 products).
  await streamSpreadsheet(workbook, out, rowsOf(input.entries, ids));
}

async function* rowsOf(entries: AsyncIterable<ReportEntry>, ids: readonly string[]): AsyncIterable<string[]> {
  for await (const entry of entries) yield tableRow(entry, ids).cells.map(inertCell);
}

const COUNT_HEADER = ['Produits', 'Conformes', 'Non conformes', 'Non déclarés', 'Justificatif attendu', 'Part conforme (%)'];
const countCells = (c: VerdictCounts) => [c.total, c.conform, c['not-conform'], c.undeclared, c['needs-evidence'], c.shareConform];

function summarySheet(sheet: Worksheet, summary: ReportSummary, title: string): void {
  const width = COUNT_HEADER.length + 1;
  sheet.widths.push(44, ...COUNT_HEADER.map(() => 16));
  writeTitle(sheet, width, title, `${summary.framework.reference}. Un produit est conforme quand il satisfait toutes les exigences minimales de son article ; une valeur non déclarée n’est jamais supposée.`);
  // Row 3 stays empty; each block is a header row, its rows and an empty row.
  let row = 4;
  const block = (heading: string, rows: Array<[string, VerdictCounts]>) => {
    sheet.setRow(row, [heading, ...COUNT_HEADER]);
    styleHeaderRow(sheet, row, width);
    row += 1;
    for (const [label, counts] of rows) {
      sheet.setRow(row, [inertCell(label), ...countCells(counts)], GRID);
      row += 1;
    }
    row += 1;
  };
  block('Ensemble', [['Catalogue', summary.totals]]);
  block('Article', summary.byItem.map((g) => [g.label, g]));
  block('Fournisseur', summary.bySupplier.map((g) => [g.supplier, g]));
  setupPrint(sheet, 4, title);
}

/** The products sheet down to its header row; the products follow as streamed rows. */
function productsSheet(sheet: Worksheet, { summary, columns }: CatalogueWorkbookInput, title: string): void {
  const ids = columns.map((c) => c.id);
  const width = FIXED_COLUMNS.length + ids.length;
  const headerNumber = 3;
  sheet.frozen = { rows: headerNumber, columns: 1 };
  sheet.widths.push(16, 18, 14, 22, 18, 16, 48, ...ids.map(() => 20));
  writeTitle(sheet, width, title, 'Une ligne par produit, une colonne par critère (identifiant en en-tête, libellé en commentaire) : verdict et valeur déclarée.');
  sheet.setRow(headerNumber, [...FIXED_COLUMNS, ...ids]);
  styleHeaderRow(sheet, headerNumber, width);
  columns.forEach((criterion, index) => sheet.notes.push({ row: headerNumber, column: FIXED_COLUMNS.length + index + 1, text: criterion.label }));
  const first = headerNumber + 1;
  const last = Math.max(first, headerNumber + summary.totals.total);
  const from = columnLetter(6);
  const to = columnLetter(width);
  // Worst first and stopping: « non conforme » also ends with « conforme ».
  sheet.conditionalFormats.push({
    range: `${from}${first}:${to}${last}`,
    rules: (['not-conform', 'undeclared', 'needs-evidence', 'conform'] as const).map((verdict) => ({
      formula: `LEFT(${from}${first},${VERDICT_LABELS[verdict].length})="${VERDICT_LABELS[verdict]}"`,
      fill: FILLS[verdict],
      stopIfTrue: true,
    })),
  });
  sheet.autoFilter = `A${headerNumber}:${to}${headerNumber}`;
  setupPrint(sheet, headerNumber, title);
}
