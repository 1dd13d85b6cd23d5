/**
 * The companion documents come from one resolved tender: whatever the format, a bidder and a
 * buyer must read the same requirements, the same thresholds and the same award weights.
 */
import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatPercent } from '#src/core/model/format.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { ReleasePackageSchema, type OcdsReleasePackage } from '#src/adapters/render/ocds/ocds-schema.ts';
import { COMPLIANCE_HEADER_ROW, CRITERIA_SHEET } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import type { GeneratedDocuments } from '#src/app/generate-documents.ts';
import { pdfText } from '../support/pdf-text.ts';
import { evaluateFrom, example, generateFrom } from '../support/pipeline.ts';
import { cellText, readWorkbook, wordTables, zipParts } from './support/office.ts';
import { EXAMPLE_NAMES, sharedDeps } from './support/models.ts';

const squeeze = (s: string) => s.replace(/\s+/g, '');
/** Whitespace as the markup leaves it: every run of spaces, no-break ones included, is one space. */
const fold = (s: string) => s.replace(/\s+/g, ' ');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sorted = <T>(values: T[]) => [...values].sort();
/** Every "NN %" of a text, as the numbers, in order. */
const percents = (text: string) => [...text.matchAll(/(\d+(?:,\d+)?)\s%/g)].map((m) => Number(m[1]!.replace(',', '.')));

