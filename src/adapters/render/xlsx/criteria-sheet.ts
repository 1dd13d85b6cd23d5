import type { Framework } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { CRITERIA_COLUMNS, CRITERIA_DOCUMENT, CRITERIA_IDENTITY_ROWS, CRITERIA_IDENTITY_SHEET, CRITERIA_SHEET, criterionRow } from '#src/core/model/criteria-sheet.ts';
import { addRangeValidation, createWorkbook, markAnswerCell, packWorkbook, protectSheet, styleHeaderRow } from './workbook.ts';

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
  const sheet = workbook.addWorksheet(CRITERIA_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  sheet.columns = CRITERIA_COLUMNS.map((c) => ({ width: c.width }));
  const header = sheet.getRow(1);
  header.values = CRITERIA_COLUMNS.map((c) => c.header);
  styleHeaderRow(header);
  criteria.forEach((criterion, i) => {
    const values = criterionRow(criterion);
    const row = sheet.getRow(i + 2);
    CRITERIA_COLUMNS.forEach((column, j) => {
      const cell = row.getCell(j + 1);
      const value = values[column.key];
      if (value !== undefined) cell.value = value;
      if (!('readOnly' in column)) markAnswerCell(cell);
      cell.alignment = { vertical: 'top', wrapText: column.key === 'exigence' || column.key === 'intitule' };
    });
  });
  const last = Math.max(2, criteria.length + 1);
  CRITERIA_COLUMNS.forEach((column, j) => {
    if (!('list' in column)) return;
    const letter = sheet.getColumn(j + 1).letter;
    addRangeValidation(sheet, `${letter}2:${letter}${last}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${column.list.join(',')}"`],
      showErrorMessage: true,
      errorTitle: column.header,
      error: `Valeurs admises : ${column.list.join(', ')}.`,
    });
  });
  await protectSheet(sheet, { autoFilter: true });
  const identity = workbook.addWorksheet(CRITERIA_IDENTITY_SHEET, { state: 'veryHidden' });
  identity.columns = [{ width: 28 }, { width: 60 }];
  const labels = { framework: 'Référentiel', version: 'Version exportée', document: 'Document' } as const;
  const values = { framework: framework.id, version: String(framework.version), document: CRITERIA_DOCUMENT };
  for (const key of Object.keys(CRITERIA_IDENTITY_ROWS) as Array<keyof typeof CRITERIA_IDENTITY_ROWS>) {
    const row = identity.getRow(CRITERIA_IDENTITY_ROWS[key]);
    row.getCell(1).value = labels[key];
    row.getCell(2).value = values[key];
  }
  await protectSheet(identity);
  return packWorkbook(workbook, createdAt);
}
