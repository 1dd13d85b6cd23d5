import type { CatalogueReport, ReportEntry } from './catalogue-report.ts';
import type { Verdict } from './check-product.ts';

/**
 * The catalogue report as a table, one row per product and one column per criterion checked:
 * what the CSV and XLSX exports print, so both say the same thing.
 */

export const VERDICT_LABELS: Record<Verdict, string> = {
  conform: 'conforme',
  'not-conform': 'non conforme',
  undeclared: 'non déclaré',
  'needs-evidence': 'justificatif attendu',
};

export interface ReportTable {
  /** Fixed columns then one per criterion (its id, so a sheet reads back). */
  header: string[];
  /** The criterion columns: id and label, in header order after the fixed ones. */
  criteria: Array<{ id: string; label: string }>;
  rows: TableRow[];
}

export interface TableRow {
  cells: string[];
  verdict: Verdict;
  criterionVerdicts: Array<Verdict | undefined>;
}

export const FIXED_COLUMNS = ['référence', 'fournisseur', 'marque', 'modèle', 'article', 'verdict', 'premier motif'];

export function reportTable(report: CatalogueReport): ReportTable {
  const criteria = new Map<string, string>();
  for (const product of report.products) for (const check of product.checks) if (!criteria.has(check.criterionId)) criteria.set(check.criterionId, check.label);
  const ids = [...criteria.keys()];
  return { header: [...FIXED_COLUMNS, ...ids], criteria: ids.map((id) => ({ id, label: criteria.get(id)! })), rows: report.products.map((product) => tableRow(product, ids)) };
}

/** One product's row, for the criterion columns `ids` (CatalogueTally.columns gives them for a report written as it is checked). */
export function tableRow(product: ReportEntry, ids: readonly string[]): TableRow {
  const byId = new Map(product.checks.map((c) => [c.criterionId, c]));
  const reason = product.firstReason;
  const cells = [
    product.reference,
    product.supplier,
    product.brand,
    product.model,
    product.item ?? product.offer ?? '',
    VERDICT_LABELS[product.verdict],
    reason === undefined ? '' : `${reason.component ? `${reason.component} : ` : ''}${reason.label} : ${reason.comparison}`,
    ...ids.map((id) => {
      const check = byId.get(id);
      return check === undefined ? '' : `${VERDICT_LABELS[check.verdict]}${check.declared === undefined ? '' : ` (${check.declared})`}`;
    }),
  ];
  return { cells, verdict: product.verdict, criterionVerdicts: ids.map((id) => byId.get(id)?.verdict) };
}

/**
 * A cell a spreadsheet will not run: supplier text starting with = + - @ (or a tab or carriage
 * return) is a formula to Excel and LibreOffice (CSV injection), so it is prefixed with an apostrophe.
 */
export function inertCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A line of the CSV report: « ; » separated (French spreadsheets), every cell inert and quoted when needed, without its CRLF. */
export function csvLine(cells: readonly string[]): string {
  return cells
    .map((cell) => {
      const safe = inertCell(cell);
      return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    })
    .join(';');
}

/** The CSV report starts with a BOM (UTF-8 for spreadsheets) and ends each line with CRLF. */
export const CSV_BOM = '\ufeff';

/** The report as CSV: one line per product after the header (see csvLine). */
export function reportCsv(report: CatalogueReport): string {
  const table = reportTable(report);
  return `${CSV_BOM}${[table.header, ...table.rows.map((r) => r.cells)].map((cells) => `${csvLine(cells)}\r\n`).join('')}`;
}
