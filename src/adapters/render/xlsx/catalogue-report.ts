import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { ReportEntry, ReportSummary, VerdictCounts } from '#src/core/products/catalogue-report.ts';
import { FIXED_COLUMNS, inertCell, tableRow, VERDICT_LABELS } from '#src/core/products/report-table.ts';
import { FONT, GRID, setupPrint, streamWorkbook, styleHeaderRow, writeTitle } from './workbook.ts';

/**
 * The catalogue report as a workbook: a summary sheet (counts overall, per item and per supplier)
 * and a products sheet, one row per product and one column per criterion, each cell coloured by
 * its verdict with conditional formatting, so a catalogue manager who filters or edits keeps the
 * colours. Streamed: the products are read one at a time (a 10 000-product catalogue is never
 * held) and each row is committed as it is written. Reproducible: the bytes depend on the report
 * and `createdAt` only.
 */

const FILLS = { conform: 'FFDDF2DD', 'not-conform': 'FFF8D7D5', undeclared: 'FFFFF1C7', 'needs-evidence': 'FFE3E9F0' } as const;

/** Rows committed before waiting for the archiver to take them (see StreamedWorkbook.drained). */
const ROWS_PER_BATCH = 100;

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
  const { workbook, drained } = streamWorkbook({ title, subject: summary.framework.reference, author: 'Cahier', keywords: ['catalogue', 'conformité', summary.framework.id], createdAt }, out);
  summarySheet(workbook.addWorksheet('Synthèse'), summary, title);
  await productsSheet(workbook, input, title, drained);
  await workbook.commit();
}

const COUNT_HEADER = ['Produits', 'Conformes', 'Non conformes', 'Non déclarés', 'Justificatif attendu', 'Part conforme (%)'];
const countCells = (c: VerdictCounts) => [c.total, c.conform, c['not-conform'], c.undeclared, c['needs-evidence'], c.shareConform];

function summarySheet(sheet: ExcelJS.Worksheet, summary: ReportSummary, title: string): void {
  const width = COUNT_HEADER.length + 1;
  // A streamed sheet writes its column widths with its first row.
  sheet.getColumn(1).width = 44;
  for (let i = 2; i <= width; i++) sheet.getColumn(i).width = 16;
  writeTitle(sheet, width, title, `${summary.framework.reference}. Un produit est conforme quand il satisfait toutes les exigences minimales de son article ; une valeur non déclarée n’est jamais supposée.`);
  const block = (heading: string, rows: Array<[string, VerdictCounts]>) => {
    const header = sheet.addRow([heading, ...COUNT_HEADER]);
    styleHeaderRow(header);
    for (const [label, counts] of rows) {
      const row = sheet.addRow([inertCell(label), ...countCells(counts)]);
      row.font = { ...FONT };
      row.eachCell((cell) => (cell.border = GRID));
    }
    sheet.addRow([]);
  };
  sheet.addRow([]);
  block('Ensemble', [['Catalogue', summary.totals]]);
  block('Article', summary.byItem.map((g) => [g.label, g]));
  block('Fournisseur', summary.bySupplier.map((g) => [g.supplier, g]));
  setupPrint(sheet, 4, title);
  sheet.commit();
}

async function productsSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, { summary, columns, entries }: CatalogueWorkbookInput, title: string, drained: () => Promise<void>): Promise<void> {
  const ids = columns.map((c) => c.id);
  const width = FIXED_COLUMNS.length + ids.length;
  const headerNumber = 3;
  const sheet = workbook.addWorksheet('Produits', { views: [{ state: 'frozen', xSplit: 1, ySplit: headerNumber }] });
  [16, 18, 14, 22, 18, 16, 48].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  for (let i = FIXED_COLUMNS.length + 1; i <= width; i++) sheet.getColumn(i).width = 20;
  writeTitle(sheet, width, title, 'Une ligne par produit, une colonne par critère (identifiant en en-tête, libellé en commentaire) : verdict et valeur déclarée.');
  const headerRow = sheet.addRow([...FIXED_COLUMNS, ...ids]);
  if (headerRow.number !== headerNumber) throw new Error(`the products header is on row ${headerRow.number}, not ${headerNumber}`);
  styleHeaderRow(headerRow);
  columns.forEach((criterion, index) => {
    headerRow.getCell(FIXED_COLUMNS.length + index + 1).note = criterion.label;
  });
  const first = headerNumber + 1;
  const last = Math.max(first, headerNumber + summary.totals.total);
  const from = sheet.getColumn(6).letter;
  const to = sheet.getColumn(width).letter;
  // Worst first and stopping: « non conforme » also ends with « conforme ».
  const rules: ExcelJS.ConditionalFormattingRule[] = (['not-conform', 'undeclared', 'needs-evidence', 'conform'] as const).map((verdict, priority) => ({
    type: 'expression',
    priority: priority + 1,
    stopIfTrue: true,
    formulae: [`LEFT(${from}${first},${VERDICT_LABELS[verdict].length})="${VERDICT_LABELS[verdict]}"`],
    style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: FILLS[verdict] } } },
  }));
  sheet.addConditionalFormatting({ ref: `${from}${first}:${to}${last}`, rules });
  sheet.autoFilter = { from: { row: headerNumber, column: 1 }, to: { row: headerNumber, column: width } };
  setupPrint(sheet, headerNumber, title);
  headerRow.commit();
  // Plain cells: the colours come from the conditional formatting, and a style object per cell
  // would cost memory and time in proportion to products × criteria (700 000 cells for 10 000 products).
  let count = 0;
  for await (const entry of entries) {
    sheet.addRow(tableRow(entry, ids).cells.map(inertCell)).commit();
    if (++count % ROWS_PER_BATCH === 0) await drained();
  }
  sheet.commit();
}
