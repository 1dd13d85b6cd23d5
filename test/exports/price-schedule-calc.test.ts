/**
 * The price schedules compute in a real spreadsheet what Cahier caches: every example's schedule,
 * prefilled with the buyer's estimates, has its cached formula results removed, goes through
 * LibreOffice Calc headless (one soffice run, each sheet exported as CSV, so Calc must compute
 * every formula: line amounts, totals HT, VAT per rate, TTC, the DQE's prices read from the BPU,
 * the sites' column totals), and each value Calc computed equals the result Cahier wrote. Our
 * writer (src/adapters/render/xlsx/spreadsheet-package.ts) is then checked by an engine that is
 * not ours. Skipped with one line without LibreOffice, failed instead when CI or
 * REQUIRE_LIBREOFFICE is set (test/support/libreoffice.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPriceSchedule } from '#src/adapters/render/xlsx/price-schedule.ts';
import { EXAMPLES, V2_EXAMPLES, evaluateFrom, example, v2Example } from '../support/pipeline.ts';
import { sofficeOrSkip } from '../support/libreoffice.ts';
import { sharedDeps } from './support/models.ts';

const run = promisify(execFile);
const soffice = sofficeOrSkip();

const REQUESTS: Record<string, () => unknown> = {
  ...Object.fromEntries(Object.keys(EXAMPLES).map((name) => [`v1-${name}`, () => example(name as keyof typeof EXAMPLES)])),
  ...Object.fromEntries(Object.keys(V2_EXAMPLES).map((name) => [`v2-${name}`, () => v2Example(name as keyof typeof V2_EXAMPLES)])),
};

/** Cached numeric results of the formula cells, by sheet name and cell reference. */
type Cached = Map<string, Map<string, number>>;

/** The schedule without its cached results (so only a computing reader shows values), and those results. */
function withoutCachedResults(bytes: Uint8Array): { bytes: Uint8Array; cached: Cached } {
  const parts = unzipSync(bytes);
  const names = [...strFromU8(parts['xl/workbook.xml']!).matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  const cached: Cached = new Map();
  names.forEach((name, i) => {
    const part = `xl/worksheets/sheet${i + 1}.xml`;
    const results = new Map<string, number>();
    const xml = strFromU8(parts[part]!).replace(/<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)<\/f><v>([^<]*)<\/v><\/c>/g, (_all, ref: string, attributes: string, formula: string, value: string) => {
      results.set(ref, Number(value));
      return `<c r="${ref}"${attributes}><f>${formula}</f></c>`;
    });
    parts[part] = strToU8(xml);
    cached.set(name, results);
  });
  return { bytes: zipSync(parts), cached };
}

/** A CSV line as LibreOffice writes it (comma, double quotes). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  for (const match of line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)) cells.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!);
  return cells;
}

function cellAt(rows: string[][], ref: string): string | undefined {
  const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(ref)!;
  const column = [...letters!].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
  return rows[Number(digits) - 1]?.[column - 1];
}

describe.skipIf(soffice === null)('the price schedules recalculated by LibreOffice Calc', () => {
  let dir: string;
  const schedules: Array<{ name: string; cached: Cached; sheets: Map<string, string[][]> }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cahier-calc-test-'));
    const deps = await sharedDeps();
    const files: string[] = [];
    const pending: Array<{ name: string; cached: Cached }> = [];
    for (const [name, request] of Object.entries(REQUESTS)) {
      const { tender } = await evaluateFrom(request(), deps.catalogue);
      const { bytes, cached } = withoutCachedResults(await renderPriceSchedule(tender, { prefillEstimates: true }));
      const file = join(dir, `${name}.xlsx`);
      await writeFile(file, bytes);
      files.push(file);
      pending.push({ name, cached });
    }
    const profile = join(dir, 'profile');
    // Each sheet to its own « <file>-<sheet>.csv » (the last token, -1), values as numbers, not as shown.
    await run(
      soffice!,
      ['--headless', '--norestore', '--nologo', '--nolockcheck', '--nodefault', `-env:UserInstallation=${pathToFileURL(profile).href}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', join(dir, 'csv'), ...files],
      { timeout: 300_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
    );
    for (const { name, cached } of pending) {
      const sheets = new Map<string, string[][]>();
      for (const sheet of cached.keys()) {
        const csv = await readFile(join(dir, 'csv', `${name}-${sheet}.csv`), 'utf8');
        sheets.set(sheet, csv.split(/\r?\n/).map(csvCells));
      }
      schedules.push({ name, cached, sheets });
    }
  }, 600_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('computes every formula of every example’s schedule to the result Cahier caches', () => {
    expect(schedules.map((s) => s.name)).toEqual(Object.keys(REQUESTS));
    const mismatches: string[] = [];
    let formulas = 0;
    for (const { name, cached, sheets } of schedules) {
      for (const [sheet, results] of cached) {
        for (const [ref, expected] of results) {
          formulas += 1;
          const computed = Number(cellAt(sheets.get(sheet)!, ref));
          if (!(Math.abs(computed - expected) < 0.005)) mismatches.push(`${name} › ${sheet}!${ref}: Calc ${cellAt(sheets.get(sheet)!, ref)}, Cahier ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // Totals of every DPGF, DQE and PSE sheet at least, and the line amounts.
    expect(formulas).toBeGreaterThan(100);
  });

  it('computes a non-zero total TTC on every amounts sheet, so the check is not vacuous', () => {
    for (const { name, cached, sheets } of schedules) {
      for (const [sheet, results] of cached) {
        if (!/^(DPGF|DQE|PSE)/.test(sheet)) continue;
        const last = [...results.keys()].at(-1)!;
        expect(Number(cellAt(sheets.get(sheet)!, last)), `${name} › ${sheet}!${last}`).toBeGreaterThan(0);
      }
    }
  });
});
