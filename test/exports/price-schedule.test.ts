import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { PRICE_HEADER_ROW, VAT_RATE, renderPriceSchedule } from '#src/adapters/render/xlsx/price-schedule.ts';
import { IDENTITY_SHEET } from '#src/adapters/render/xlsx/identity.ts';
import { evaluateCell } from './support/formula.ts';
import { cellText, readWorkbook, zipParts } from './support/office.ts';
import { EXAMPLE_NAMES, evaluatedExample } from './support/models.ts';

const round2 = (n: number) => Math.round(n * 100) / 100;

/** What the buyer's estimate comes to: Σ quantity × estimated unit price. */
function expectedTotals(lot: ResolvedLot): { ht: number; vat: number; ttc: number } {
  const ht = lot.lines.reduce((n, l) => n + l.quantity * (l.estimatedUnitPrice ?? 0), 0);
  const vat = round2(ht * VAT_RATE);
  return { ht, vat, ttc: ht + vat };
}

/** Row numbers of the item lines and of the three totals on an amounts sheet (DPGF or DQE). */
function rows(lot: ResolvedLot) {
  const first = PRICE_HEADER_ROW + 1;
  const ht = first + lot.lines.length;
  return { first, ht, vat: ht + 1, ttc: ht + 2 };
}

describe.each(EXAMPLE_NAMES)('renderPriceSchedule on examples/%s', (name) => {
  let tender: ResolvedTender;
  let framework: boolean;
  let blank: ExcelJS.Workbook;
  let blankBytes: Uint8Array;
  let estimate: ExcelJS.Workbook;

  beforeAll(async () => {
    ({ tender } = await evaluatedExample(name));
    framework = tender.request.contract.form === 'framework-agreement';
    blankBytes = await renderPriceSchedule(tender);
    blank = await readWorkbook(blankBytes);
    estimate = await readWorkbook(await renderPriceSchedule(tender, { prefillEstimates: true }));
  });

  it('has a DPGF per lot for an ordinary contract, a BPU and a DQE per lot for a framework agreement', () => {
    const expected = tender.lots.flatMap((l) => (framework ? [`BPU lot ${l.number}`, `DQE lot ${l.number}`] : [`DPGF lot ${l.number}`]));
    expect(blank.worksheets.map((s) => s.name)).toEqual([...expected, IDENTITY_SHEET]);
    // The identity the import checks (identity.ts): last, very hidden, so no bidder sees or edits it.
    expect(blank.worksheets.map((s) => s.state)).toEqual([...expected.map(() => 'visible'), 'veryHidden']);
    expect(blank.getWorksheet(IDENTITY_SHEET)!.getCell('B3').value).toBe('bordereau-des-prix');
  });

  it('lists every item line with its unit and quantity, unit prices left blank and unlocked for the bidder', () => {
    for (const lot of tender.lots) {
      const amounts = blank.getWorksheet(`${framework ? 'DQE' : 'DPGF'} lot ${lot.number}`)!;
      const prices = framework ? blank.getWorksheet(`BPU lot ${lot.number}`)! : amounts;
      const priceColumn = framework ? 4 : 5;
      lot.lines.forEach((line, i) => {
        const r = PRICE_HEADER_ROW + 1 + i;
        expect(cellText(amounts.getCell(r, 2).value)).toBe(line.item.label);
        expect(cellText(amounts.getCell(r, 3).value)).toBe(line.item.unit);
        expect(amounts.getCell(r, 4).value).toBe(line.quantity);
        expect(amounts.getCell(r, 6).value).toMatchObject({ formula: `D${r}*E${r}` });
        const price = prices.getCell(r, priceColumn);
        expect(price.value).toBeNull();
        expect(price.protection?.locked).toBe(false);
        expect(price.dataValidation).toMatchObject({ type: 'decimal', operator: 'greaterThanOrEqual' });
        if (framework) expect(amounts.getCell(r, 5).value).toMatchObject({ formula: `'BPU lot ${lot.number}'!D${r}` });
        else expect(amounts.getCell(r, 6).protection?.locked).not.toBe(false);
      });
      const { ht, vat, ttc } = rows(lot);
      expect(cellText(amounts.getCell(ht, 1).value)).toBe('Total HT');
      expect(cellText(amounts.getCell(vat, 1).value)).toBe('TVA 20 %');
      expect(cellText(amounts.getCell(ttc, 1).value)).toBe('Total TTC');
    }
  });

  it('computes totals HT, TVA 20 % and TTC equal to Σ quantity × price once the bidder types the prices in', () => {
    for (const lot of tender.lots) {
      const sheet = `${framework ? 'DQE' : 'DPGF'} lot ${lot.number}`;
      const priceSheet = framework ? `BPU lot ${lot.number}` : sheet;
      const priceColumn = framework ? 'D' : 'E';
      const inputs = new Map(
        lot.lines.map((line, i) => [`${priceSheet}!${priceColumn}${PRICE_HEADER_ROW + 1 + i}`, line.estimatedUnitPrice ?? 0]),
      );
      const expected = expectedTotals(lot);
      const { ht, vat, ttc } = rows(lot);
      expect(evaluateCell(blank, sheet, `F${ht}`, inputs)).toBeCloseTo(expected.ht, 2);
      expect(evaluateCell(blank, sheet, `F${vat}`, inputs)).toBeCloseTo(expected.vat, 2);
      expect(evaluateCell(blank, sheet, `F${ttc}`, inputs)).toBeCloseTo(expected.ttc, 2);
      // Blank schedule: nothing to show until prices are typed in (exceljs leaves a zero result out).
      expect((blank.getWorksheet(sheet)!.getCell(`F${ttc}`).value as ExcelJS.CellFormulaValue).result ?? 0).toBe(0);
    }
  });

  it('caches the same results it computes when prefilled with the buyer’s estimates', () => {
    for (const lot of tender.lots) {
      const sheet = `${framework ? 'DQE' : 'DPGF'} lot ${lot.number}`;
      const expected = expectedTotals(lot);
      const { first, ht, vat, ttc } = rows(lot);
      for (const [address, value] of [
        [`F${ht}`, expected.ht],
        [`F${vat}`, expected.vat],
        [`F${ttc}`, expected.ttc],
      ] as const) {
        const cell = estimate.getWorksheet(sheet)!.getCell(address).value as ExcelJS.CellFormulaValue;
        expect(cell.result).toBeCloseTo(value, 2);
        expect(evaluateCell(estimate, sheet, address)).toBeCloseTo(value, 2);
      }
      lot.lines.forEach((line, i) => {
        const cell = estimate.getWorksheet(sheet)!.getCell(`F${first + i}`).value as ExcelJS.CellFormulaValue;
        expect(cell.result).toBe(line.quantity * (line.estimatedUnitPrice ?? 0));
      });
    }
  });

  it('protects every sheet, locks the workbook structure and is byte-identical on a second run', async () => {
    for (const sheet of blank.worksheets) {
      expect((sheet as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection).toMatchObject({ sheet: true });
      if (sheet.name !== IDENTITY_SHEET) expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: PRICE_HEADER_ROW });
    }
    expect(zipParts(blankBytes).get('xl/workbook.xml')).toContain('<workbookProtection lockStructure="1"/>');
    expect(Buffer.compare(Buffer.from(await renderPriceSchedule(tender)), Buffer.from(blankBytes))).toBe(0);
  });
});