describe.each(EXAMPLE_NAMES)('every format of examples/%s', (name) => {
  let tender: ResolvedTender;
  let generated: GeneratedDocuments;
  let file: (name: string) => Uint8Array;
  let expectedIds: string[];
  let expectedWeights: number[];
  let cctpText: string;
  let rcText: string;
  let docxTables: ReturnType<typeof wordTables>;
  let matrix: ExcelJS.Workbook;
  let ocds: OcdsReleasePackage;

  beforeAll(async () => {
    const deps = await sharedDeps();
    ({ tender } = await evaluateFrom(example(name), deps.catalogue));
    generated = await generateFrom(example(name), deps, ['pdf', 'rc', 'docx', 'xlsx', 'json']);
    file = (n) => generated.documents.find((d) => d.name === n)!.content;
    expectedIds = sorted(tender.lots.flatMap((l) => l.requirements.map((r) => `${l.number}:${r.reference}`)));
    expectedWeights = tender.request.awardCriteria.flatMap((c) => [c.weight, ...c.subCriteria.map((s) => s.weight)]);
    cctpText = await pdfText(file('cctp.pdf'));
    rcText = await pdfText(file('rc.pdf'));
    docxTables = wordTables(zipParts(file('cctp.docx')).get('word/document.xml')!);
    matrix = await readWorkbook(file('cadre-de-reponse.xlsx'));
    ocds = ReleasePackageSchema.parse(JSON.parse(new TextDecoder().decode(file('tender.ocds.json'))));
  });

  it('produces the seven documents, each listed in the report with its SHA-256', () => {
    expect(generated.documents.map((d) => d.name)).toEqual([
      'cctp.pdf',
      'rc.pdf',
      'rc.docx',
      'cctp.docx',
      'cadre-de-reponse.xlsx',
      'bordereau-des-prix.xlsx',
      'tender.ocds.json',
    ]);
    expect(generated.report.documents.map((d) => d.name)).toEqual(sorted(generated.documents.map((d) => d.name)));
    expect(generated.report.documents.every((d) => /^[0-9a-f]{64}$/.test(d.sha256))).toBe(true);
  });

  it('has the same requirement references, lot by lot, in the DOCX, the XLSX and the JSON, each on one line of the PDF', () => {
    const docxIds = docxTables.filter((t) => t.rows[0]?.[0] === 'Réf.' && t.rows[0]?.[1] === 'Exigence').flatMap((t) => t.rows.slice(1).map((r) => r[0]!));
    expect(sorted(docxIds)).toEqual(sorted(expectedIds.map((id) => id.slice(id.indexOf(':') + 1))));
    const xlsxIds = tender.lots.flatMap((lot) => {
      const ids: string[] = [];
      matrix.getWorksheet(`Lot ${lot.number}`)!.eachRow((row, r) => {
        if (r > COMPLIANCE_HEADER_ROW) ids.push(`${lot.number}:${cellText(row.getCell(1).value)}`);
      });
      return ids;
    });
    expect(sorted(xlsxIds)).toEqual(expectedIds);
    const jsonIds = ocds.releases[0]!.tender.criteria.map((c) => `${c.relatedLots![0]!.replace('lot-', '')}:${c.id}`);
    expect(sorted(jsonIds)).toEqual(expectedIds);
    // Whole, never broken across lines: a bidder copying one from the PDF gets it as printed.
    const words = new Set(cctpText.split(/\s+/));
    for (const id of expectedIds) expect(words.has(id.slice(id.indexOf(':') + 1)), id).toBe(true);
  });

  it('prints the same threshold for each requirement in every format', () => {
    const flatPdf = squeeze(cctpText);
    const docxRows = new Map(docxTables.flatMap((t) => (t.rows[0]?.[0] === 'Réf.' ? t.rows.slice(1).map((r) => [r[0]!, r] as const) : [])));
    const jsonThresholds = new Map(ocds.releases[0]!.tender.criteria.map((c) => [`${c.relatedLots![0]}/${c.id}`, c.requirementGroups[0]!.requirements[0]!.description]));
    for (const lot of tender.lots) {
      const sheet = matrix.getWorksheet(`Lot ${lot.number}`)!;
      lot.requirements.forEach((requirement, i) => {
        const threshold = formatThreshold(requirement.metric);
        expect(flatPdf).toContain(squeeze(threshold));
        const row = docxRows.get(requirement.reference) ?? [];
        expect(row.map(fold), requirement.reference).toContainEqual(expect.stringMatching(new RegExp(`^${escapeRegExp(fold(threshold))}`)));
        expect(cellText(sheet.getRow(COMPLIANCE_HEADER_ROW + 1 + i).getCell(4).value).startsWith(threshold)).toBe(true);
        expect(jsonThresholds.get(`lot-${lot.number}/${requirement.reference}`)).toBe(threshold);
      });
    }
  });

  it('gives the same award weights in the CCTP (PDF and DOCX), the RC, the XLSX and the JSON', () => {
    const cctpAward = cctpText.slice(cctpText.lastIndexOf('Critères d’attribution'), cctpText.lastIndexOf('Annexes'));
    expect(percents(cctpAward)).toEqual(expectedWeights);
    const rcAward = rcText.slice(rcText.lastIndexOf('Critères et pondérations'), rcText.indexOf('Chaque offre reçoit'));
    expect(percents(rcAward)).toEqual(expectedWeights);
    const docxAward = docxTables.find((t) => t.rows[0]?.join('|') === 'Critère|Nature|Pondération')!;
    // The markup folds the no-break space of « 45 % » into a plain space.
    expect(docxAward.rows.slice(1).map((r) => r[2]!.replace(/\s/g, ' '))).toEqual(expectedWeights.map((w) => formatPercent(w).replace(/\s/g, ' ')));
    const xlsxWeights: number[] = [];
    matrix.getWorksheet(CRITERIA_SHEET)!.eachRow((row, r) => {
      const weight = row.getCell(5).value ?? row.getCell(6).value;
      if (r > COMPLIANCE_HEADER_ROW && typeof weight === 'number') xlsxWeights.push(weight);
    });
    expect(xlsxWeights).toEqual(expectedWeights);
    const { tender: ocdsTender } = ocds.releases[0]!;
    for (const lot of ocdsTender.lots) {
      expect(lot.awardCriteria!.criteria.map((c) => c.numbers![0]!.number)).toEqual(tender.request.awardCriteria.map((c) => c.weight));
      // each sub-criterion in its criterion's description, with its weight as the documents print it
      const jsonWeights = lot.awardCriteria!.criteria.flatMap((c) => [c.numbers![0]!.number, ...[...(c.description ?? '').matchAll(/\(([\d,]+)\s%\)/g)].map((m) => Number(m[1]!.replace(',', '.')))]);
      expect(jsonWeights).toEqual(expectedWeights);
    }
  });
});
