/**
 * Issue #14's cross-format check on the request version 2 examples: each lot's weights and
 * sub-criteria, maxima, options, quantities and sites read the same in the CCTP (PDF text and
 * DOCX tables), the RC, the workbooks and the OCDS release (per-lot award criteria with
 * their weights and sub-criteria). Expected values come from
 * the request as the buyer wrote it, not from the code that prints them.
 */
import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoneyRounded } from '#src/core/model/format.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { COMPLIANCE_HEADER_ROW, criteriaSheetName } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { PRICE_HEADER_ROW, SITES_HEADER_ROW, optionSheetName, priceSheetName, sitesSheetName } from '#src/adapters/render/xlsx/price-schedule.ts';
import { pdfText } from '../support/pdf-text.ts';
import { V2_EXAMPLES, evaluateFrom, generateFrom, v2Example } from '../support/pipeline.ts';
import { cellText, readWorkbook, wordTables, zipParts } from './support/office.ts';
import { sharedDeps } from './support/models.ts';

const squeeze = (s: string) => s.replace(/\s+/g, '');
/** Every "NN %" of a text, as numbers, in order. */
const percents = (text: string) => [...text.matchAll(/(\d+(?:,\d+)?)\s%/g)].map((m) => Number(m[1]!.replace(',', '.')));
const total = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);
/** A cell's number, whether a plain value or a formula's cached result. */
const cellNumber = (value: ExcelJS.CellValue): number => (typeof value === 'object' && value !== null && 'result' in value ? Number(value.result) : Number(value));

