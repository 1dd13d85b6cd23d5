/**
 * The compliance matrix ("cadre de réponse") a bidder returns with its offer: one sheet per lot
 * with one row per CCTP requirement, the same references, levels, thresholds and expected proofs
 * as the CCTP, and three answer columns (conformity Oui/Non from a list, offered value, proof
 * reference). A last sheet restates the award criteria and their weights as the RC sets them.
 */
import { formatThreshold } from '#src/core/model/metric.ts';
import type { ResolvedLot, ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { AwardCriterion } from '#src/core/model/tender-request.ts';
import { AWARD_THEME_LABELS, LEVEL_LABELS, PROOF_LABELS } from '#src/core/documents/labels.ts';
import { columnLetter, type DataValidation, type Spreadsheet, type Worksheet } from './spreadsheet.ts';
import { ANSWER, BOLD, COLORS, GRID, createWorkbook, packWorkbook, protectSheet, setupPrint, styleHeaderRow, writeTitle } from './workbook.ts';
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
    const sheet = workbook.addSheet(lotSheetName(lot));
    sheet.frozen = { rows: COMPLIANCE_HEADER_ROW, columns: 1, topLeftCell: `B${COMPLIANCE_HEADER_ROW + 1}`, activeCell: 'F4' };
    sheet.tabColor = COLORS.accent;
    sheet.widths.push(...COMPLIANCE_COLUMNS.map((c) => c.width));
    writeTitle(
      sheet,
      COMPLIANCE_COLUMNS.length,
      `Lot ${lot.number} — ${lot.title}`,
      `Consultation « ${request.title} »${reference}. Pour chaque exigence du CCTP, indiquez si votre offre est conforme (Oui ou Non), la valeur proposée et la référence du justificatif joint (document et page). Seules les colonnes teintées sont modifiables. Une exigence minimale non satisfaite rend l’offre irrégulière.`,
    );
    sheet.setRow(COMPLIANCE_HEADER_ROW, COMPLIANCE_COLUMNS.map((c) => c.header));
    sheet.height(COMPLIANCE_HEADER_ROW, 32);
    styleHeaderRow(sheet, COMPLIANCE_HEADER_ROW, COMPLIANCE_COLUMNS.length);
    lot.requirements.forEach((requirement, index) => writeRequirement(sheet, COMPLIANCE_HEADER_ROW + 1 + index, requirement));
    const last = COMPLIANCE_HEADER_ROW + Math.max(1, lot.requirements.length);
    const conform = columnLetter(ANSWER_COLUMNS.conform);
    sheet.validate({ range: `${conform}${COMPLIANCE_HEADER_ROW + 1}:${conform}${last}`, ...YES_NO });
    sheet.autoFilter = `A${COMPLIANCE_HEADER_ROW}:${columnLetter(COMPLIANCE_COLUMNS.length)}${last}`;
    setupPrint(sheet, COMPLIANCE_HEADER_ROW, footer);
    protectSheet(sheet, { autoFilter: true });
  }

  writeCriteriaSheets(workbook, tender, footer);
  writeIdentitySheet(workbook, templateIdentity(tender, 'cadre-de-reponse', tenderId));
  return packWorkbook(workbook);
}

const YES_NO: Omit<DataValidation, 'range'> = {
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

function writeRequirement(sheet: Worksheet, row: number, requirement: ResolvedRequirement): void {
  const text = { alignment: { vertical: 'top', wrapText: true }, ...GRID } as const;
  sheet.set(row, 1, requirement.reference, text);
  sheet.set(row, 2, { richText: [{ text: `${requirement.label}. `, bold: true }, { text: requirement.requirement }] }, text);
  sheet.set(row, 3, LEVEL_LABELS[requirement.level], { ...text, ...(requirement.level === 'minimum' ? { font: BOLD } : {}) });
  sheet.set(row, 4, formatThreshold(requirement.metric), text);
  sheet.set(row, 5, requirement.proof.map((p) => PROOF_LABELS[p]).join(', '), text);
  for (const column of Object.values(ANSWER_COLUMNS)) {
    sheet.style(row, column, { ...ANSWER, alignment: { vertical: 'top', wrapText: true, ...(column === ANSWER_COLUMNS.conform ? { horizontal: 'center' } : {}) } });
  }
  // Rough height so the requirement text is readable before anyone resizes the row.
  const characters = requirement.label.length + requirement.requirement.length + 2;
  sheet.height(row, Math.max(30, Math.min(300, 13.5 * Math.ceil(characters / 70) + 4)));
}

/** The award criteria sheets: one for the file, or one per lot when lots state their own (version 2). */
function writeCriteriaSheets(workbook: Spreadsheet, tender: ResolvedTender, footer: string): void {
  if (!tender.lots.some((l) => l.ownAwardCriteria)) {
    writeCriteriaSheet(workbook, CRITERIA_SHEET, 'Critères d’attribution', 'Pondérations fixées au règlement de la consultation, identiques pour chaque lot. Les sous-critères détaillent la note de leur critère.', tender.request.awardCriteria, footer);
    return;
  }
  for (const lot of tender.lots) {
    writeCriteriaSheet(
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

function writeCriteriaSheet(workbook: Spreadsheet, name: string, title: string, note: string, criteria: readonly AwardCriterion[], footer: string): void {
  const sheet = workbook.addSheet(name);
  sheet.frozen = { rows: COMPLIANCE_HEADER_ROW };
  sheet.widths.push(8, 70, 30, 12, 16, 14);
  writeTitle(sheet, 6, title, note);
  sheet.setRow(COMPLIANCE_HEADER_ROW, ['N°', 'Critère ou sous-critère', 'Nature', 'Type', 'Pondération', 'dont sous-critère']);
  sheet.height(COMPLIANCE_HEADER_ROW, 30);
  styleHeaderRow(sheet, COMPLIANCE_HEADER_ROW, 6);

  const cellStyle = { alignment: { vertical: 'top', wrapText: true }, ...GRID } as const;
  let row = COMPLIANCE_HEADER_ROW + 1;
  const criterionRows: number[] = [];
  criteria.forEach((criterion, i) => {
    sheet.setRow(row, [String(i + 1), criterion.name, AWARD_THEME_LABELS[criterion.theme], TYPE_LABELS[criterion.type], criterion.weight, null], { ...cellStyle, font: BOLD });
    sheet.style(row, 5, { numFmt: weightFormat(criterion.weight) });
    criterionRows.push(row);
    row += 1;
    criterion.subCriteria.forEach((sub, j) => {
      sheet.setRow(row, [`${i + 1}.${j + 1}`, sub.name, sub.theme ? AWARD_THEME_LABELS[sub.theme] : '', '', null, sub.weight], cellStyle);
      sheet.style(row, 2, { alignment: { indent: 2 } });
      sheet.style(row, 6, { numFmt: weightFormat(sub.weight) });
      row += 1;
    });
  });
  const sum = criteria.reduce((n, c) => n + c.weight, 0);
  sheet.styleRange(row, 1, 6, { font: BOLD, fill: COLORS.totalFill, ...GRID });
  sheet.set(row, 2, 'Total');
  sheet.set(row, 5, criterionRows.length > 0 ? { formula: criterionRows.map((r) => `E${r}`).join('+'), result: sum } : 0, { numFmt: weightFormat(sum) });
  setupPrint(sheet, COMPLIANCE_HEADER_ROW, footer);
  protectSheet(sheet);
}

/** "50 %" for whole weights, "12,5 %" otherwise. */
function weightFormat(weight: number): string {
  return Number.isInteger(weight) ? '0" %"' : '0.0#" %"';
}
