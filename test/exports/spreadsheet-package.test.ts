import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Spreadsheet } from '#src/adapters/render/xlsx/spreadsheet.ts';
import { packSpreadsheet, streamSpreadsheet } from '#src/adapters/render/xlsx/spreadsheet-package.ts';
import { renderPriceSchedule } from '#src/adapters/render/xlsx/price-schedule.ts';
import { schemaOfPart, xmllintErrors, xmllintOrSkip, type SchemaCheck } from '../support/xmllint.ts';
import { evaluatedExample } from './support/models.ts';
import { readWorkbook, zipEntryTimes, zipParts } from './support/office.ts';

const xmllint = xmllintOrSkip();

const META = { title: 'Essai', subject: 'Écriture', author: 'Cahier', keywords: ['a', 'b'], createdAt: '2026-12-07T10:20:30.000Z' };

function sample(): Spreadsheet {
  const book = new Spreadsheet(META);
  const sheet = book.addSheet('Données');
  sheet.widths.push(20, 12);
  sheet.setRow(1, ['Libellé', 'Montant'], { font: { bold: true }, border: 'FFB4BEC8' });
  sheet.setRow(2, ['Tablette', 250.5], { border: 'FFB4BEC8' });
  sheet.setRow(3, ['Chariot', 1200], { border: 'FFB4BEC8' });
  sheet.set(4, 2, { formula: 'SUM(B2:B3)', result: 1450.5 }, { numFmt: '#,##0.00\\ "€"', font: { bold: true } });
  sheet.style(2, 2, { unlocked: true });
  sheet.frozen = { rows: 1 };
  sheet.protection = { autoFilter: false };
  book.addSheet('Cachée', 'veryHidden').set(1, 1, true);
  return book;
}

describe('packSpreadsheet', () => {
  it('writes the same bytes for the same model, every entry dated by the model', () => {
    const bytes = packSpreadsheet(sample());
    expect(Buffer.compare(Buffer.from(packSpreadsheet(sample())), Buffer.from(bytes))).toBe(0);
    expect(new Set(zipEntryTimes(bytes))).toEqual(new Set(['2026-12-07 10:20:30']));
    expect([...zipParts(bytes).keys()][0]).toBe('[Content_Types].xml');
  });

  it('writes one xf per distinct style, and what exceljs reads back as the model', async () => {
    const bytes = packSpreadsheet(sample());
    // default, bold header, bordered, bordered unlocked, total with its format
    const styles = zipParts(bytes).get('xl/styles.xml')!;
    expect(styles).toContain('<cellXfs count="5">');
    expect(styles).toContain('<numFmt numFmtId="164" formatCode="#,##0.00\\ &#34;€&#34;"/>');
    const workbook = await readWorkbook(bytes);
    const sheet = workbook.getWorksheet('Données')!;
    expect(sheet.getCell('B4').value).toEqual({ formula: 'SUM(B2:B3)', result: 1450.5 });
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getCell('B2').protection?.locked).toBe(false);
    expect(sheet.getCell('B3').protection?.locked).not.toBe(false);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(1).width).toBe(20);
    expect(workbook.getWorksheet('Cachée')!.state).toBe('veryHidden');
    expect(workbook.getWorksheet('Cachée')!.getCell('A1').value).toBe(true);
    expect(workbook.created.toISOString()).toBe(META.createdAt);
  });

  it('refuses what a spreadsheet would reject: a bad sheet name, a duplicate, a number that is not finite, a hidden first sheet', () => {
    const book = new Spreadsheet(META);
    expect(() => book.addSheet('a/b')).toThrow(RangeError);
    expect(() => book.addSheet('x'.repeat(32))).toThrow(RangeError);
    book.addSheet('Lot 1');
    expect(() => book.addSheet('LOT 1')).toThrow(RangeError);
    book.sheets[0]!.set(1, 1, Number.NaN);
    expect(() => packSpreadsheet(book)).toThrow(/cannot hold NaN/);
    const hidden = new Spreadsheet(META);
    hidden.addSheet('Cahier', 'veryHidden');
    expect(() => packSpreadsheet(hidden)).toThrow(/must be visible/);
    expect(() => new Spreadsheet({ ...META, createdAt: 'hier' })).toThrow(RangeError);
  });
});

describe('streamSpreadsheet', () => {
  it('waits for a slow reader, holding a bounded amount in its buffer, and writes every row', async () => {
    // Prepare: 30 000 rows of 8 cells, read 16 KiB at a time with a pause between writes
    let held = 0;
    let maxHeld = 0;
    const chunks: Buffer[] = [];
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        maxHeld = Math.max(maxHeld, this.writableLength);
        held += chunk.length;
        setImmediate(done);
      },
    });
    async function* rows() {
      for (let i = 0; i < 30_000; i++) yield [`P-${i}`, `fournisseur ${i % 97}`, 'conforme', 'non déclaré', `valeur ${i * 7}`, i, i / 3, 'x'.repeat(i % 40)];
    }
    const book = new Spreadsheet(META);
    book.addSheet('Produits').setRow(1, ['référence', 'fournisseur']);
    // Act
    await streamSpreadsheet(book, out, rows());
    // Assess
    expect(out.writableFinished).toBe(true);
    expect(held).toBeGreaterThan(512 * 1024);
    expect(maxHeld).toBeLessThan(256 * 1024);
    const sheet = (await readWorkbook(new Uint8Array(Buffer.concat(chunks)))).getWorksheet('Produits')!;
    expect(sheet.rowCount).toBe(30_001);
    expect(sheet.getCell('A30001').value).toBe('P-29999');
    expect(sheet.getCell('F30001').value).toBe(29_999);
  }, 60_000);
});

/**
 * The package parts of the workbooks against the OPC and extended-properties schemas vendored for
 * the Word files (test/standards/ooxml). SpreadsheetML's own schema (sml.xsd) is not vendored:
 * the sheets, styles and strings are checked by exceljs and LibreOffice Calc reading them instead
 * (price-schedule-calc.test.ts).
 */
describe.skipIf(xmllint === null)('the workbooks’ package parts validate against the OOXML schemas (xmllint)', () => {
  it('validates [Content_Types].xml, the relationships and the core and extended properties of a price schedule and a report', async () => {
    const { tender } = await evaluatedExample('departement');
    const report = new Spreadsheet(META);
    report.addSheet('Produits').notes.push({ row: 1, column: 1, text: 'note' });
    const chunks: Buffer[] = [];
    const out = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) });
    await streamSpreadsheet(report, out, (async function* () {})());
    const checks: SchemaCheck[] = [];
    for (const [name, bytes] of [['bordereau-des-prix.xlsx', await renderPriceSchedule(tender)], ['rapport.xlsx', new Uint8Array(Buffer.concat(chunks))]] as const) {
      for (const [part, xml] of zipParts(bytes)) {
        if (part === '[Content_Types].xml' || part.endsWith('.rels') || part.startsWith('docProps/')) checks.push({ label: `${name}!${part}`, schema: schemaOfPart(part), xml });
      }
    }
    expect(checks.length).toBe(11);
    expect(await xmllintErrors(xmllint!, checks)).toEqual([]);
  }, 60_000);
});
