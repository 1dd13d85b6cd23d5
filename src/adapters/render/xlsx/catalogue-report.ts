import type ExcelJS from 'exceljs';
import type { CatalogueReport, VerdictCounts } from '#src/core/products/catalogue-report.ts';
import { inertCell, reportTable, VERDICT_LABELS } from '#src/core/products/report-table.ts';
import { createWorkbook, FONT, GRID, packWorkbook, setupPrint, styleHeaderRow, writeTitle } from './workbook.ts';

/**
 * The catalogue report as a workbook: a summary sheet (counts overall, per item and per supplier)
 * and a products sheet, one row per product and one column per criterion, each cell coloured by
 * its verdict with conditional formatting, so a catalogue manager who filters or edits keeps the
 * colours. Reproducible: the bytes depend on the report and `createdAt` only.
 */

const FILLS = { conform: 'FFDDF2DD', 'not-conform': 'FFF8D7D5', undeclared: 'FFFFF1C7', 'needs-evidence': 'FFE3E9F0' } as const;

export async function renderCatalogueReportXlsx(report: CatalogueReport, createdAt: string): Promise<Uint8Array> {
  const title = `Conformité du catalogue au référentiel ${report.framework.id} v${report.framework.version}`;
  const workbook = createWorkbook({ title, subject: report.framework.reference, author: 'Cahier', keywords: ['catalogue', 'conformité', report.framework.id], createdAt });
  summarySheet(workbook.addWorksheet('Synthèse'), report, title);
  productsSheet(workbook.addWorksheet('Produits'), report, title);
  return packWorkbook(workbook, createdAt);
}

const COUNT_HEADER = ['Produits', 'Conformes', 'Non conformes', 'Non déclarés', 'Justificatif attendu', 'Part conforme (%)'];
const countCells = (c: VerdictCounts) => [c.total, c.conform, c['not-conform'], c.undeclared, c['needs-evidence'], c.shareConform];

function summarySheet(sheet: ExcelJS.Worksheet, report: CatalogueReport, title: string): void {
  const width = COUNT_HEADER.length + 1;
  writeTitle(sheet, width, title, `${report.framework.reference}. Un produit est conforme quand il satisfait toutes les exigences minimales de son article ; une valeur non déclarée n’est jamais supposée.`);
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
  block('Ensemble', [['Catalogue', report.totals]]);
  block('Article', report.byItem.map((g) => [g.label, g]));
  block('Fournisseur', report.bySupplier.map((g) => [g.supplier, g]));
  sheet.getColumn(1).width = 44;
  for (let i = 2; i <= width; i++) sheet.getColumn(i).width = 16;
  setupPrint(sheet, 4, title);
}

function productsSheet(sheet: ExcelJS.Worksheet, report: CatalogueReport, title: string): void {
  const table = reportTable(report);
  const width = table.header.length;
  writeTitle(sheet, width, title, 'Une ligne par produit, une colonne par critère (identifiant en en-tête, libellé en commentaire) : verdict et valeur déclarée.');
  const headerRow = sheet.addRow(table.header);
  styleHeaderRow(headerRow);
  table.criteria.forEach((criterion, index) => {
    headerRow.getCell(7 + index + 1).note = criterion.label;
  });
  // Plain cells: the colours come from the conditional formatting, and a style object per cell
  // would cost memory and time in proportion to products × criteria (700 000 cells for 10 000 products).
  for (const row of table.rows) sheet.addRow(row.cells.map(inertCell));
  const first = headerRow.number + 1;
  const last = Math.max(first, sheet.rowCount);
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
  sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: headerRow.number }];
  sheet.autoFilter = { from: { row: headerRow.number, column: 1 }, to: { row: headerRow.number, column: width } };
  [16, 18, 14, 22, 18, 16, 48].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  for (let i = 8; i <= width; i++) sheet.getColumn(i).width = 20;
  setupPrint(sheet, headerRow.number, title);
}
