import { readdirSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { buildOcdsRelease, niUri, ocdsTenderId, renderOcdsJson, requirementValue, SIRENE_SCHEME } from '#src/adapters/render/ocds/ocds.ts';
import { ReleasePackageSchema, type OcdsReleasePackage } from '#src/adapters/render/ocds/ocds-schema.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import { generateFrom, evaluateFrom, realDeps } from '../support/pipeline.ts';
import { errorLines, ocdsPackageValidator } from '../support/official-schemas.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';

const EXAMPLE_FILES = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json'));
const published = ocdsPackageValidator(false);
const strict = ocdsPackageValidator(true);
const ALL_FORMATS = ['pdf', 'rc', 'docx', 'xlsx', 'json', 'note'];
const PUBLICATION = { tenderId: 'Xk3v9QmT2bLw8RzN1cDe4A', generatedAt: '2026-10-05T09:14:27.512Z' };

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

describe.each(EXAMPLE_FILES)('OCDS export of examples/%s', (name) => {
  let input: Record<string, any>;
  let tender: ResolvedTender;
  let json: Uint8Array;
  let pkg: OcdsReleasePackage;
  let documents: Awaited<ReturnType<typeof generateFrom>>['documents'];

  beforeAll(async () => {
    input = JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));
    ({ tender } = await evaluateFrom(input, deps.catalogue));
    ({ documents } = await generateFrom(input, deps, ALL_FORMATS));
    json = documents.find((d) => d.name === 'tender.ocds.json')!.content;
    pkg = JSON.parse(new TextDecoder().decode(json));
  });

  it('validates against the official release package schema with the six extensions, as published and strict', () => {
    expect(published(pkg) ? [] : errorLines(published.errors)).toEqual([]);
    expect(strict(pkg) ? [] : errorLines(strict.errors)).toEqual([]);
    const result = ReleasePackageSchema.safeParse(pkg);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('is a tender release with the tender active, procedure and category mapped, the buyer a party', () => {
    const release = pkg.releases[0]!;
    expect(release.tag).toEqual(['tender']);
    expect(release.tender.status).toBe('active');
    expect(release.tender.lots.every((l) => l.status === 'active')).toBe(true);
    expect(release.tender.title).toBe(tender.request.title);
    expect(release.tender.procurementMethod).toBe({ adapted: 'open', open: 'open', restricted: 'selective', 'negotiated-without-notice': 'limited' }[tender.request.procedure]);
    expect(release.tender.mainProcurementCategory).toBe('goods');
    expect(release.tender.techniques?.hasFrameworkAgreement).toBe(tender.request.contract.form === 'framework-agreement');
    if (tender.request.contract.form === 'framework-agreement' && tender.request.contract.maximumAmount !== undefined) {
      expect(release.tender.value).toEqual({ amount: tender.request.contract.maximumAmount, currency: 'EUR' });
    }
    const party = release.parties.find((p) => p.id === release.buyer.id)!;
    expect(party.roles).toEqual(['buyer', 'procuringEntity']);
    if (tender.request.buyer.siret) expect(party.identifier).toEqual({ scheme: SIRENE_SCHEME, id: tender.request.buyer.siret, legalName: tender.request.buyer.name });
  });

  it('lists every bidder piece with its format, and the hash of each piece that does not carry the release', () => {
    const listed = pkg.releases[0]!.tender.documents;
    const pieces = documents.filter((d) => d.audience === 'bidder' && d.name !== 'tender.ocds.json');
    expect(listed.map((d) => [d.id, d.format])).toEqual(pieces.map((d) => [d.name, d.mediaType]));
    for (const piece of pieces) {
      const entry = listed.find((d) => d.id === piece.name)!;
      if (piece.mediaType === 'application/pdf') expect(entry.url, piece.name).toBeUndefined();
      else expect(entry.url, piece.name).toBe(niUri(piece.content, piece.mediaType));
    }
    expect(listed.some((d) => d.id === 'note-interne.pdf')).toBe(false);
  });

  it('lists lots and items with CPV classification, quantity, unit and related lot', () => {
    const { lots, items } = pkg.releases[0]!.tender;
    expect(lots.map((l) => ({ id: l.id, title: l.title }))).toEqual(tender.lots.map((l) => ({ id: `lot-${l.number}`, title: l.title })));
    const expected = tender.lots.flatMap((lot) =>
      lot.lines.map((line) => ({
        id: `lot-${lot.number}/${line.id}`,
        description: line.item.label,
        classification: { scheme: 'CPV', id: line.item.cpv.slice(0, 8) },
        quantity: line.quantity,
        unit: { name: line.item.unit },
        relatedLot: `lot-${lot.number}`,
      })),
    );
    expect(items).toEqual(expected);
  });

  it('publishes one criterion per requirement, named by its reference, related to its lot, in the current requirements shape', () => {
    const { criteria } = pkg.releases[0]!.tender;
    const expected = tender.lots.flatMap((lot) => lot.requirements.map((r) => ({ lot: `lot-${lot.number}`, r })));
    expect(criteria).toHaveLength(expected.length);
    criteria.forEach((criterion, i) => {
      const { lot, r } = expected[i]!;
      expect(criterion).toMatchObject({ id: r.reference, title: r.label, description: r.requirement, relatedLots: [lot], relatesToTenderer: false });
      expect(Object.keys(criterion)).not.toContain('source');
      expect(Object.keys(criterion)).not.toContain('relatesTo');
      expect(criterion.requirementGroups).toHaveLength(1);
      expect(criterion.requirementGroups[0]!.requirements).toEqual([
        { id: `${r.reference}/r1`, title: r.label, description: formatThreshold(r.metric), ...requirementValue(r.metric) },
      ]);
    });
  });

  it('gives every lot its own award criteria with exact percentage weights', () => {
    const release = pkg.releases[0]!;
    release.tender.lots.forEach((lot, i) => {
      expect(lot.awardCriteria!.criteria).toEqual(
        tender.lots[i]!.awardCriteria.map((c) => ({
          type: c.type,
          name: c.name,
          description: expect.any(String),
          numbers: [{ number: c.weight, weight: 'percentageExact' }],
        })),
      );
    });
  });

  it('is the same JSON on a second run', async () => {
    const again = (await generateFrom(input, deps, ALL_FORMATS)).documents.find((d) => d.name === 'tender.ocds.json')!.content;
    expect(Buffer.compare(Buffer.from(again), Buffer.from(json))).toBe(0);
  });
});

describe.each(EXAMPLE_FILES)('OCDS release of the DCE of examples/%s', (name) => {
  let zip: Record<string, Uint8Array>;
  let ocds: Uint8Array;
  let pkg: OcdsReleasePackage;
  let manifest: { files: Array<{ name: string; title: string; mediaType: string; sha256: string }> };

  beforeAll(async () => {
    const input = JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));
    const { documents } = await generateFrom(input, deps, ['json', 'dce']);
    zip = unzipSync(documents.find((d) => d.name === 'dce.zip')!.content);
    ocds = documents.find((d) => d.name === 'tender.ocds.json')!.content;
    pkg = JSON.parse(new TextDecoder().decode(ocds));
    manifest = JSON.parse(new TextDecoder().decode(zip['manifest.json']!));
  });

  it('is the release the zip holds, valid against the official schemas as published and strict', () => {
    expect(Buffer.compare(Buffer.from(zip['08_Donnees_OCDS.json']!), Buffer.from(ocds))).toBe(0);
    expect(published(pkg) ? [] : errorLines(published.errors)).toEqual([]);
    expect(strict(pkg) ? [] : errorLines(strict.errors)).toEqual([]);
    const result = ReleasePackageSchema.safeParse(pkg);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('lists every piece of the zip but the release itself, typed, in French, with the hash of each piece that does not carry the release', () => {
    const listed = pkg.releases[0]!.tender.documents;
    const pieces = manifest.files.filter((f) => f.name !== '08_Donnees_OCDS.json');
    expect(listed.map((d) => [d.id, d.title, d.format])).toEqual(pieces.map((f) => [f.name, f.title, f.mediaType]));
    const lots = pkg.releases[0]!.tender.lots.length;
    for (const entry of listed) {
      expect(entry.language).toBe('fr');
      const type = /^02_AE/.test(entry.id) || /^03_CCAP\./.test(entry.id) ? 'contractDraft'
        : /RGPD/.test(entry.id) ? 'contractAnnexe'
        : /^05_CCTP/.test(entry.id) ? 'technicalSpecifications'
        : /^06_/.test(entry.id) ? 'billOfQuantity'
        : /^01_RC_extrait/.test(entry.id) ? 'evaluationCriteria'
        : 'biddingDocuments';
      expect(entry.documentType, entry.id).toBe(type);
      if (entry.format === 'application/pdf') expect(entry.url, entry.id).toBeUndefined();
      else {
        expect(entry.url, entry.id).toBe(niUri(zip[entry.id]!, entry.format));
        expect(entry.description, entry.id).toContain(manifest.files.find((f) => f.name === entry.id)!.sha256);
      }
      const lot = /^02_AE_lot(\d+)\./.exec(entry.id)?.[1];
      expect(entry.relatedLots, entry.id).toEqual(lot === undefined ? undefined : [`lot-${lot}`]);
    }
    expect(listed.filter((d) => d.id.startsWith('02_AE') && d.format === 'application/pdf')).toHaveLength(lots);
    expect(listed.some((d) => /manifest|\.zip$|note/i.test(d.id))).toBe(false);
  });
});

describe('OCDS identity', () => {
  it('takes the ocid and the release date from the stored tender, so a corrected request keeps its ocid', async () => {
    // Prepare
    const input = JSON.parse(readFileSync(new URL('../../examples/commune-rurale-classe-mobile.json', import.meta.url), 'utf8'));
    const corrected = { ...input, title: `${input.title} (corrigé)`, buyer: { ...input.buyer, name: `${input.buyer.name} ` } };

    // Act
    const before = buildOcdsRelease((await evaluateFrom(input, deps.catalogue)).tender, { publication: PUBLICATION, ocidPrefix: 'ocds-a1b2c3' });
    const after = buildOcdsRelease((await evaluateFrom(corrected, deps.catalogue)).tender, { publication: PUBLICATION, ocidPrefix: 'ocds-a1b2c3' });

    // Assess
    expect(before.releases[0]!.ocid).toBe(`ocds-a1b2c3-${PUBLICATION.tenderId}`);
    expect(after.releases[0]!.ocid).toBe(before.releases[0]!.ocid);
    expect(after.releases[0]!.tender.title).not.toBe(before.releases[0]!.tender.title);
    expect(before.releases[0]!.date).toBe(PUBLICATION.generatedAt);
    expect(before.publishedDate).toBe(PUBLICATION.generatedAt);
  });

  it('outside the tender store, builds the ocid on the buyer’s SIRET and file reference, so a corrected request keeps it; without a reference on a hash, flagged unstable', async () => {
    // Prepare
    const input = JSON.parse(readFileSync(new URL('../../examples/departement-colleges-trois-lots-v2.json', import.meta.url), 'utf8'));
    const corrected = { ...input, title: `${input.title} (corrigé)` };
    const unreferenced = { ...input };
    delete unreferenced.reference;

    // Act
    const ocid = async (request: unknown) => buildOcdsRelease((await evaluateFrom(request, deps.catalogue)).tender).releases[0]!.ocid;
    const [before, after, hashed, hashedCorrected] = await Promise.all([ocid(input), ocid(corrected), ocid(unreferenced), ocid({ ...unreferenced, title: corrected.title })]);

    // Assess
    expect(before).toBe(`ocds-cahier-${input.buyer.siret}-${input.reference}`);
    expect(after).toBe(before);
    expect(ocdsTenderId(input).stable).toBe(true);
    expect(hashed).toMatch(/^ocds-cahier-cahier-[0-9a-f]{16}$/);
    expect(hashedCorrected).not.toBe(hashed);
    expect(ocdsTenderId(unreferenced).stable).toBe(false);
    expect(ocdsTenderId({ reference: ' Marché n° 2026/ÉCO 01 ', buyer: { name: 'x' } } as never).tenderId).toBe('Marche-n-2026-ECO-01');
    expect(ocdsTenderId(input, PUBLICATION)).toEqual({ tenderId: PUBLICATION.tenderId, stable: true });
  });

  it('states the offer deadline, the contract period and the renewals when the request gives them', async () => {
    // Prepare
    const input = JSON.parse(readFileSync(new URL('../../examples/departement-colleges-trois-lots-v2.json', import.meta.url), 'utf8'));
    input.offerDeadline = '2026-11-06T12:00:00+01:00';
    input.contract.start = { date: '2027-01-01' };

    // Act
    const pkg = buildOcdsRelease((await evaluateFrom(input, deps.catalogue)).tender, { publication: PUBLICATION });

    // Assess
    const t = pkg.releases[0]!.tender;
    expect(t.tenderPeriod).toEqual({ startDate: PUBLICATION.generatedAt, endDate: '2026-11-06T12:00:00+01:00' });
    expect(t.contractPeriod?.startDate).toBe('2027-01-01T00:00:00Z');
    expect(t.contractPeriod?.endDate).toMatch(/^20\d\d-12-31T23:59:59Z$/);
    expect(t.hasRenewal).toBe(true);
    expect(t.renewal?.maximumRenewals).toBe(input.contract.renewals.count);
    expect(strict(pkg) ? [] : errorLines(strict.errors)).toEqual([]);
  });

  it('states the questions period, the cap on lots one supplier may win and where bids are submitted, as the RC does', async () => {
    // Prepare
    const input = JSON.parse(readFileSync(new URL('../../examples/ville-ecrans-interactifs.json', import.meta.url), 'utf8'));

    // Act
    const pkg = buildOcdsRelease((await evaluateFrom(input, deps.catalogue)).tender, { publication: PUBLICATION });

    // Assess
    const t = pkg.releases[0]!.tender as Record<string, any>;
    expect(t.enquiryPeriod).toEqual({ startDate: PUBLICATION.generatedAt, endDate: input.questionsDeadline });
    expect(t.tenderPeriod.endDate).toBe(input.offerDeadline);
    expect(t.lotDetails).toEqual({ maximumLotsAwardedPerSupplier: 1 });
    expect(t.submissionMethodDetails).toContain(input.buyerProfileUrl);
    expect(strict(pkg) ? [] : errorLines(strict.errors)).toEqual([]);
  });
});

describe('the OCDS schema', () => {
  let valid: OcdsReleasePackage;
  beforeAll(async () => {
    valid = buildOcdsRelease((await evaluateFrom(JSON.parse(readFileSync(new URL('../../examples/departement-accord-cadre.json', import.meta.url), 'utf8')), deps.catalogue)).tender);
  });
  const broken = (change: (pkg: OcdsReleasePackage) => void) => {
    const copy = structuredClone(valid);
    change(copy);
    return ReleasePackageSchema.safeParse(copy);
  };

  it('rejects an item whose related lot does not exist', () => {
    expect(broken((p) => (p.releases[0]!.tender.items[0]!.relatedLot = 'lot-99')).success).toBe(false);
  });

  it('rejects award weights that do not total 100', () => {
    expect(broken((p) => (p.releases[0]!.tender.lots[0]!.awardCriteria!.criteria[0]!.numbers![0]!.number += 1)).success).toBe(false);
  });

  it('rejects a numeric bound on a string requirement and duplicate requirement ids', () => {
    expect(broken((p) => Object.assign(p.releases[0]!.tender.criteria[0]!.requirementGroups[0]!.requirements[0]!, { dataType: 'string', minValue: 3 })).success).toBe(false);
    expect(
      broken((p) => {
        const criteria = p.releases[0]!.tender.criteria;
        criteria[1]!.requirementGroups[0]!.requirements[0]!.id = criteria[0]!.requirementGroups[0]!.requirements[0]!.id;
      }).success,
    ).toBe(false);
  });
});
