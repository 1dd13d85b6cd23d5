/**
 * The compliance matrix ("cadre de réponse") a bidder returns with its offer: one sheet per lot
 * with one row per CCTP requirement, the same references, levels, thresholds and expected proofs
 * as the CCTP, and three answer columns (conformity Oui/Non from a list, offered value, proof
 * reference). A last sheet restates the award criteria and their weights as the RC sets them.
 */
import type ExcelJS from 'exceljs';
import { formatThreshold } from '#src/core/model/metric.ts';
import type { ResolvedLot, ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { AwardCriterion } from '#src/core/model/tender-request.ts';
import { AWARD_THEME_LABELS, LEVEL_LABELS, PROOF_LABELS } from '#src/core/documents/labels.ts';
import {
  BOLD,
  COLORS,
  GRID,
  addRangeValidation,
  createWorkbook,
  markAnswerCell,
  packWorkbook,
  protectSheet,
  setupPrint,
  styleHeaderRow,
  writeTitle,
} from './workbook.ts';
import { templateIdentity, writeIdentitySheet } from './identity.ts';

export const COMPLIANCE_COLUMNS = [
  { header: 'Réf.', width: 24 },
  { header: 'Exigence', width: 64 },
  { header: 'Niveau', width: 17 },
  { header: 'Seuil', width: 20 },
  { header: 'Justificatif attendu', width: 24 },
  { header: 'Conforme (Oui/Non)', width: 13 },
  { header: 'Valeur proposée', width: 26 },
  { header: 'Référence du justificatif', width: 28 },
] as const;

/** Row of the column headers on every lot sheet; requirements start on the next row. */
export const COMPLIANCE_HEADER_ROW = 3;
/** 1-based column numbers of the bidder's answers. */
export const ANSWER_COLUMNS = { conform: 6, value: 7, proof: 8 } as const;
export const CRITERIA_SHEET = 'Critères d’attribution';

const TYPE_LABELS = { price: 'Prix', cost: 'Coût', quality: 'Qualité' } as const;

export function lotSheetName(lot: ResolvedLot): string {
  return `Lot ${lot.number}`;
}

/** `tenderId`: the stored tender's id, written with the request's fingerprint in the hidden identity sheet (identity.ts). */
export async function renderComplianceMatrix(tender: ResolvedTender, tenderId?: string): Promise<Uint8Array> {
  const { request } = tender;
  const createdAt = `${request.consultationDate}T00:00:00.000Z`;
  const reference = request.reference ? ` (${request.reference})` : '';
  const workbook = createWorkbook({
    title: `Cadre de réponse — ${request.title}`,
    subject: `Matrice de conformité aux exigences du CCTP — ${request.buyer.name}`,
    author: request.buyer.name,
    keywords: ['cadre de réponse', 'matrice de conformité', 'CCTP', tender.framework.reference],
    createdAt,
  });
  const footer = request.reference ? `Cadre de réponse ${request.reference}` : `Cadre de réponse — ${request.buyer.name}`;

  for (const lot of tender.lots) {
    const sheet = workbook.addWorksheet(lotSheetName(lot), {
      views: [{ state: 'frozen', xSplit: 1, ySplit: COMPLIANCE_HEADER_ROW, topLeftCell: `B${COMPLIANCE_HEADER_ROW + 1}`, activeCell: 'F4' }],
      properties: { tabColor: { argb: COLORS.accent } },
    });
    sheet.columns = COMPLIANCE_COLUMNS.map((c) => ({ width: c.width }));
    writeTitle(
      sheet,
      COMPLIANCE_COLUMNS.length,
      `Lot ${lot.number} — ${lot.title}`,
      `Consultation « ${request.title} »${reference}. Pour chaque exigence du CCTP, indiquez si votre offre est conforme (Oui ou Non), la valeur proposée et la référence du justificatif joint (document et page). Seules les colonnes teintées sont modifiables. Une exigence minimale non satisfaite rend l’offre irrégulière.`,
    );
    const header = sheet.getRow(COMPLIANCE_HEADER_ROW);
    header.values = COMPLIANCE_COLUMNS.map((c) => c.header);
    header.height = 32;
    styleHeaderRow(header);
    lot.requirements.forEach((requirement, index) => writeRequirement(sheet, COMPLIANCE_HEADER_ROW + 1 + index, requirement));
    const last = COMPLIANCE_HEADER_ROW + Math.max(1, lot.requirements.length);
    const conform = sheet.getColumn(ANSWER_COLUMNS.conform).letter;
    addRangeValidation(sheet, `${conform}${COMPLIANCE_HEADER_ROW + 1}:${conform}${last}`, YES_NO);
    sheet.autoFilter = { from: { row: COMPLIANCE_HEADER_ROW, column: 1 }, to: { row: last, column: COMPLIANCE_COLUMNS.length } };
    setupPrint(sheet, COMPLIANCE_HEADER_ROW, footer);
    await protectSheet(sheet, { autoFilter: true });
  }

  await writeCriteriaSheets(workbook, tender, footer);
  await writeIdentitySheet(workbook, templateIdentity(tender, 'cadre-de-reponse', tenderId));
  return packWorkbook(workbook, createdAt);
}

const YES_NO: ExcelJS.DataValidation = {
  type: 'list',
  allowBlank: true,
  formulae: ['"Oui,Non"'],
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: 'Réponse attendue',
  error: 'Choisissez Oui ou Non dans la liste.',
  showInputMessage: true,
  promptTitle: 'Conformité',
  prompt: 'Oui si l’offre satisfait l’exigence, Non sinon.',
};

function writeRequirement(sheet: ExcelJS.Worksheet, rowNumber: number, requirement: ResolvedRequirement): void {
  const row = sheet.getRow(rowNumber);
  row.getCell(1).value = requirement.reference;
  row.getCell(2).value = {
    richText: [{ text: `${requirement.label}. `, font: BOLD }, { text: requirement.requirement }],
  };
  row.getCell(3).value = LEVEL_LABELS[requirement.level];
  row.getCell(4).value = formatThreshold(requirement.metric);
  row.getCell(5).value = requirement.proof.map((p) => PROOF_LABELS[p]).join(', ');
  for (let column = 1; column <= 5; column++) {
    const cell = row.getCell(column);
    cell.alignment = { vertical: 'top', wrapText: true };
    cell.border = GRID;
  }
  if (requirement.level === 'minimum') row.getCell(3).font = BOLD;
  for (const column of Object.values(ANSWER_COLUMNS)) {
    const cell = row.getCell(column);
    markAnswerCell(cell);
    cell.alignment = { vertical: 'top', wrapText: true, ...(column === ANSWER_COLUMNS.conform ? { horizontal: 'center' } : {}) };
  }
  // Rough height so the requirement text is readable before anyone resizes the row.
  const characters = requirement.label.length + requirement.requirement.length + 2;
  row.height = Math.max(30, Math.min(300, 13.5 * Math.ceil(characters / 70) + 4));
}

/** The award criteria sheets: one for the file, or one per lot when lots state their own (version 2). */
async function writeCriteriaSheets(workbook: ExcelJS.Workbook, tender: ResolvedTender, footer: string): Promise<void> {
  if (!tender.lots.some((l) => l.ownAwardCriteria)) {
    await writeCriteriaSheet(workbook, CRITERIA_SHEET, 'Critères d’attribution', 'Pondérations fixées au règlement de la consultation, identiques pour chaque lot. Les sous-critères détaillent la note de leur critère.', tender.request.awardCriteria, footer);
    return;
  }
  for (const lot of tender.lots) {
    await writeCriteriaSheet(
      workbook,
      criteriaSheetName(lot),
      `Critères d’attribution — Lot ${lot.number} — ${lot.title}`,
      'Pondérations fixées au règlement de la consultation pour ce lot. Les sous-critères détaillent la note de leur critère.',
      lot.awardCriteria,
      footer,
    );
  }
}

/** The award criteria sheet of a lot that states its own criteria. */
export const criteriaSheetName = (lot: Pick<ResolvedLot, 'number'>): string => `Critères lot ${lot.number}`;

async function writeCriteriaSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  title: string,
  note: string,
  criteria: readonly AwardCriterion[],
  footer: string,
): Promise<void> {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: COMPLIANCE_HEADER_ROW }],
  });
  sheet.columns = [{ width: 8 }, { width: 70 }, { width: 30 }, { width: 12 }, { width: 16 }, { width: 14 }];
  writeTitle(sheet, 6, title, note);
  const header = sheet.getRow(COMPLIANCE_HEADER_ROW);
  header.values = ['N°', 'Critère ou sous-critère', 'Nature', 'Type', 'Pondération', 'dont sous-critère'];
  header.height = 30;
  styleHeaderRow(header);

  let rowNumber = COMPLIANCE_HEADER_ROW + 1;
  const criterionRows: number[] = [];
  criteria.forEach((criterion, i) => {
    const row = sheet.getRow(rowNumber);
    row.values = [String(i + 1), criterion.name, AWARD_THEME_LABELS[criterion.theme], TYPE_LABELS[criterion.type], criterion.weight, null];
    row.font = BOLD;
    row.getCell(5).numFmt = weightFormat(criterion.weight);
    criterionRows.push(rowNumber);
    rowNumber += 1;
    criterion.subCriteria.forEach((sub, j) => {
      const subRow = sheet.getRow(rowNumber);
      subRow.values = [`${i + 1}.${j + 1}`, sub.name, sub.theme ? AWARD_THEME_LABELS[sub.theme] : '', '', null, sub.weight];
      subRow.getCell(2).alignment = { indent: 2, wrapText: true, vertical: 'top' };
      subRow.getCell(6).numFmt = weightFormat(sub.weight);
      rowNumber += 1;
    });
  });
  for (let r = COMPLIANCE_HEADER_ROW + 1; r < rowNumber; r++) {
    sheet.getRow(r).eachCell({ includeEmpty: true }, (cell, column) => {
      if (column > 6) return;
      cell.border = GRID;
      cell.alignment = { ...cell.alignment, vertical: 'top', wrapText: true };
    });
  }
  const total = sheet.getRow(rowNumber);
  const sum = criteria.reduce((n, c) => n + c.weight, 0);
  total.getCell(2).value = 'Total';
  total.getCell(5).value =
    criterionRows.length > 0 ? { formula: criterionRows.map((r) => `E${r}`).join('+'), result: sum } : 0;
  total.getCell(5).numFmt = weightFormat(sum);
  total.font = BOLD;
  for (let column = 1; column <= 6; column++) {
    const cell = total.getCell(column);
    cell.border = GRID;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLORS.totalFill } };
  }
  setupPrint(sheet, COMPLIANCE_HEADER_ROW, footer);
  await protectSheet(sheet);
}

/** "50 %" for whole weights, "12,5 %" otherwise. */
function weightFormat(weight: number): string {
  return Number.isInteger(weight) ? '0" %"' : '0.0#" %"';
}
