import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileCatalogueReader } from '#src/adapters/files/file-catalogue-reader.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { systemClock } from '#src/adapters/system.ts';
import { checkCatalogueStream } from '#src/app/check-catalogue.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { writeCatalogueReportXlsx } from '#src/adapters/render/xlsx/catalogue-report.ts';
import { formatInteger } from '#src/core/model/format.ts';
import { snapshotOf, type CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { catalogueReport, CatalogueTally, checkProducts, type ReportEntry } from '#src/core/products/catalogue-report.ts';
import { reportTable } from '#src/core/products/report-table.ts';
import { importProducts } from '#src/core/products/import-products.ts';
import { runCli } from '#src/entry/cli.ts';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { largeCatalogueCsv } from '../support/large-catalogue.ts';
import { productWorkbook } from '../support/product-workbook.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const MB = 1024 * 1024;
const COUNT = 10_000;

let v2: CatalogueSnapshot;
beforeAll(async () => {
  v2 = snapshotOf(await loadCatalogue(CATALOGUE_DIR), 'carmo-education', 2);
});

describe('cahier conformity on a 10 000-product catalogue', () => {
  it('checks it in bounded memory, with a progress line per thousand products read and checked', async () => {
    // Prepare: a heap of 128 MB, where the former check (every product's checks in memory, the
    // whole workbook built before writing) peaked at 1.4 GB
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-large-'));
    // Act
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--max-old-space-size=128', '--import', TSX, join(ROOT, 'test/exports/support/check-large-catalogue.ts'), dir, String(COUNT)],
        { cwd: ROOT, maxBuffer: 4 * MB },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    // Assess
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { code: number; err: string[]; progress: string[]; maxRssBytes: number };
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.maxRssBytes).toBeLessThan(256 * MB);
    const thousands = Array.from({ length: 10 }, (_, i) => formatInteger((i + 1) * 1000));
    expect(result.progress.filter((l) => l.endsWith('produits lus…'))).toEqual(thousands.map((n) => `${n}\u00a0produits lus…`));
    expect(result.progress.filter((l) => l.endsWith('produits vérifiés…'))).toEqual(thousands.map((n) => `${n}\u00a0produits vérifiés…`));
    const report = JSON.parse(readFileSync(join(dir, 'out', 'conformity.json'), 'utf8'));
    expect(report.totals.total).toBe(COUNT);
    expect(report.products).toHaveLength(COUNT);
    expect(report.products[COUNT - 1].reference).toMatch(/-031$/);
    expect(readFileSync(join(dir, 'out', 'conformity.csv'), 'utf8').trim().split('\r\n')).toHaveLength(COUNT + 1);
    expect(readFileSync(join(dir, 'out', 'conformity.xlsx')).byteLength).toBeGreaterThan(1 * MB);
  });

  it('checks the same 10 000 products given as an .xlsx workbook in bounded memory too, with the same report', async () => {
    // Prepare: the workbook is built here, so that the child's peak is the check's alone
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-large-'));
    const csv = largeCatalogueCsv(COUNT);
    writeFileSync(join(dir, 'catalogue.xlsx'), await productWorkbook(csv));
    writeFileSync(join(dir, 'catalogue.csv'), csv);
    // Act
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--max-old-space-size=128', '--import', TSX, join(ROOT, 'test/exports/support/check-large-catalogue.ts'), dir, String(COUNT), join(dir, 'catalogue.xlsx')],
        { cwd: ROOT, maxBuffer: 4 * MB },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    // Assess
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { code: number; err: string[]; maxRssBytes: number };
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.maxRssBytes).toBeLessThan(256 * MB);
    const fromCsv = await runCli(['conformity', join(dir, 'catalogue.csv'), '--framework', 'carmo-education@2', '--out', join(dir, 'csv')], { stdout: () => {}, stderr: () => {} });
    expect(fromCsv).toBe(0);
    expect(readFileSync(join(dir, 'out', 'conformity.json'), 'utf8')).toBe(readFileSync(join(dir, 'csv', 'conformity.json'), 'utf8'));
  });

  it('refuses a large file with one malformed row by its line and column, before writing anything', async () => {
    // Prepare: line 7 778 declares a RAM that is not a number
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-large-'));
    const lines = largeCatalogueCsv(COUNT).split('\n');
    const column = lines[0]!.split(';').indexOf('tablet.ram');
    const line = lines.findIndex((l, i) => i >= 7777 && l.split(';')[4] === 'tablet');
    const cells = lines[line]!.split(';');
    cells[column] = 'quatre Go';
    lines[line] = cells.join(';');
    writeFileSync(join(dir, 'catalogue.csv'), lines.join('\n'));
    const err: string[] = [];
    // Act
    const code = await runCli(['conformity', join(dir, 'catalogue.csv'), '--framework', 'carmo-education@2', '--out', join(dir, 'out')], { stdout: () => {}, stderr: (l) => err.push(l) });
    // Assess
    expect(code).toBe(2);
    expect(err.slice(1)).toEqual([expect.stringMatching(new RegExp(`^rows\\.${line + 1}\\.tablet\\.ram: `))]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('checkCatalogueStream', () => {
  const check = async (text: string, format: 'csv' | 'json', write?: (entry: ReportEntry) => Promise<void>) => {
    const entries: ReportEntry[] = [];
    const source = { format, read: async function* () { for (let i = 0; i < text.length; i += 97) yield text.slice(i, i + 97); } };
    const deps = { catalogue: new FileCatalogueReader(await loadCatalogue(CATALOGUE_DIR)), clock: systemClock };
    const result = await checkCatalogueStream(source, { id: 'carmo-education', version: 2 }, deps, write ?? (async (e) => void entries.push(e)));
    return { ...result, entries };
  };

  it('gives the report catalogueReport gives, bundles named before their components included', async () => {
    // Prepare: the bundles first, so that their components come later in the file
    const catalogue = JSON.parse(readFileSync('examples/catalogue/classes-mobiles.json', 'utf8')) as { products: unknown[] };
    const json = JSON.stringify({ ...catalogue, products: [...catalogue.products].reverse() });
    const csv = largeCatalogueCsv(700);
    for (const [text, format] of [[json, 'json'], [csv, 'csv']] as const) {
      // Act
      const streamed = await check(text, format);
      // Assess
      const { products, ...summary } = catalogueReport(importProducts(text, format, v2), v2);
      expect(streamed.entries).toEqual(products);
      expect(streamed.summary).toEqual(summary);
      expect(streamed.columns.map((c) => c.id)).toEqual(reportTable({ ...summary, products }).criteria.map((c) => c.id));
    }
    expect((await check(json, 'json')).entries.filter((e) => e.offer !== undefined).map((e) => e.verdict)).toContain('not-conform');
  });

  it('refuses a file before giving any product to write, however late its bad row', async () => {
    const written = async () => {
      throw new Error('a product was written');
    };
    await expect(check(`${largeCatalogueCsv(1500)}X-1;F;M;X;toaster\n`, 'csv', written)).rejects.toThrow(ValidationError);
  });
});

describe('writeCatalogueReportXlsx', () => {
  it('writes the same bytes for the same report and date', async () => {
    const tally = new CatalogueTally(v2);
    const entries = checkProducts(importProducts(largeCatalogueCsv(400), 'csv', v2), v2).map((c) => tally.add(c));
    const write = async () => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeCatalogueReportXlsx(out, { summary: tally.summary(), columns: tally.columns(), entries: (async function* () { yield* entries; })() }, '2026-12-07T00:00:00Z');
      return Buffer.concat(chunks);
    };
    const first = await write();
    // Zip entries are dated to two seconds: the second writing starts in another two-second step.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await write()).equals(first)).toBe(true);
  });
});
