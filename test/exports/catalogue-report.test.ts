import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCli } from '#src/entry/cli.ts';

const SAMPLE = 'examples/catalogue/catalogue-centrale.csv';

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out, err };
}

describe('cahier conformity', () => {
  it('writes the JSON, CSV and XLSX reports of the sample catalogue and prints the shares per item', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-'));
    const expected = JSON.parse(readFileSync('examples/catalogue/catalogue-centrale.expected.json', 'utf8')) as Record<string, string>;
    const conform = Object.values(expected).filter((v) => v === 'conform').length;
    // Act
    const { code, out, err } = await cli(['conformity', SAMPLE, '--framework', 'carmo-education@2', '--out', dir]);
    // Assess
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toContain(`Référentiel carmo-education v2 : ${conform}\u00a0produits conformes sur ${Object.keys(expected).length} (57,2\u00a0%)`);
    expect(out.some((l) => /^ {2}Tablette élève : \d+\/120 conformes/.test(l))).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'conformity.json'), 'utf8'));
    expect(report.products).toHaveLength(Object.keys(expected).length);
    const csv = readFileSync(join(dir, 'conformity.csv'), 'utf8').trim().split('\r\n');
    expect(csv).toHaveLength(Object.keys(expected).length + 1);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(join(dir, 'conformity.xlsx')) as unknown as ArrayBuffer);
    const products = workbook.getWorksheet('Produits')!;
    const header = products.getRow(3).values as string[];
    expect(header.slice(1, 8)).toEqual(['référence', 'fournisseur', 'marque', 'modèle', 'article', 'verdict', 'premier motif']);
    expect(products.getRow(4).getCell(1).value).toBe('TAB-001');
    expect(products.getRow(4).getCell(6).value).toBe({ conform: 'conforme', 'not-conform': 'non conforme', undeclared: 'non déclaré' }[expected['TAB-001']!]);
    expect(products.rowCount).toBe(3 + Object.keys(expected).length);
    const formatting = (products as unknown as { conditionalFormattings: Array<{ ref: string; rules: Array<{ formulae: string[] }> }> }).conditionalFormattings;
    expect(formatting[0]!.rules.map((r) => r.formulae[0])).toEqual(['LEFT(F4,12)="non conforme"', 'LEFT(F4,11)="non déclaré"', 'LEFT(F4,20)="justificatif attendu"', 'LEFT(F4,8)="conforme"']);
    const summary = workbook.getWorksheet('Synthèse')!;
    expect(summary.getRow(5).values).toEqual([undefined, 'Catalogue', 320, conform, report.totals['not-conform'], report.totals.undeclared, 0, 57.2]);
  });

  it('refuses a malformed file with line and column, writes nothing, exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'reference;fournisseur;marque;modele;article;tablet.ram\nA;F;M;X;tablet;4 Go\nB;F;M;Y;tablet;quatre\n');
    const { code, err } = await cli(['conformity', bad, '--framework', 'carmo-education@2', '--out', join(dir, 'out')]);
    expect(code).toBe(2);
    expect(err[0]).toBe(`${bad} : fichier refusé, rien n’a été écrit.`);
    expect(err[1]).toMatch(/^rows\.3\.tablet\.ram: « quatre » is not a number/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect((await cli(['conformity', bad, '--framework', 'carmo-education'])).code).toBe(2);
    expect((await cli(['conformity', bad, '--framework', 'carmo-education@9', '--out', join(dir, 'out')])).err).toContain('framework: unknown framework carmo-education version 9');
  });

  it('writes a product sheet template per item that the importer reads back, with a guide to each column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-'));
    const { code, out } = await cli(['conformity', '--template', 'charging-cart', '--framework', 'carmo-education@2', '--out', dir]);
    expect(code).toBe(0);
    expect(out).toHaveLength(3);
    const header = readFileSync(join(dir, 'modele-charging-cart.csv'), 'utf8');
    expect(header).toBe('reference;fournisseur;marque;modele;article;cart.slots (emplacements);cart.smart-charging;cart.security;cart.recharge-time (h);warranty.onsite (ans);support.intervention-time (jours ouvrés)\n');
    const filled = join(dir, 'chariots.csv');
    writeFileSync(filled, `${header}C-1;F;M;X;charging-cart;16;oui;oui;3;3;2\n`);
    const report = await cli(['conformity', filled, '--framework', 'carmo-education@2', '--out', join(dir, 'out')]);
    expect(report.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'conformity.json'), 'utf8')).products[0].verdict).toBe('conform');
    const guide = readFileSync(join(dir, 'modele-charging-cart.md'), 'utf8');
    expect(guide).toContain('| `cart.slots (emplacements)` | Nombre d\'emplacements du chariot (v2) | exigence minimale | ≥\u00a012\u00a0emplacements | un nombre');
    expect((await cli(['conformity', '--template', 'toaster', '--framework', 'carmo-education@2', '--out', dir])).code).toBe(2);
  });

  it('writes the template as an .xlsx workbook too, the same bytes each time, which a supplier fills and the importer reads back', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-'));
    const template = join(dir, 'modele-charging-cart.xlsx');
    // Act
    expect((await cli(['conformity', '--template', 'charging-cart', '--framework', 'carmo-education@2', '--out', dir])).code).toBe(0);
    const first = readFileSync(template);
    await cli(['conformity', '--template', 'charging-cart', '--framework', 'carmo-education@2', '--out', dir]);
    // Assess
    expect(Buffer.compare(readFileSync(template), first)).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(first as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Produits')!;
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(readFileSync(join(dir, 'modele-charging-cart.csv'), 'utf8').trim().split(';'));
    const validations = (sheet as unknown as { dataValidations: { model: Record<string, { formulae: string[] }> } }).dataValidations.model;
    expect(new Set(Object.values(validations).map((v) => v.formulae[0]))).toEqual(new Set(['"charging-cart"', '"oui,non"']));
    expect(validations['G2']?.formulae).toEqual(['"oui,non"']);
    // A supplier fills a row, numbers as numbers, and saves it
    sheet.getRow(2).values = ['C-1', 'F', 'M', 'X', 'charging-cart', 16, 'oui', 'oui', 3, 3, 2];
    const filled = join(dir, 'chariots.xlsx');
    writeFileSync(filled, new Uint8Array(await workbook.xlsx.writeBuffer()));
    const report = await cli(['conformity', filled, '--framework', 'carmo-education@2', '--out', join(dir, 'out')]);
    expect(report.err).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'conformity.json'), 'utf8')).products[0].verdict).toBe('conform');
  });
});
