import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '#src/entry/cli.ts';
import { productWorkbook, withMacros } from '../support/product-workbook.ts';

const SAMPLE = 'examples/catalogue/catalogue-centrale.csv';

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out, err };
}

async function conformity(file: string, dir: string): Promise<{ code: number; out: string[]; err: string[] }> {
  return cli(['conformity', file, '--framework', 'carmo-education@2', '--out', dir]);
}

describe('cahier conformity on an .xlsx product sheet', () => {
  it('gives the report the same products as CSV give, byte for byte in JSON and CSV', async () => {
    // Prepare: the sample catalogue's 320 products, typed into a workbook as text cells
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-xlsx-'));
    const xlsx = join(dir, 'catalogue.xlsx');
    writeFileSync(xlsx, await productWorkbook(readFileSync(SAMPLE, 'utf8')));
    // Act
    const fromCsv = await conformity(SAMPLE, join(dir, 'csv'));
    const fromXlsx = await conformity(xlsx, join(dir, 'xlsx'));
    // Assess
    expect(fromXlsx.err).toEqual([]);
    expect(fromXlsx.code).toBe(0);
    for (const name of ['conformity.json', 'conformity.csv']) {
      expect(readFileSync(join(dir, 'xlsx', name), 'utf8')).toBe(readFileSync(join(dir, 'csv', name), 'utf8'));
    }
    expect(fromXlsx.out.filter((l) => !l.startsWith('Écrit'))).toEqual(fromCsv.out.filter((l) => !l.startsWith('Écrit')));
    expect(JSON.parse(readFileSync(join(dir, 'xlsx', 'conformity.json'), 'utf8')).products).toHaveLength(320);
  });

  it('reads number cells with the unit of their column, as the same values typed in a CSV', async () => {
    // Prepare: RAM and diagonal as numbers in the workbook (10.9, not « 10,9 »)
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-xlsx-'));
    const csv = 'reference;fournisseur;marque;modele;article;tablet.ram (Go);tablet.screen.diagonal (pouces);tablet.battery.endurance\nA;F;M;X;tablet;8;10,9;95 %\nB;F;M;Y;tablet;2;8;80 %\n';
    writeFileSync(join(dir, 'c.csv'), csv);
    const numbers = { 'A:tablet.ram (Go)': 8, 'A:tablet.screen.diagonal (pouces)': 10.9, 'B:tablet.ram (Go)': 2, 'B:tablet.screen.diagonal (pouces)': 8 };
    // « 95 % » typed in a spreadsheet is stored 0.95 with a percentage format
    writeFileSync(join(dir, 'c.xlsx'), await productWorkbook(csv, { numbers, percents: { 'A:tablet.battery.endurance': 0.95, 'B:tablet.battery.endurance': 0.8 } }));
    // Act
    const codes = [(await conformity(join(dir, 'c.csv'), join(dir, 'csv'))).code, (await conformity(join(dir, 'c.xlsx'), join(dir, 'xlsx'))).code];
    // Assess
    expect(codes).toEqual([0, 0]);
    const report = readFileSync(join(dir, 'xlsx', 'conformity.json'), 'utf8');
    expect(report).toBe(readFileSync(join(dir, 'csv', 'conformity.json'), 'utf8'));
    expect(report).toContain('"tablet.battery.endurance"');
  });

  it('refuses a bad value by sheet, row and column, as a CSV is refused by line and column, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-xlsx-'));
    const xlsx = join(dir, 'bad.xlsx');
    writeFileSync(xlsx, await productWorkbook('reference;fournisseur;marque;modele;article;tablet.ram\nA;F;M;X;tablet;4 Go\nB;F;M;Y;tablet;quatre\n', { sheet: 'Fiches' }));
    const { code, err } = await conformity(xlsx, join(dir, 'out'));
    expect(code).toBe(2);
    expect(err[0]).toBe(`${xlsx} : fichier refusé, rien n’a été écrit.`);
    expect(err[1]).toMatch(/^Fiches!rows\.3\.tablet\.ram: « quatre » is not a number/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    // A header below empty rows is named by its own row
    const lower = join(dir, 'lower.xlsx');
    writeFileSync(lower, await productWorkbook('reference;fournisseur;marque;modele;article;tablet.rom\nA;F;M;X;tablet;4 Go\n', { firstRow: 3 }));
    expect((await conformity(lower, join(dir, 'out'))).err[1]).toMatch(/^Produits!rows\.3\.tablet\.rom: unknown column/);
  });

  it('refuses a workbook with macros, a formula or a date where a value is expected, a row beyond the bound, or a file too large, writing nothing', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-xlsx-'));
    const csv = 'reference;fournisseur;marque;modele;article;tablet.storage.user (Go)\nA;F;M;X;tablet;64\nB;F;M;Y;tablet;128\n';
    const plain = await productWorkbook(csv);
    const files: Record<string, Uint8Array> = {
      'macros.xlsx': withMacros(plain),
      'macros.xlsm': plain,
      'formula.xlsx': await productWorkbook(csv, { formula: 'B:tablet.storage.user (Go)' }),
      'rows.xlsx': await productWorkbook(csv, { strayRow: 20_004 }),
      'date.xlsx': await productWorkbook(csv, { date: 'A:tablet.storage.user (Go)' }),
      'large.xlsx': new Uint8Array(17 * 1024 * 1024),
    };
    const expected: Record<string, RegExp> = {
      'macros.xlsx': /^macros\.xlsx: the workbook contains macros/,
      'macros.xlsm': /^macros\.xlsm: macro-enabled workbooks \(\.xlsm\) are not accepted/,
      'formula.xlsx': /^Produits!rows\.3\.tablet\.storage\.user \(Go\): a formula \(=4\*16\) where a value is expected/,
      'rows.xlsx': /^Produits!A20004: the sheet goes beyond row 20001/,
      'date.xlsx': /^Produits!rows\.2\.tablet\.storage\.user \(Go\): a date where a value is expected/,
      'large.xlsx': /fichier trop volumineux/,
    };
    for (const [name, bytes] of Object.entries(files)) {
      writeFileSync(join(dir, name), bytes);
      // Act
      const { code, err } = await conformity(join(dir, name), join(dir, `out-${name}`));
      // Assess
      expect(code, name).toBe(2);
      expect(err.join('\n'), name).toMatch(new RegExp(expected[name]!.source, 'm'));
      expect(existsSync(join(dir, `out-${name}`)), name).toBe(false);
    }
  });
});
