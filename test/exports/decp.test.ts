/**
 * DECP 2.0.3: the pre-award record of every example, once the award fields are filled with test
 * values, validates against the official schema (test/standards/decp); what the tender knows is
 * mapped from the request, and what it does not know is listed, never invented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeDecp, DECP_AWARD_FIELDS, decpPreAward, type DecpAward } from '#src/adapters/render/decp/decp.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { evaluateFrom, realDeps } from '../support/pipeline.ts';
import { decpValidator, errorLines } from '../support/official-schemas.ts';

const EXAMPLE_FILES = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json'));
const validate = decpValidator();
const read = (name: string) => JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));

/** Test values for what only the award knows. */
const AWARD: DecpAward = {
  titulaires: [{ typeIdentifiant: 'SIRET', id: '73282932000074' }],
  montant: 48_000,
  dateNotification: '2027-01-15',
  datePublicationDonnees: '2027-01-20',
  offresRecues: 3,
  attributionAvance: false,
  typeGroupementOperateurs: 'Pas de groupement',
  sousTraitanceDeclaree: false,
};

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

describe.each(EXAMPLE_FILES)('DECP record of examples/%s', (name) => {
  it('validates against schema_decp_v2.0.3.json once the award fields are filled, one marché per lot', async () => {
    // Prepare
    const input = read(name);
    const { tender } = await evaluateFrom(input, deps.catalogue);

    // Act
    const { marches, missing } = decpPreAward(tender, 'Xk3v9QmT2bLw8RzN1cDe4A');
    const file = completeDecp(marches, () => AWARD);

    // Assess
    expect(marches).toHaveLength(tender.lots.length);
    // What the request does not state is listed rather than guessed: a contract without a duration,
    // and the price type, which a version 1 request cannot state (firm, adjustable, revisable).
    const gaps = [...(input.contract?.durationMonths === undefined ? ['dureeMois'] : []), ...(input.contract?.price === undefined ? ['typesPrix'] : [])];
    expect(input.schemaVersion === 2 ? gaps : []).toEqual([]);
    for (const record of marches) expect(missing[record.id]).toEqual([...DECP_AWARD_FIELDS, ...gaps]);
    const TEST_GAPS: Record<string, object> = { dureeMois: { dureeMois: 12 }, typesPrix: { typesPrix: { typePrix: ['Définitif ferme'] } } };
    for (const m of file.marches.marche) for (const gap of gaps) Object.assign(m, TEST_GAPS[gap]);
    expect(validate(file) ? [] : errorLines(validate.errors)).toEqual([]);
    expect(new Set(marches.map((m) => m.id)).size).toBe(marches.length);
    for (const record of marches) {
      expect(record.acheteur?.id).toBe(input.buyer.siret);
      expect(record.lieuExecution).toEqual({ code: input.executionPlace.inseeCode, typeCode: 'Code commune' });
      expect(record.techniques.technique).toEqual([input.contract?.form === 'framework-agreement' ? 'Accord-cadre' : 'Sans objet']);
    }
  });
});

describe('DECP mapping', () => {
  it('counts tranches and renewals in the duration, maps the price and the considerations, and lists what the request lacks', async () => {
    // Prepare
    const input = read('departement-colleges-trois-lots-v2.json');
    const { tender } = await evaluateFrom(input, deps.catalogue);
    const bare = structuredClone(input);
    delete bare.buyer.siret;
    delete bare.executionPlace;

    // Act
    const { marches } = decpPreAward(tender, 'tender-1');
    const without = decpPreAward((await evaluateFrom(bare, deps.catalogue)).tender, 'tender-1');

    // Assess
    const { durationMonths, renewals } = input.contract;
    expect(marches[0]!.dureeMois).toBe(durationMonths + renewals.count * (renewals.months ?? durationMonths));
    expect(marches[0]!.procedure).toBe({ adapted: 'Procédure adaptée', open: "Appel d'offres ouvert", restricted: "Appel d'offres restreint" }[input.procedure as string]);
    expect(marches[0]!.considerationsEnvironnementales.considerationEnvironnementale).toContain('Clause environnementale');
    expect(marches.map((m) => m.id)).toEqual(tender.lots.map((l) => `${input.reference.slice(0, 13)}-L${l.number}`));
    const record = without.marches[0]!;
    expect(without.missing[record.id]).toEqual([...DECP_AWARD_FIELDS, 'acheteur', 'lieuExecution']);
    const file = completeDecp([record], () => AWARD);
    expect(validate(file)).toBe(false);
  });
});
