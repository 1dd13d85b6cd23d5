import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { bidTemplates, readBid, type BidTemplates } from '#src/adapters/offers/read-bid.ts';
import { BidFileError } from '#src/core/offers/errors.ts';
import { checkLotBid } from '#src/core/offers/conformity.ts';
import { COMPLIANCE_HEADER_ROW } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { IDENTITY_SHEET } from '#src/adapters/render/xlsx/identity.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { buildBid, meetingAnswer, SIRETS } from './support/bids.ts';

describe.each(['commune', 'departement'] as const)('reading bids returned for examples/%s', (name) => {
  let tender: ResolvedTender;
  let templates: BidTemplates;
  let templatesOfB: BidTemplates;

  beforeAll(async () => {
    ({ tender } = await evaluatedExample(name));
    templates = await bidTemplates(tender);
    templatesOfB = await bidTemplates(tender, 'tender-bbbbbbbb');
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
    const error = (() => {
      try {
        readBid(tender, templates, files);
      } catch (e) {
        return e;
      }
    })() as BidFileError;
    expect(error).toBeInstanceOf(BidFileError);
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

  const refusal = (run: () => unknown): BidFileError => {
    try {
      run();
    } catch (e) {
      return e as BidFileError;
    }
    throw new Error('the bid was read');
  };

  it('reads a bid built from a stored tender’s published files against the templates regenerated for that tender', async () => {
    const files = await buildBid(tender, { id: 'a', name: 'A', siret: SIRETS[0], tenderId: 'tender-aaaaaaaa', lots: { 1: { unitPrice: () => 10 } } });
    const bid = readBid(tender, await bidTemplates(tender, 'tender-aaaaaaaa'), files);
    expect(bid.lots.map((l) => l.lot)).toEqual([1]);
    expect(bid.lots[0]!.alterations).toEqual([]);
  });

  it('refuses the files of tender A uploaded to tender B, though both were generated from the same request', async () => {
    const files = await buildBid(tender, { id: 'a', name: 'A', siret: SIRETS[0], tenderId: 'tender-aaaaaaaa', lots: { 1: { unitPrice: () => 10 } } });
    const error = refusal(() => readBid(tender, templatesOfB, files));
    expect(error).toBeInstanceOf(BidFileError);
    expect(error.problem).toBe('invalid');
    expect(error.issues).toEqual([{ path: `${files.matrix.name}!${IDENTITY_SHEET}`, message: expect.stringContaining('generated for the consultation tender-aaaaaaaa, not for this one') }]);
    // A file generated without a stored tender (the CLI) is not this stored tender's either.
    const unstored = await buildBid(tender, { id: 'c', name: 'C', siret: SIRETS[1], lots: { 1: { unitPrice: () => 10 } } });
    expect(refusal(() => readBid(tender, templatesOfB, unstored)).issues[0]!.message).toContain('a consultation Cahier did not store');
  });

  it('refuses a workbook whose identity was deleted or edited, and a price schedule sent as the matrix', async () => {
    const deleted = await buildBid(tender, {
      id: 'sans',
      name: 'Sans marque',
      siret: SIRETS[2],
      lots: { 1: { unitPrice: () => 10 } },
      editPrices: (workbook) => workbook.removeWorksheet(workbook.getWorksheet(IDENTITY_SHEET)!.id),
    });
    const lost = refusal(() => readBid(tender, templates, deleted));
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
    expect(refusal(() => readBid(tender, templates, edited)).issues[0]!.message).toContain('another version of the consultation');
    const swapped = await buildBid(tender, { id: 'inverse', name: 'Inversé', siret: SIRETS[4], lots: { 1: { unitPrice: () => 10 } } });
    const error = refusal(() => readBid(tender, templates, { ...swapped, matrix: swapped.prices, prices: swapped.matrix }));
    expect(error.issues[0]!.message).toContain('not the compliance matrix');
  });

  it('writes the same identity whenever the same stored tender’s templates are rendered', async () => {
    const again = await bidTemplates(tender, 'tender-bbbbbbbb');
    expect(again.matrix.sheet(IDENTITY_SHEET)).toEqual(templatesOfB.matrix.sheet(IDENTITY_SHEET));
    expect(again.prices.sheet(IDENTITY_SHEET)).toEqual(templatesOfB.prices.sheet(IDENTITY_SHEET));
    const text = [...again.matrix.sheet(IDENTITY_SHEET)!.values()].map((row) => row.get(2)!.text);
    expect(text).toEqual(['tender-bbbbbbbb', expect.stringMatching(/^sha256:[0-9a-f]{64}$/), 'cadre-de-reponse']);
  });
});

