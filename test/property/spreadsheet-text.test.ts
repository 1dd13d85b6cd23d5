import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { Spreadsheet } from '#src/adapters/render/xlsx/spreadsheet.ts';
import { packSpreadsheet, streamSpreadsheet } from '#src/adapters/render/xlsx/spreadsheet-package.ts';
import { xmlSafe } from '#src/adapters/render/xml-text.ts';
import { decodeXstring, SafeWorkbook } from '#src/adapters/offers/safe-xlsx.ts';
import { cellText, readWorkbook } from '../exports/support/office.ts';

/** Markup, escapes spreadsheets decode, characters XML 1.0 cannot hold, and awkward Unicode. */
const HOSTILE = [
  '<', '>', '&', '"', "'", '&amp;', '&#x41;', ']]>', '<![CDATA[', '<?xml', '«', '»', '’', '€', '\u00a0', '\u202f',
  '_x0041_', '_x000D_', '_X0041_', '_x005F_', '_x', 'x0041_', '=SUM(A1)', '+1', '-1', '@', "'",
  '\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001f', '\u007f', '\u0085', '\t', '\n', '\r', '\r\n', ' ', '  ',
  '\ud800', '\udfff', '\udbff\udfff', '\ufffe', '\uffff', '\ufeff', '\u2028', '🙂', '👩‍🏫', 'e\u0301', '\u202e', 'مرحبا',
];

const anyText = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 8 })), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

/*
 * ECMA-376's escape of a character in a string (« _x0041_ » for « A »): spreadsheets decode it in
 * inline strings as in shared ones, exceljs 4.4 only in shared strings and rich text, so an inline
 * string exceljs reads goes through the decoder of Cahier's own reader (decodeXstring). (A
 * formula's cached string result is left out: exceljs 4.4 decodes its entities a second time.)
 */

describe('the SpreadsheetML writer with any text', () => {
  it('gives back every string, less the characters XML 1.0 cannot hold, as a shared string, a rich text run, an inline string and a title, read by exceljs', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        // Prepare
        const expected = xmlSafe(text);
        const book = new Spreadsheet({ title: text, subject: 'propriété', author: 'Cahier', keywords: [text], createdAt: '2026-12-07T00:00:00.000Z' });
        const sheet = book.addSheet('Texte');
        sheet.set(1, 1, text);
        sheet.set(1, 2, { richText: [{ text, bold: true }, { text: '.' }] });
        const out = new PassThrough();
        const streamed = buffer(out);
        // Act
        const packed = await readWorkbook(packSpreadsheet(book));
        await streamSpreadsheet(book, out, (async function* () { yield [text, 1]; })());
        const read = await readWorkbook(new Uint8Array(await streamed));
        // Assess
        const row = packed.getWorksheet('Texte')!.getRow(1);
        expect(cellText(row.getCell(1).value)).toBe(expected);
        expect(cellText(row.getCell(2).value)).toBe(`${expected}.`);
        expect(packed.title).toBe(expected);
        expect(decodeXstring(cellText(read.getWorksheet('Texte')!.getRow(2).getCell(1).value))).toBe(expected);
        expect(read.getWorksheet('Texte')!.getRow(2).getCell(2).value).toBe(1);
        // Cahier's own reader of bidders' workbooks decodes the escapes, inline strings included.
        const ours = new SafeWorkbook(packSpreadsheet(book), 'texte.xlsx');
        expect(ours.title).toBe(expected);
        expect(ours.sheet('Texte')!.get(1)!.get(1)?.text ?? '').toBe(expected);
        expect(ours.sheet('Texte')!.get(1)!.get(2)?.text).toBe(`${expected}.`);
        expect(new SafeWorkbook(new Uint8Array(await streamed), 'texte.xlsx').sheet('Texte')!.get(2)!.get(1)?.text ?? '').toBe(expected);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('escapes every « _xHHHH_ » of a text, overlapping ones too (fast-check found « _x0041_x0041_ » read back as « _x0041A »)', async () => {
    for (const text of ['_x0041_x0041_', '_x0041__x0042_', '__x0041_', '_x005F_x0041_']) {
      const book = new Spreadsheet({ title: 'Texte', subject: 'propriété', author: 'Cahier', keywords: [], createdAt: '2026-12-07T00:00:00.000Z' });
      book.addSheet('Texte').set(1, 1, text);
      const read = await readWorkbook(packSpreadsheet(book));
      expect(cellText(read.getWorksheet('Texte')!.getRow(1).getCell(1).value), text).toBe(text);
    }
  });

  it('removes exactly the characters outside XML 1.0’s Char production', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), (text) => {
        const kept = xmlSafe(text);
        expect(kept).toMatch(/^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u);
        expect(kept.length).toBeLessThanOrEqual(text.length);
      }),
    );
    expect(xmlSafe('a\u0000b\ud800c\udbff\udfffd\ufffee')).toBe('abc\udbff\udfffde');
  });
});

describe('the reader of bidders’ workbooks with escaped strings', () => {
  it('reads a string as the spreadsheet shows it: « _x000D_ » is a carriage return, « _x005F_x0041_ » the text « _x0041_ », a surrogate pair one character', () => {
    const cases: Array<[written: string, shown: string]> = [
      ['Ligne 1_x000D_\nLigne 2', 'Ligne 1\r\nLigne 2'],
      ['_x005F_x0041_', '_x0041_'],
      ['_x005f_x0041__x0042_', '_x0041_B'],
      ['_xD83D__xDE42_', '🙂'],
      ['_xD83D_ seul', '\uFFFD seul'],
      ['_x41_ et _x00G1_ restent', '_x41_ et _x00G1_ restent'],
      ['&amp;x0041_ &lt;_x0026_&gt;', '&x0041_ <&>'],
    ];
    const strings = cases.map(([written]) => `<si><t xml:space="preserve">${written}</t></si>`).join('');
    const cells = cases.map((_c, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>${cases[i]![0]}</t></is></c><c r="C${i + 1}" t="str"><f>"${cases[i]![0]}"</f><v>${cases[i]![0]}</v></c></row>`).join('');
    const book = new SafeWorkbook(minimalWorkbook(strings, cells), 'offre.xlsx');
    const sheet = book.sheet('Réponse')!;
    cases.forEach(([written, shown], i) => {
      const row = sheet.get(i + 1)!;
      expect([row.get(1)!.text, row.get(2)!.text, row.get(3)!.text], written).toEqual([shown, shown, shown]);
      expect(row.get(3)!.formula, written).toBe(`"${shown}"`);
    });
  });
});

/** The smallest package SafeWorkbook opens: one sheet « Réponse », its shared strings and cells as given. */
function minimalWorkbook(sharedStrings: string, rows: string): Uint8Array {
  const xml = (body: string) => strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`);
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zipSync({
    '[Content_Types].xml': xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ),
    '_rels/.rels': xml(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': xml(`<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Réponse" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': xml(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
    'xl/sharedStrings.xml': xml(`<sst xmlns="${main}">${sharedStrings}</sst>`),
    'xl/worksheets/sheet1.xml': xml(`<worksheet xmlns="${main}"><sheetData>${rows}</sheetData></worksheet>`),
  });
}
