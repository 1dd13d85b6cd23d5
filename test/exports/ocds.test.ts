import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { buildOcdsRelease, renderOcdsJson, requirementValue } from '#src/adapters/render/ocds/ocds.ts';
import { ReleasePackageSchema, type OcdsReleasePackage } from '#src/adapters/render/ocds/ocds-schema.ts';
import { EXAMPLE_NAMES, evaluatedExample } from './support/models.ts';

describe.each(EXAMPLE_NAMES)('OCDS export of examples/%s', (name) => {
  let tender: ResolvedTender;
  let json: Uint8Array;
  let pkg: OcdsReleasePackage;

  beforeAll(async () => {
    ({ tender } = await evaluatedExample(name));
    json = renderOcdsJson(tender);
    pkg = JSON.parse(new TextDecoder().decode(json));
  });

  it('validates against the release package schema', () => {
    const result = ReleasePackageSchema.safeParse(pkg);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('identifies the tender by a hash of the request and maps procedure and category', () => {
    const release = pkg.releases[0]!;
    expect(release.tender.id).toMatch(/^cahier-[0-9a-f]{16}$/);
    expect(release.ocid).toBe(`ocds-cahier-${release.tender.id.slice('cahier-'.length)}`);
    expect(release.cahier.requestHash.startsWith(release.tender.id.slice('cahier-'.length))).toBe(true);
    expect(release.tender.title).toBe(tender.request.title);
    expect(release.date).toBe(`${tender.request.consultationDate}T00:00:00Z`);
    expect(release.tender.procurementMethod).toBe({ adapted: 'open', open: 'open', restricted: 'selective', 'negotiated-without-notice': 'limited' }[tender.request.procedure]);
    expect(release.tender.mainProcurementCategory).toBe('goods');
    expect(release.tender.techniques?.hasFrameworkAgreement).toBe(tender.request.contract.form === 'framework-agreement');
    if (tender.request.contract.form === 'framework-agreement' && tender.request.contract.maximumAmount !== undefined) {
      expect(release.tender.value).toEqual({ amount: tender.request.contract.maximumAmount, currency: 'EUR' });
    }
  });

  it('lists lots and items with CPV classification, quantity, unit and related lot', () => {
    const { lots, items } = pkg.releases[0]!.tender;
    expect(lots.map((l) => ({ id: l.id, title: l.title }))).toEqual(tender.lots.map((l) => ({ id: `lot-${l.number}`, title: l.title })));
    const expected = tender.lots.flatMap((lot) =>
      lot.lines.map((line) => ({
        id: `lot-${lot.number}/${line.item.id}`,
        description: line.item.label,
        classification: { scheme: 'CPV', id: line.item.cpv.slice(0, 8) },
        quantity: line.quantity,
        unit: { name: line.item.unit },
        relatedLot: `lot-${lot.number}`,
      })),
    );
    expect(items).toEqual(expected);
  });

  it('publishes one criterion per requirement and lot, in the requirements extension shape', () => {
    const { criteria } = pkg.releases[0]!.tender;
    const expected = tender.lots.flatMap((lot) => lot.requirements.map((r) => ({ lot: `lot-${lot.number}`, r })));
    expect(criteria).toHaveLength(expected.length);
    criteria.forEach((criterion, i) => {
      const { lot, r } = expected[i]!;
      expect(criterion).toMatchObject({ id: `${lot}/${r.id}`, title: r.label, description: r.requirement, relatesTo: 'lot', relatedItem: lot, source: 'tenderer' });
      expect(criterion.requirementGroups).toHaveLength(1);
      expect(criterion.requirementGroups[0]!.requirements).toEqual([
        { id: `${lot}/${r.id}/r1`, title: r.label, description: expect.any(String), ...requirementValue(r.metric) },
      ]);
    });
    const numeric = criteria.flatMap((c) => c.requirementGroups[0]!.requirements).filter((q) => q.dataType === 'number');
    expect(numeric.length).toBeGreaterThan(0);
    expect(numeric.every((q) => q.unit !== undefined && (q.minValue !== undefined || q.maxValue !== undefined || q.expectedValue !== undefined))).toBe(true);
  });

  it('gives every lot the award criteria with exact percentage weights, and keeps versions in the cahier block', () => {
    const release = pkg.releases[0]!;
    for (const lot of release.tender.lots) {
      expect(lot.awardCriteria!.criteria).toEqual(
        tender.request.awardCriteria.map((c) => ({
          type: c.type,
          name: c.name,
          description: expect.any(String),
          numbers: [{ number: c.weight, weight: 'percentageExact' }],
        })),
      );
    }
    expect(release.cahier.framework).toMatchObject({ id: tender.framework.id, version: tender.framework.version });
    const versions = tender.lots.flatMap((l) => l.requirements.flatMap((r) => (r.criterion ? [{ id: r.criterion.id, version: r.criterion.version }] : [])));
    expect(release.cahier.requirements.flatMap((r) => (r.criterion ? [r.criterion] : []))).toEqual(versions);
    expect(release.cahier.requirements.map((r) => r.reference)).toEqual(tender.lots.flatMap((l) => l.requirements.map((r) => r.reference)));
  });

  it('is the same JSON on a second run', () => {
    expect(Buffer.compare(Buffer.from(renderOcdsJson(tender)), Buffer.from(json))).toBe(0);
  });
});

describe('the OCDS schema', () => {
  let valid: OcdsReleasePackage;
  beforeAll(async () => {
    valid = buildOcdsRelease((await evaluatedExample('departement')).tender);
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
