import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';

/**
 * A product sheet as a supplier would send it: the rows of a « ; » CSV product file written to the
 * first sheet of an .xlsx workbook, each value a text cell, except the cells `numbers` names
 * (« TAB-002:tablet.ram ») written as a number with the value's leading figure (the column's
 * header must then carry the unit), `percents` as a fraction shown as a percentage (0.95 shown
 * « 95 % »), `date` as a date. `formula` puts a formula in one such cell instead, and
 * `strayRow` a stray text in column A of that row; `firstRow` is where the header goes (row 1).
 */
export async function productWorkbook(csv: string, options: { numbers?: Record<string, number>; percents?: Record<string, number>; date?: string; formula?: string; sheet?: string; strayRow?: number; firstRow?: number } = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(options.sheet ?? 'Produits');
  const lines = csv.replace(/^\ufeff/, '').split(/\r?\n/).filter((l) => l !== '');
  const header = lines[0]!.split(';');
  for (const [index, line] of lines.entries()) {
    const cells = line.split(';');
    const row = sheet.getRow(index + (options.firstRow ?? 1));
    cells.forEach((text, column) => {
      if (text === '') return;
      const key = `${cells[0]}:${header[column]}`;
      if (options.formula === key) row.getCell(column + 1).value = { formula: '4*16', result: 64 };
      else if (options.numbers?.[key] !== undefined) row.getCell(column + 1).value = options.numbers[key];
      else if (options.percents?.[key] !== undefined) {
        row.getCell(column + 1).value = options.percents[key];
        row.getCell(column + 1).numFmt = '0%';
      } else if (options.date === key) row.getCell(column + 1).value = new Date('2031-06-30T00:00:00Z');
      else row.getCell(column + 1).value = text;
    });
    row.commit();
  }
  if (options.strayRow !== undefined) sheet.getCell(options.strayRow, 1).value = 'x';
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The same workbook declared macro-enabled, with a VBA project inside (what an .xlsm holds). */
export function withMacros(xlsx: Uint8Array): Uint8Array {
  const parts = unzipSync(xlsx);
  const types = new TextDecoder().decode(parts['[Content_Types].xml']);
  parts['[Content_Types].xml'] = strToU8(types.replace('spreadsheetml.sheet.main+xml', 'ms-excel.sheet.macroEnabled.main+xml'));
  parts['xl/vbaProject.bin'] = new Uint8Array(512);
  return zipSync(parts);
}
