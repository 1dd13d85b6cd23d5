import type { Framework } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { CRITERIA_COLUMNS, CRITERIA_DOCUMENT, CRITERIA_IDENTITY_ROWS, CRITERIA_IDENTITY_SHEET, CRITERIA_SHEET, criterionRow } from '#src/core/model/criteria-sheet.ts';
import { columnLetter } from './spreadsheet.ts';
import { ANSWER, createWorkbook, packWorkbook, protectSheet, styleHeaderRow } from './workbook.ts';

/**
 * The criteria of a framework as a workbook for the ministry's review circuits: sheet « Critères »
 * (criteria-sheet.ts: one row per criterion at its latest version, one column per editable field,
 * lists for the enumerated ones, the id and version locked), and a very hidden, locked sheet
 * « Cahier » naming the framework, so that importing the file into another framework is refused.
 * Dated by the framework version's publication: the same criteria give the same bytes.
 */
export async function renderCriteriaSheet(framework: Framework, criteria: readonly Criterion[]): Promise<Uint8Array> {
  const createdAt = `${framework.publishedAt ?? '1980-01-01'}T00:00:00.000Z`;
  const workbook = createWorkbook({
    title: `Critères du référentiel ${framework.id} (version ${framework.version})`,
    subject: framework.reference,
    author: 'Cahier',
    keywords: ['critères', framework.id],
    createdAt,
  });
  const sheet = workbook.addSheet(CRITERIA_SHEET);
  sheet.frozen = { rows: 1, columns: 1 };
  sheet.widths.push(...CRITERIA_COLUMNS.map((c) => c.width));
  sheet.setRow(1, CRITERIA_COLUMNS.map((c) => c.header));
  styleHeaderRow(sheet, 1, CRITERIA_COLUMNS.length);
  criteria.forEach((criterion, i) => {
    const values = criterionRow(criterion);
    CRITERIA_COLUMNS.forEach((column, j) => {
      const value = values[column.key];
      const wrapText = column.key === 'exigence' || column.key === 'intitule';
      sheet.set(i + 2, j + 1, value ?? null, { ...('readOnly' in column ? {} : ANSWER), alignment: { vertical: 'top', wrapText } });
    });
  });
  const last = Math.max(2, criteria.length + 1);
  CRITERIA_COLUMNS.forEach((column, j) => {
    if (!('list' in column)) return;
    const letter = columnLetter(j + 1);
    sheet.validate({
      range: `${letter}2:${letter}${last}`,
      type: 'list',
      allowBlank: true,
      formulae: [`"${column.list.join(',')}"`],
      showErrorMessage: true,
      errorTitle: column.header,
      error: `Valeurs admises : ${column.list.join(', ')}.`,
    });
  });
  protectSheet(sheet, { autoFilter: true });
  const identity = workbook.addSheet(CRITERIA_IDENTITY_SHEET, 'veryHidden');
  identity.widths.push(28, 60);
  const labels = { framework: 'Référentiel', version: 'Version exportée', document: 'Document' } as const;
  const values = { framework: framework.id, version: String(framework.version), document: CRITERIA_DOCUMENT };
  for (const key of Object.keys(CRITERIA_IDENTITY_ROWS) as Array<keyof typeof CRITERIA_IDENTITY_ROWS>) {
    identity.setRow(CRITERIA_IDENTITY_ROWS[key], [labels[key], values[key]]);
  }
  protectSheet(identity);
  return packWorkbook(workbook);
}
