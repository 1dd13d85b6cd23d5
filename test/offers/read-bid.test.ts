import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { bidTemplates, readBid, type BidTemplates } from '#src/adapters/offers/read-bid.ts';
import { BidFileError } from '#src/core/offers/errors.ts';
import { checkLotBid, vatRates } from '#src/core/offers/conformity.ts';
import { ANSWER_COLUMNS, COMPLIANCE_HEADER_ROW, lotSheetName, renderComplianceMatrix } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { IDENTITY_SHEET } from '#src/adapters/render/xlsx/identity.ts';
import { sha256 } from '#src/app/generate-documents.ts';
import { evaluatedExample, sharedDeps } from '../exports/support/models.ts';
import { evaluateFrom, v2Example } from '../support/pipeline.ts';
import { buildBid, meetingAnswer, SIRETS } from './support/bids.ts';
import { thrown } from '../support/thrown.ts';

describe.each(['commune', 'departement'] as const)('reading bids returned for examples/%s', (name) => {
  let tender: ResolvedTender;
  let templates: BidTemplates;
  let templatesOfB: BidTemplates;

  beforeAll(async () => {
    ({ tender } = await evaluatedExample(name));
    templates = await bidTemplates(tender);
    templatesOfB = await bidTemplates(tender, { tenderId: 'tender-bbbbbbbb' });
  });

  const everyLot = (price: number) => Object.fromEntries(tender.lots.map((l) => [l.number, { unitPrice: () => price }]));

  it('maps every answer to its requirement reference and finds nothing altered in a file filled as generated', async () => {
    const files = await buildBid(tender, { id: 'acme', name: 'ACME Éducation', siret: SIRETS[0], lots: everyLot(100) });
    const bid = readBid(tender, templates, files);
    expect(bid.lots.map((l) => l.lot)).toEqual(tender.lots.map((l) => l.number));
    for (const lot of tender.lots) {
      const lotBid = bid.lots.find((l) => l.lot === lot.number)!;
      expect(lotBid.alterations).toEqual([]);
      expect(lotBid.answers.map((a) => a.reference)).toEqual(lot.requirements.map((r) => r.reference));
      lotBid.answers.forEach((answer, i) => {
        const expected = meetingAnswer(lot.requirements[i]!);
        expect(answer.conform).toBe('yes');
        expect(answer.value).toBe(expected.value);
        expect(answer.proof).toBe(expected.proof);
      });
      expect(lotBid.prices.map((p) => p.unitPrice)).toEqual(lot.lines.map(() => 100));
      const verdict = checkLotBid(lot, lotBid);
      expect(verdict.issues).toEqual([]);
      expect(verdict.status).toBe('conforming');
      expect(verdict.amount).toBeCloseTo(lot.lines.reduce((n, l) => n + l.quantity * 100, 0), 2);
    }
    expect(bid.files.map((f) => f.sha256)).toEqual(bid.files.map(() => expect.stringMatching(/^[0-9a-f]{64}$/)));
  });

  it('leaves out the lots a bidder did not answer', async () => {
    const files = await buildBid(tender, { id: 'solo', name: 'Solo', siret: SIRETS[1], lots: { 1: { unitPrice: () => 10 } } });
    expect(readBid(tender, templates, files).lots.map((l) => l.lot)).toEqual([1]);
  });

  it('finds an edited locked threshold and a deleted row, and keeps the other answers by reference', async () => {
    const lot = tender.lots[0]!;
    const thresholdRow = COMPLIANCE_HEADER_ROW + 1 + lot.requirements.findIndex((r) => r.metric.type === 'numeric');
    const deleted = lot.requirements.length - 1;
    const files = await buildBid(tender, {
      id: 'malin',
      name: 'Malin SAS',
      siret: SIRETS[2],
      lots: { 1: { unitPrice: () => 50 } },
      editMatrix: (workbook: ExcelJS.Workbook) => {
        const sheet = workbook.getWorksheet('Lot 1')!;
        sheet.getRow(thresholdRow).getCell(4).value = '≥ 1 Go';
        sheet.spliceRows(COMPLIANCE_HEADER_ROW + 1 + deleted, 1);
      },
    });
    const lotBid = readBid(tender, templates, files).lots[0]!;
    expect(lotBid.alterations).toContainEqual(expect.objectContaining({ path: `Lot 1!D${thresholdRow}`, found: '≥ 1 Go' }));
    expect(lotBid.alterations).toContainEqual(expect.objectContaining({ found: 'ligne supprimée' }));
    expect(lotBid.answers[deleted]!.conform).toBeUndefined();
    expect(lotBid.answers.slice(0, deleted).every((a) => a.conform === 'yes')).toBe(true);
    const verdict = checkLotBid(lot, lotBid);
    expect(verdict.status).toBe('irregular');
    expect(verdict.issues.some((i) => i.kind === 'template-altered' && i.cell === `Lot 1!D${thresholdRow}`)).toBe(true);
  });

  it('reads a value typed « 85 % » (stored 0.85, shown as a percentage) as 85 %, and refuses a date where a value is expected', async () => {
    const lot = tender.lots[0]!;
    const index = lot.requirements.findIndex((r) => r.metric.type === 'numeric' && r.metric.unit === '%' && r.metric.comparator === 'gte');
    const requirement = lot.requirements[index]!;
    const row = COMPLIANCE_HEADER_ROW + 1 + index;
    const typed = (numFmt: string, value: number) => (workbook: ExcelJS.Workbook) => {
      const cell = workbook.getWorksheet(lotSheetName(lot))!.getRow(row).getCell(ANSWER_COLUMNS.value);
      cell.value = value;
      cell.numFmt = numFmt;
    };
    const percent = await buildBid(tender, { id: 'pct', name: 'Pourcent SA', siret: SIRETS[2], lots: { 1: { unitPrice: () => 10 } }, editMatrix: typed('0%', 0.85) });
    const answer = readBid(tender, templates, percent).lots[0]!.answers.find((a) => a.reference === requirement.reference)!;
    expect(answer.value).toBe('85 %');
    expect(checkLotBid(lot, readBid(tender, templates, percent).lots[0]!).issues.filter((i) => i.reference === requirement.reference)).toEqual([]);

    const dated = await buildBid(tender, { id: 'date', name: 'Date SA', siret: SIRETS[2], lots: { 1: { unitPrice: () => 10 } }, editMatrix: typed('dd/mm/yyyy', 46000) });
    const error = thrown(() => readBid(tender, templates, dated), BidFileError);
    expect(error.issues[0]!.message).toContain('a date where a value is expected');
  });

  it('refuses a formula where a value is expected, naming the cell', async () => {
    const files = await buildBid(tender, {
      id: 'calc',
      name: 'Calc SARL',
      siret: SIRETS[3],
      lots: { 1: { unitPrice: () => 10 } },
      editPrices: (workbook) => {
        const sheet = workbook.worksheets[0]!;
        const column = tender.request.contract.form === 'framework-agreement' ? 4 : 5;
        sheet.getRow(4).getCell(column).value = { formula: '1+1', result: 2 };
      },
    });
    const error = thrown(() => readBid(tender, templates, files), BidFileError);
    expect(error.problem).toBe('invalid');
    expect(error.issues[0]!.path).toMatch(/^(BPU|DPGF) lot 1!(D|E)4$/);
    expect(error.issues[0]!.message).toContain('formula');
  });

  it('refuses the file of another consultation', async () => {
    const files = await buildBid(tender, {
      id: 'autre',
      name: 'Autre',
      siret: SIRETS[4],
      lots: { 1: { unitPrice: () => 10 } },
      editMatrix: (workbook) => {
        workbook.getWorksheet('Lot 1')!.getCell('A2').value = 'Consultation « Autre chose ».';
      },
    });
    expect(() => readBid(tender, templates, files)).toThrow(/another consultation/);
  });

  it('reads a bid built from a stored tender’s published files against the templates regenerated for that tender', async () => {
    const files = await buildBid(tender, { id: 'a', name: 'A', siret: SIRETS[0], tenderId: 'tender-aaaaaaaa', lots: { 1: { unitPrice: () => 10 } } });
    const bid = readBid(tender, await bidTemplates(tender, { tenderId: 'tender-aaaaaaaa' }), files);
    expect(bid.lots.map((l) => l.lot)).toEqual([1]);
    expect(bid.lots[0]!.alterations).toEqual([]);
  });

  it('refuses the files of tender A uploaded to tender B, though both were generated from the same request', async () => {
    const files = await buildBid(tender, { id: 'a', name: 'A', siret: SIRETS[0], tenderId: 'tender-aaaaaaaa', lots: { 1: { unitPrice: () => 10 } } });
    const error = thrown(() => readBid(tender, templatesOfB, files), BidFileError);
    expect(error).toBeInstanceOf(BidFileError);
    expect(error.problem).toBe('invalid');
    expect(error.issues).toEqual([{ path: `${files.matrix.name}!${IDENTITY_SHEET}`, message: expect.stringContaining('generated for the consultation tender-aaaaaaaa, not for this one') }]);
    // A file generated without a stored tender (the CLI) is not this stored tender's either.
    const unstored = await buildBid(tender, { id: 'c', name: 'C', siret: SIRETS[1], lots: { 1: { unitPrice: () => 10 } } });
    expect(thrown(() => readBid(tender, templatesOfB, unstored), BidFileError).issues[0]!.message).toContain('a consultation Cahier did not store');
  });

  it('refuses a workbook whose identity was deleted or edited, and a price schedule sent as the matrix', async () => {
    const deleted = await buildBid(tender, {
      id: 'sans',
      name: 'Sans marque',
      siret: SIRETS[2],
      lots: { 1: { unitPrice: () => 10 } },
      editPrices: (workbook) => workbook.removeWorksheet(workbook.getWorksheet(IDENTITY_SHEET)!.id),
    });
    const lost = thrown(() => readBid(tender, templates, deleted), BidFileError);
    expect(lost).toBeInstanceOf(BidFileError);
    expect(lost.issues).toEqual([{ path: `${deleted.prices.name}!${IDENTITY_SHEET}`, message: expect.stringContaining('lost the hidden identification') }]);
    const edited = await buildBid(tender, {
      id: 'retouche',
      name: 'Retouche',
      siret: SIRETS[3],
      lots: { 1: { unitPrice: () => 10 } },
      editMatrix: (workbook) => {
        workbook.getWorksheet(IDENTITY_SHEET)!.getCell('B2').value = `sha256:${'0'.repeat(64)}`;
      },
    });
    expect(thrown(() => readBid(tender, templates, edited), BidFileError).issues[0]!.message).toContain('another version of the consultation');
    const swapped = await buildBid(tender, { id: 'inverse', name: 'Inversé', siret: SIRETS[4], lots: { 1: { unitPrice: () => 10 } } });
    const error = thrown(() => readBid(tender, templates, { ...swapped, matrix: swapped.prices, prices: swapped.matrix }), BidFileError);
    expect(error.issues[0]!.message).toContain('not the compliance matrix');
  });

  it('reads without an identity a bid returned in a file the tender published before workbooks carried one, and still refuses a wrong one', async () => {
    const id = 'tender-cccccccc';
    const strict = await bidTemplates(tender, { tenderId: id, sha256: { matrix: sha256(await renderComplianceMatrix(tender, id)) } });
    expect(strict.identityRequired).toEqual({ matrix: true, prices: true });
    // The stored matrix is not the regenerated one: an older rendering, without the identity sheet.
    const legacy = await bidTemplates(tender, { tenderId: id, sha256: { matrix: 'f'.repeat(64) } });
    expect(legacy.identityRequired).toEqual({ matrix: false, prices: true });
    const unmarked = await buildBid(tender, {
      id: 'ancien',
      name: 'Ancien modèle',
      siret: SIRETS[0],
      tenderId: id,
      lots: { 1: { unitPrice: () => 10 } },
      editMatrix: (workbook) => workbook.removeWorksheet(workbook.getWorksheet(IDENTITY_SHEET)!.id),
    });
    expect(readBid(tender, legacy, unmarked).lots[0]!.alterations).toEqual([]);
    expect(thrown(() => readBid(tender, strict, unmarked), BidFileError).issues[0]!.message).toContain('lost the hidden identification');
    const foreign = await buildBid(tender, { id: 'autre', name: 'Autre', siret: SIRETS[1], tenderId: 'tender-dddddddd', lots: { 1: { unitPrice: () => 10 } } });
    expect(thrown(() => readBid(tender, legacy, foreign), BidFileError).issues[0]!.message).toContain('not for this one');
  });

  it('writes the same identity whenever the same stored tender’s templates are rendered', async () => {
    const again = await bidTemplates(tender, { tenderId: 'tender-bbbbbbbb' });
    expect(again.matrix.sheet(IDENTITY_SHEET)).toEqual(templatesOfB.matrix.sheet(IDENTITY_SHEET));
    expect(again.prices.sheet(IDENTITY_SHEET)).toEqual(templatesOfB.prices.sheet(IDENTITY_SHEET));
    const text = [...again.matrix.sheet(IDENTITY_SHEET)!.values()].map((row) => row.get(2)!.text);
    expect(text).toEqual(['tender-bbbbbbbb', expect.stringMatching(/^sha256:[0-9a-f]{64}$/), 'cadre-de-reponse']);
  });

  it('reads the VAT rows and the total incl. VAT apart from the lines, and finds them right in a bid filled as generated', async () => {
    const files = await buildBid(tender, { id: 'tva', name: 'TVA juste', siret: SIRETS[0], lots: { 1: { unitPrice: () => 12.34 } } });
    const lot = tender.lots[0]!;
    const lotBid = readBid(tender, templates, files).lots[0]!;
    expect(lotBid.prices).toHaveLength(lot.lines.length);
    const base = lot.lines.reduce((n, l) => n + (l.pricing === 'lump-sum' ? 1 : l.quantity) * 12.34, 0);
    expect(lotBid.declaredVat).toEqual([{ label: 'TVA 20 %', rate: 20, amount: Math.round(base * 20) / 100, cell: expect.stringMatching(/^(DQE|DPGF) lot 1!F\d+$/) }]);
    expect(lotBid.declaredTotalInclVat).toMatchObject({ label: 'Total TTC', amount: Math.round((base + Math.round(base * 20) / 100) * 100) / 100 });
    const verdict = checkLotBid(lot, lotBid);
    expect(verdict.rectifiedTotals).toBeUndefined();
    expect(verdict.status).toBe('conforming');
  });

  it('rectifies a wrong VAT total and the total incl. VAT from the unit prices, which prevail', async () => {
    const files = await buildBid(tender, { id: 'tva-fausse', name: 'TVA fausse', siret: SIRETS[1], lots: { 1: { unitPrice: () => 12.34, cachedVat: (_rate, computed) => computed + 50 } } });
    const lot = tender.lots[0]!;
    const lotBid = readBid(tender, templates, files).lots[0]!;
    const verdict = checkLotBid(lot, lotBid);
    const vat = lotBid.declaredVat![0]!;
    const rightVat = Math.round((vat.amount - 50) * 100) / 100;
    expect(verdict.rectifiedTotals).toEqual([
      { label: 'TVA 20 %', cell: vat.cell, declared: vat.amount, rectified: rightVat },
      { label: 'Total TTC', cell: lotBid.declaredTotalInclVat!.cell, declared: lotBid.declaredTotalInclVat!.amount, rectified: Math.round((verdict.amount + rightVat) * 100) / 100 },
    ]);
    // The amount examined is excl. VAT and stays what the unit prices give; the offer is not irregular for it.
    expect(verdict.declaredTotal).toBeUndefined();
    expect(verdict.status).toBe('conforming');
  });
});