/** The segments of `text` that start at each lot's « Lot N — title » heading, in order. */
function lotSegments(text: string, lots: Array<{ title: string }>): string[] {
  const starts = lots.map((lot, i) => {
    const at = text.indexOf(`Lot ${i + 1} — ${lot.title.slice(0, 20)}`);
    expect(at, `lot ${i + 1} heading`).toBeGreaterThanOrEqual(0);
    return at;
  });
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

describe.each(Object.keys(V2_EXAMPLES) as Array<keyof typeof V2_EXAMPLES>)('every format of the v2 example %s', (name) => {
  const request = v2Example(name);
  let tender: ResolvedTender;
  let file: (name: string) => Uint8Array;
  let cctpText: string;
  let rcText: string;
  let docxTables: ReturnType<typeof wordTables>;
  let matrix: ExcelJS.Workbook;
  let prices: ExcelJS.Workbook;
  let ocds: any;
  /** Per lot, the weights the buyer wrote: each criterion then its sub-criteria. */
  const weights: number[][] = request.lots.map((lot: any) =>
    (lot.awardCriteria ?? request.awardCriteria).flatMap((c: any) => [c.weight, ...(c.subCriteria ?? []).map((s: any) => s.weight)]),
  );

  beforeAll(async () => {
    const deps = await sharedDeps();
    ({ tender } = await evaluateFrom(v2Example(name), deps.catalogue));
    const generated = await generateFrom(v2Example(name), deps, ['pdf', 'rc', 'docx', 'xlsx', 'json']);
    file = (n) => generated.documents.find((d) => d.name === n)!.content;
    cctpText = await pdfText(file('cctp.pdf'));
    rcText = await pdfText(file('rc.pdf'));
    docxTables = wordTables(zipParts(file('cctp.docx')).get('word/document.xml')!);
    matrix = await readWorkbook(file('cadre-de-reponse.xlsx'));
    prices = await readWorkbook(file('bordereau-des-prix.xlsx'));
    ocds = JSON.parse(new TextDecoder().decode(file('tender.ocds.json')));
  });

  it('gives each lot its own weights and sub-criteria in the RC, the CCTP (PDF and DOCX) and the workbook', () => {
    const rcAward = rcText.slice(rcText.lastIndexOf('Critères et pondérations'), rcText.indexOf('Chaque offre reçoit'));
    expect(lotSegments(rcAward, request.lots).map(percents)).toEqual(weights);
    const cctpAward = cctpText.slice(cctpText.lastIndexOf('Critères d’attribution'));
    expect(lotSegments(cctpAward, request.lots).map(percents)).toEqual(weights);
    const docxAward = docxTables.filter((t) => t.rows[0]?.join('|') === 'Critère|Nature|Pondération');
    expect(docxAward.map((t) => t.rows.slice(1).map((r) => Number(r[2]!.replace(/\s|%/g, '').replace(',', '.'))))).toEqual(weights);
    const sheets = tender.lots.map((lot) => {
      const found: number[] = [];
      matrix.getWorksheet(criteriaSheetName(lot))!.eachRow((row, r) => {
        const weight = row.getCell(5).value ?? row.getCell(6).value;
        if (r > COMPLIANCE_HEADER_ROW && typeof weight === 'number') found.push(weight);
      });
      return found;
    });
    expect(sheets).toEqual(weights);
  });

  it('gives each OCDS lot its own award criteria: names, weights, and sub-criteria with theirs, as the buyer wrote them', () => {
    const lots = ocds.releases[0].tender.lots as any[];
    expect(lots.map((l) => l.id)).toEqual(request.lots.map((_: unknown, i: number) => `lot-${i + 1}`));
    const criteria = lots.map((l) => l.awardCriteria.criteria as Array<{ name: string; description: string; numbers: Array<{ number: number; weight: string }> }>);
    expect(criteria.map((cs) => cs.flatMap((c) => [c.numbers[0]!.number, ...percents(c.description)]))).toEqual(weights);
    expect(criteria.map((cs) => cs.map((c) => c.name))).toEqual(request.lots.map((lot: any) => (lot.awardCriteria ?? request.awardCriteria).map((c: any) => c.name)));
    for (const cs of criteria) for (const c of cs) expect(c.numbers).toEqual([{ number: c.numbers[0]!.number, weight: 'percentageExact' }]);
    request.lots.forEach((lot: any, i: number) => {
      for (const [j, c] of (lot.awardCriteria ?? request.awardCriteria).entries()) {
        for (const sub of c.subCriteria ?? []) expect(criteria[i]![j]!.description, `lot ${i + 1}, criterion ${j + 1}`).toContain(sub.name);
      }
    });
  });

  it('states each lot’s maximum in the RC, the CCTP and the OCDS lot value', () => {
    request.lots.forEach((lot: any, i: number) => {
      if (lot.maximumAmount === undefined) return;
      const amount = squeeze(formatMoneyRounded(lot.maximumAmount));
      for (const text of [rcText, cctpText]) {
        const segment = squeeze(text.slice(text.indexOf(`Lot ${i + 1} : ${lot.title.slice(0, 20)}`)));
        expect(segment.slice(0, 400)).toContain(amount);
      }
      expect(ocds.releases[0].tender.lots[i].value).toEqual({ amount: lot.maximumAmount, currency: 'EUR' });
    });
  });

  it('lists each lot’s options in the RC and the CCTP, and prices each on its own sheet with its lines', () => {
    request.lots.forEach((lot: any, i: number) => {
      (lot.options ?? []).forEach((option: any, k: number) => {
        const name = `Option ${k + 1} du lot ${i + 1} — ${option.label}`;
        expect(rcText).toContain(name);
        expect(cctpText).toContain(name);
        const sheet = prices.getWorksheet(optionSheetName({ number: i + 1 }, k + 1))!;
        expect(sheet, name).toBeDefined();
        const lines = Math.max(1, option.lines?.length ?? 0);
        expect(cellText(sheet.getRow(PRICE_HEADER_ROW + lines + 1).getCell(1).value)).toBe('Total HT');
      });
    });
  });

  it('prints the same line numbers and quantities in the CCTP composition tables, the price schedule and the OCDS items', () => {
    const framework = request.contract.form === 'framework-agreement';
    const compositions = docxTables.filter((t) => t.rows[0]?.[0] === 'N°' && t.rows[0]?.[1] === 'Article');
    tender.lots.forEach((lot) => {
      const expected = lot.lines.map((line, i) => [`${lot.number}.${i + 1}`, line.pricing === 'lump-sum' ? 1 : line.quantity]);
      const table = compositions.find((t) => t.rows[1]?.[0] === `${lot.number}.1`)!;
      const quantityColumn = table.rows[0]!.indexOf('Quantité');
      expect(table.rows.slice(1).map((r) => [r[0], Number(r[quantityColumn]!.replace(/\s/g, ''))])).toEqual(expected);
      const sheet = prices.getWorksheet(priceSheetName(framework ? 'DQE' : 'DPGF', lot))!;
      expect(expected.map((_, i) => [cellText(sheet.getRow(PRICE_HEADER_ROW + 1 + i).getCell(1).value), cellNumber(sheet.getRow(PRICE_HEADER_ROW + 1 + i).getCell(4).value)])).toEqual(expected);
      const items = ocds.releases[0].tender.items.filter((item: any) => item.relatedLot === `lot-${lot.number}`);
      expect(items.reduce((n: number, item: any) => n + item.quantity, 0)).toBe(lot.lines.reduce((n, l) => n + l.quantity, 0));
      for (const [number] of expected) expect(cctpText.split(/\s+/)).toContain(number);
    });
  });

  it('delivers to the sites the buyer listed, with the same quantities in the CCTP and the sites sheet, whose totals are the schedule’s', () => {
    request.lots.forEach((lot: any, i: number) => {
      const split = (lot.items as any[]).filter((l) => l.sites !== undefined);
      if (split.length === 0) return;
      const named = [...new Set(split.flatMap((l) => Object.keys(l.sites).filter((id) => l.sites[id] > 0)))];
      const ordered = request.sites.filter((s: any) => named.includes(s.id));
      const sheet = prices.getWorksheet(sitesSheetName({ number: i + 1 }))!;
      ordered.forEach((site: any, k: number) => {
        const row = sheet.getRow(SITES_HEADER_ROW + 1 + k);
        expect(cellText(row.getCell(1).value)).toBe(site.name);
        expect(split.map((_, j) => cellNumber(row.getCell(3 + j).value))).toEqual(split.map((l) => l.sites[site.id] ?? 0));
        if (site.uai) expect(cctpText).toContain(site.uai);
      });
      const totals = sheet.getRow(SITES_HEADER_ROW + ordered.length + 1);
      expect(split.map((_, j) => cellNumber(totals.getCell(3 + j).value))).toEqual(split.map((l) => total(l.sites)));
      const siteTable = docxTables.find((t) => t.rows[0]?.join('|').startsWith('Site|UAI|Adresse|Quantités') && t.rows[1]?.[0] === ordered[0].name)!;
      expect(siteTable.rows.slice(1).map((r) => [r[0], r[1]])).toEqual(ordered.map((s: any) => [s.name, s.uai ?? '—']));
    });
  });
});
