import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { bidTemplates, readBid } from '#src/adapters/offers/read-bid.ts';
import { runAnalysis, parseAnalysisInput, type AnalysisFile } from '#src/app/analyse-offers.ts';
import type { OffersAnalysis } from '#src/core/offers/analysis.ts';
import type { Bid } from '#src/core/offers/bid.ts';
import { ANALYSIS_RENDERERS } from '#src/adapters/offers/analysis-renderers.ts';
import { formatMoney } from '#src/core/model/format.ts';
import { decpPreAward } from '#src/adapters/render/decp/decp.ts';
import { SIRENE_SCHEME } from '#src/adapters/render/ocds/ocds.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { pdfText } from '../support/pdf-text.ts';
import { decpValidator, errorLines, ocdsPackageValidator } from '../support/official-schemas.ts';
import { wordText, zipParts } from '../exports/support/office.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { scenarioBids, scenarioMarks } from './support/scenario.ts';

const AWARD = {
  buyerSiret: '22270001500001',
  notificationDate: '2026-11-20',
  publicationDate: '2026-11-27',
  placeOfPerformance: { code: '27', typeCode: 'Code département' },
  ccag: "Techniques de l'information et de la communication",
  subcontracting: false,
  contractIds: {},
} as const;

const decoder = new TextDecoder();
const flat = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ');

describe('the outputs of the offer analysis (examples/departement, lot 1)', () => {
  let tender: ResolvedTender;
  let bids: Bid[];
  let analysis: OffersAnalysis;
  let files: AnalysisFile[];
  const file = (name: string) => files.find((f) => f.name === name)!.content;

  beforeAll(async () => {
    ({ tender } = await evaluatedExample('departement'));
    const templates = await bidTemplates(tender);
    bids = (await scenarioBids(tender)).map((f) => readBid(tender, templates, f));
    ({ analysis, files } = await runAnalysis(tender, bids, parseAnalysisInput({ ...scenarioMarks(tender), award: AWARD }), ANALYSIS_RENDERERS));
  }, 120_000);

  it('writes the summary, the RAO of the lot with offers in PDF and Word, and the award data', () => {
    expect(files.map((f) => f.name)).toEqual(['analyse.json', 'rao-lot-1.pdf', 'rao-lot-1.docx', 'decp.json', 'award.ocds.json']);
  });

  it('gives byte-identical outputs for the same inputs', async () => {
    const again = await runAnalysis(tender, bids, parseAnalysisInput({ ...scenarioMarks(tender), award: AWARD }), ANALYSIS_RENDERERS);
    expect(again.files.map((f) => [f.name, Buffer.from(f.content).toString('base64')])).toEqual(files.map((f) => [f.name, Buffer.from(f.content).toString('base64')]));
  }, 120_000);

  it('produces a DECP 2.0.3 record valid against the official schema, with the holder, amount and offers received', () => {
    const decp = JSON.parse(decoder.decode(file('decp.json')));
    const validate = decpValidator();
    expect(validate(decp) ? [] : errorLines(validate.errors)).toEqual([]);
    // The validator does refuse: no holder, an 8-digit buyer id, an unknown CCAG.
    const { titulaires: _holders, ...withoutHolder } = decp.marches.marche[0];
    expect(validate({ marches: { marche: [{ ...withoutHolder, acheteur: { id: '12345678' }, ccag: 'CCAG-TIC' }] } })).toBe(false);
    expect(errorLines(validate.errors).length).toBeGreaterThanOrEqual(3);
    const lot = analysis.lots[0]!;
    const marche = decp.marches.marche[0];
    expect(marche.titulaires).toEqual([{ titulaire: { typeIdentifiant: 'SIRET', id: lot.proposed!.siret } }]);
    expect(marche.offresRecues).toBe(6);
    expect(marche.montant).toBe(tender.lots[0]!.limits.maximumAmount ?? lot.ranking[0]!.amount);
    expect(marche.acheteur).toEqual({ id: AWARD.buyerSiret });
  });

  it('publishes in the DECP record what the tender states, as decp.ts reads it before award, with the award details where they speak', () => {
    const marche = JSON.parse(decoder.decode(file('decp.json'))).marches.marche[0];
    const { id: _id, acheteur: _buyer, lieuExecution: _place, ccag: _ccag, ...known } = decpPreAward(tender, 'CAHIER').marches[0]!;
    expect(marche).toMatchObject(known);
    expect(marche).toMatchObject({ acheteur: { id: AWARD.buyerSiret }, lieuExecution: AWARD.placeOfPerformance, ccag: AWARD.ccag });
  });

  it('produces an OCDS award release valid against the release package schema and the lots extension, with the same supplier and amount (strict: no field an extension does not define)', () => {
    const pkg = JSON.parse(decoder.decode(file('award.ocds.json')));
    const validate = ocdsPackageValidator(true);
    expect(validate(pkg) ? [] : errorLines(validate.errors)).toEqual([]);
    const decp = JSON.parse(decoder.decode(file('decp.json')));
    const award = pkg.releases[0].awards[0];
    expect(award.value).toEqual({ amount: decp.marches.marche[0].montant, currency: 'EUR' });
    expect(award.relatedLots).toEqual(['lot-1']);
    const supplier = pkg.releases[0].parties.find((p: { id: string }) => p.id === award.suppliers[0].id);
    expect(supplier.identifier.id).toBe(analysis.lots[0]!.proposed!.siret);
    // The scheme of the tender release's buyer (org-id.guide's code for SIRENE), for every party.
    expect(pkg.releases[0].parties.every((p: { identifier: { scheme: string } }) => p.identifier.scheme === SIRENE_SCHEME)).toBe(true);
    expect(pkg.releases[0].parties.filter((p: { roles: string[] }) => p.roles.includes('tenderer'))).toHaveLength(6);
  });

  it('states in the RAO, PDF and Word alike, every status, score, rank and the proposed award', async () => {
    const lot = analysis.lots[0]!;
    const pdf = flat(await pdfText(file('rao-lot-1.pdf')));
    const docx = flat(wordText(zipParts(file('rao-lot-1.docx')).get('word/document.xml')!));
    for (const text of [pdf, docx]) {
      for (const offer of lot.offers) expect(text).toContain(offer.bidder.name);
      for (const s of lot.ranking) expect(text).toContain(flat(s.printed.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })));
      expect(text).toContain(flat(`Il est proposé d’attribuer le lot 1 à ${lot.proposed!.name}`));
      expect(text).toContain(flat(formatMoney(lot.ranking[0]!.amount)));
      expect(text).toContain('Irrégulière, régularisable');
      expect(text).toContain('≥ 1 Go');
      expect(text).toContain('demande de précisions et justifications');
      expect(text).toContain('TVA et total TTC rectifiés à partir des prix unitaires');
      expect(text).toContain(flat(scenarioMarks(tender).marks[0]!.justification));
    }
  });

  it('refuses an analysis input whose mark has no justification, naming the field', () => {
    const marks = scenarioMarks(tender);
    const raw = JSON.parse(JSON.stringify({ ...marks, award: AWARD }));
    raw.marks[4].justification = '';
    expect(() => parseAnalysisInput(raw)).toThrow(ValidationError);
    try {
      parseAnalysisInput(raw);
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['marks.4.justification']);
    }
  });
});