describe('the VAT rows of a schedule whose lines use two rates (examples/commune v2, training at 5,5 %)', () => {
  it('checks each rate’s VAT row on its own lines and the total incl. VAT on all of them', async () => {
    const request = v2Example('commune');
    for (const line of request.lots[0].items) if (line.itemId === 'teacher-training') line.vatRate = 5.5;
    const { tender } = await evaluateFrom(request, (await sharedDeps()).catalogue);
    const lot = tender.lots[0]!;
    expect(vatRates(lot)).toEqual([5.5, 20]);
    const templates = await bidTemplates(tender);
    const price = (i: number) => 10 + i;
    const right = readBid(tender, templates, await buildBid(tender, { id: 'deux-taux', name: 'Deux taux', siret: SIRETS[0], lots: { 1: { unitPrice: (_l, i) => price(i) } } })).lots[0]!;
    const base = (rate: number) => lot.lines.reduce((n, l, i) => (l.vatRate === rate ? n + (l.pricing === 'lump-sum' ? 1 : l.quantity) * price(i) : n), 0);
    expect(right.declaredVat!.map((v) => [v.label, v.rate, v.amount])).toEqual([
      ['TVA 5,5 %', 5.5, Math.round(base(5.5) * 5.5) / 100],
      ['TVA 20 %', 20, Math.round(base(20) * 20) / 100],
    ]);
    expect(checkLotBid(lot, right).rectifiedTotals).toBeUndefined();
    const wrong = readBid(
      tender,
      templates,
      await buildBid(tender, { id: 'taux-faux', name: 'Taux faux', siret: SIRETS[1], lots: { 1: { unitPrice: (_l, i) => price(i), cachedVat: (rate, computed) => (rate === 5.5 ? computed * 20 / 5.5 : computed) } } }),
    ).lots[0]!;
    const verdict = checkLotBid(lot, wrong);
    expect(verdict.rectifiedTotals!.map((r) => [r.label, r.rectified])).toEqual([
      ['TVA 5,5 %', Math.round(base(5.5) * 5.5) / 100],
      ['Total TTC', Math.round((verdict.amount + Math.round(base(5.5) * 5.5) / 100 + Math.round(base(20) * 20) / 100) * 100) / 100],
    ]);
  });
});
