import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatThreshold } from '#src/core/model/metric.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { LEVEL_LABELS, PROOF_LABELS } from '#src/core/documents/labels.ts';
import {
  ANSWER_COLUMNS,
  COMPLIANCE_COLUMNS,
  COMPLIANCE_HEADER_ROW,
  CRITERIA_SHEET,
  renderComplianceMatrix,
} from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { IDENTITY_SHEET } from '#src/adapters/render/xlsx/identity.ts';
import { cellText, readWorkbook, zipEntryTimes, zipParts } from './support/office.ts';
import { EXAMPLE_NAMES, evaluatedExample } from './support/models.ts';

describe.each(EXAMPLE_NAMES)('renderComplianceMatrix on examples/%s', (name) => {
  let tender: ResolvedTender;
  let bytes: Uint8Array;
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    ({ tender } = await evaluatedExample(name));
    bytes = await renderComplianceMatrix(tender);
    workbook = await readWorkbook(bytes);
  });

  it('has one sheet per lot, then the award criteria', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([...tender.lots.map((l) => `Lot ${l.number}`), CRITERIA_SHEET, IDENTITY_SHEET]);
    // The identity the import checks (identity.ts): last, very hidden, so no bidder sees or edits it.
    expect(workbook.worksheets.filter((s) => s.state !== 'visible').map((s) => [s.name, s.state])).toEqual([[IDENTITY_SHEET, 'veryHidden']]);
    expect(workbook.getWorksheet(IDENTITY_SHEET)!.getCell('B3').value).toBe('cadre-de-reponse');
  });

  it('lists one row per requirement of the lot, with its level, threshold and expected proof', () => {
    for (const lot of tender.lots) {
      const sheet = workbook.getWorksheet(`Lot ${lot.number}`)!;
      expect(sheet.getRow(COMPLIANCE_HEADER_ROW).values).toEqual([undefined, ...COMPLIANCE_COLUMNS.map((c) => c.header)]);
      expect(sheet.rowCount).toBe(COMPLIANCE_HEADER_ROW + lot.requirements.length);
      lot.requirements.forEach((requirement, i) => {
        const row = sheet.getRow(COMPLIANCE_HEADER_ROW + 1 + i);
        expect(cellText(row.getCell(1).value)).toBe(requirement.reference);
        expect(cellText(row.getCell(2).value)).toBe(`${requirement.label}. ${requirement.requirement}`);
        expect(cellText(row.getCell(3).value)).toBe(LEVEL_LABELS[requirement.level]);
        expect(cellText(row.getCell(4).value).startsWith(formatThreshold(requirement.metric))).toBe(true);
        expect(cellText(row.getCell(5).value)).toBe(requirement.proof.map((p) => PROOF_LABELS[p]).join(', '));
        for (const column of Object.values(ANSWER_COLUMNS)) expect(row.getCell(column).value).toBeNull();
      });
    }
  });

  it('offers Oui/Non as a list on the conformity column, and leaves only the answer cells unlocked', () => {
    for (const lot of tender.lots) {
      const sheet = workbook.getWorksheet(`Lot ${lot.number}`)!;
      lot.requirements.forEach((_requirement, i) => {
        const row = sheet.getRow(COMPLIANCE_HEADER_ROW + 1 + i);
        expect(row.getCell(ANSWER_COLUMNS.conform).dataValidation).toMatchObject({ type: 'list', formulae: ['"Oui,Non"'], showErrorMessage: true });
        for (let column = 1; column <= COMPLIANCE_COLUMNS.length; column++) {
          const unlocked = row.getCell(column).protection?.locked === false;
          expect(unlocked, `row ${row.number} column ${column}`).toBe((Object.values(ANSWER_COLUMNS) as number[]).includes(column));
        }
      });
      expect(sheet.getRow(1).getCell(1).protection?.locked).not.toBe(false);
      expect(sheet.getRow(COMPLIANCE_HEADER_ROW).getCell(ANSWER_COLUMNS.conform).protection?.locked).not.toBe(false);
    }
  });

  it('freezes the header row, filters it, and protects every sheet and the workbook structure', () => {
    for (const lot of tender.lots) {
      const sheet = workbook.getWorksheet(`Lot ${lot.number}`)!;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: COMPLIANCE_HEADER_ROW });
      expect(sheet.autoFilter).toBe(`A${COMPLIANCE_HEADER_ROW}:H${COMPLIANCE_HEADER_ROW + lot.requirements.length}`);
    }
    for (const sheet of workbook.worksheets) {
      expect((sheet as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection).toMatchObject({ sheet: true });
    }
    expect(zipParts(bytes).get('xl/workbook.xml')).toContain('<workbookProtection lockStructure="1"/>');
    // Every data validation range is a single, non-overlapping block.
    const sheetXml = zipParts(bytes).get('xl/worksheets/sheet1.xml')!;
    expect(sheetXml.match(/<dataValidation /g)).toHaveLength(1);
  });

  it('restates the award criteria, sub-criteria and weights, with a total of 100 %', () => {
    const sheet = workbook.getWorksheet(CRITERIA_SHEET)!;
    const rows: Array<{ name: string; weight: unknown; sub: unknown }> = [];
    sheet.eachRow((row, number) => {
      if (number > COMPLIANCE_HEADER_ROW) rows.push({ name: cellText(row.getCell(2).value), weight: row.getCell(5).value, sub: row.getCell(6).value });
    });
    const expected = tender.request.awardCriteria.flatMap((c) => [
      { name: c.name, weight: c.weight, sub: null },
      ...c.subCriteria.map((s) => ({ name: s.name, weight: null, sub: s.weight })),
    ]);
    expect(rows.slice(0, -1)).toEqual(expected);
    const total = rows.at(-1)!;
    expect(total.name).toBe('Total');
    expect(total.weight).toMatchObject({ result: 100 });
  });

  it('is byte-identical when rendered twice, dated by the consultation', async () => {
    const again = await renderComplianceMatrix(tender);
    expect(Buffer.compare(Buffer.from(again), Buffer.from(bytes))).toBe(0);
    expect(workbook.created.toISOString()).toBe(`${tender.request.consultationDate}T00:00:00.000Z`);
    expect(workbook.modified.toISOString()).toBe(`${tender.request.consultationDate}T00:00:00.000Z`);
    expect(new Set(zipEntryTimes(bytes))).toEqual(new Set([`${tender.request.consultationDate} 00:00:00`]));
  });
});
