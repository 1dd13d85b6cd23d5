import { describe, expect, it } from 'vitest';
import { FINDING_CODES, FindingSchema, RETIRED_FINDING_CODES, type FindingCode } from '#src/core/model/findings.ts';
import { evaluateConformity } from '#src/core/rules/conformity.ts';
import { evaluateRules } from '#src/core/rules/evaluate.ts';
import { lintTender } from '#src/core/rules/legal-lint.ts';
import { sortFindings } from '#src/core/rules/order.ts';
import { makeTender, singleLot, withCustomRequirement, withLot, withOverride, type RequestPatch } from '../support/fixtures.ts';

/** Scenarios that, together, raise every finding code at least once. */
const SCENARIOS: RequestPatch[][] = [
  [
    { procedure: 'open', awardCriteria: [], variants: { allowed: true }, context: 'Tablettes iPad.' },
    { contract: { form: 'framework-agreement', durationMonths: 60 } },
    withOverride(0, { criterionId: 'tablet.storage.user', excluded: true }),
    withOverride(0, { criterionId: 'tablet.wifi.standard', level: 'assessed' }),
    withOverride(0, { criterionId: 'tablet.mdm.enrolment', metric: { type: 'boolean', expected: false } }),
    withOverride(0, { criterionId: 'environment.repairability-index', excluded: true }),
    withOverride(0, { criterionId: 'device.accessibility', excluded: true }),
    withOverride(1, { criterionId: 'device.accessibility', excluded: true }),
    withLot(0, (l) => { l.estimatedUnitPrices = {}; }),
  ],
  [
    { procedure: 'negotiated-without-notice' },
    (d) => { d.awardCriteria![0]!.weight = 10; d.awardCriteria![1]!.subCriteria = [{ name: 'Équipements', weight: 1 }]; },
  ],
  [{ procedure: 'adapted' }, singleLot(), withLot(0, (l) => { l.items = [{ itemId: 'training-teachers', quantity: 1 }]; l.offer = { offerId: 'classe-mobile-16', count: 1 }; l.estimatedUnitPrices = { 'tablet-10': 10, 'charging-cart-16': 10, installation: 10, 'training-teachers': 10 }; })],
  [(d) => { d.lots = [{ title: 'Formation', items: [{ itemId: 'training-teachers', quantity: 1 }], estimatedUnitPrices: { 'training-teachers': 216_000 } }]; }],
  [{ buyer: { name: 'Centrale', type: 'central-purchasing-body' }, procedure: 'open', consultationDate: '2028-03-01', justifications: { ACCESSIBILITY_MISSING: 'Aucun équipement utilisé par les élèves dans ce lot de pure fourniture.' } },
    (d) => { d.lots.push({ title: 'Ordinateurs', items: [{ itemId: 'laptop-pupil', quantity: 500 }], estimatedUnitPrices: { 'laptop-pupil': 600 } }); }],
  [{ procedure: 'open', consultationDate: '2026-09-15' }, withOverride(0, { criterionId: 'environment.take-back', excluded: true }), (d) => { d.lots[1]!.estimatedUnitPrices!['laptop-pupil'] = 6000; }],
  [{ buyer: { name: 'Centrale', type: 'central-purchasing-body' } }, (d) => { d.lots[1]!.estimatedUnitPrices!['laptop-pupil'] = 4000; }],
  [{ contract: { form: 'framework-agreement', durationMonths: 12 } }, withLot(0, (l) => { l.maximumAmount = 1_000; }), withLot(1, (l) => { l.maximumAmount = 1_000_000; })],
];

describe('evaluateRules', () => {
  it('passes the baseline with only its publicity tier', () => {
    const outcome = evaluateRules(makeTender());
    expect(outcome.findings.map((f) => f.code)).toEqual(['PROCEDURE_TIER']);
    expect(outcome.blocking).toBe(false);
    expect(outcome.conformity.conforming).toBe(true);
    // the fixture framework names no programme: every one is judged on 15 September 2026 for a département's collèges
    expect(outcome.funding.programmes.map((p) => [p.id, p.status])).toEqual([
      ['plan-numerique-colleges-2016', 'closed'],
      ['snee-2021', 'closed'],
      ['tne', 'open-unconfirmed'],
    ]);
    expect(outcome.funding.estimates.map((e) => [e.programme, e.total])).toEqual([['tne', 24_800]]);
    expect(outcome.versions.date).toBe('2026-09-15');
    expect(outcome.versions.records.map((r) => r.id)).toContain('no-publicity.supplies-services');
  });

  it('combines conformity and legal findings in one sorted list', () => {
    const tender = makeTender(...(SCENARIOS[0] ?? []));
    const outcome = evaluateRules(tender);
    expect(outcome.findings).toEqual(sortFindings([...evaluateConformity(tender).findings, ...lintTender(tender)]));
    expect(outcome.findings.length).toBe(evaluateConformity(tender).findings.length + lintTender(tender).length);
    expect(outcome.conformity).toEqual(evaluateConformity(tender));
    const ranks = outcome.findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('blocks on an error but not on conformity warnings alone', () => {
    expect(evaluateRules(makeTender({ variants: { allowed: true } })).blocking).toBe(true);
    const forgoSubsidy = evaluateRules(makeTender(withOverride(0, { criterionId: 'tablet.storage.user', excluded: true })));
    expect(forgoSubsidy.findings.map((f) => f.severity)).toEqual(['warning', 'info']);
    expect(forgoSubsidy.blocking).toBe(false);
    expect(forgoSubsidy.conformity.conforming).toBe(false);
  });

  it('raises every finding code of the closed list in some scenario, each finding well formed', () => {
    const seen = new Set<FindingCode>();
    for (const patches of SCENARIOS) {
      for (const finding of evaluateRules(makeTender(...patches)).findings) {
        expect(FindingSchema.parse(finding)).toEqual(finding);
        seen.add(finding.code);
      }
    }
    // the brand check also needs a buyer requirement
    for (const f of evaluateRules(makeTender(withCustomRequirement(0, { label: 'Stylet', requirement: 'Apple Pencil.', level: 'minimum' }))).findings) {
      seen.add(f.code);
    }
    const retired = new Set<string>(RETIRED_FINDING_CODES);
    expect([...seen].sort()).toEqual(FINDING_CODES.filter((c) => !retired.has(c)).sort());
  });

  it('turns a justified error into a warning quoting the reasons, keeps unjustifiable ones, and reports unused justifications', () => {
    const reasons = 'Urgence impérieuse : remplacement du parc détruit par l’incendie du 3 mai, dossier de sinistre joint.';
    const blocked = evaluateRules(makeTender({ procedure: 'negotiated-without-notice' }));
    expect(blocked.blocking).toBe(true);
    const justified = evaluateRules(makeTender({ procedure: 'negotiated-without-notice', justifications: { PROCEDURE_ADVERTISING_REQUIRED: reasons, FRAMEWORK_AGREEMENT_TOO_LONG: reasons } }));
    const finding = justified.findings.find((f) => f.code === 'PROCEDURE_ADVERTISING_REQUIRED');
    expect(finding).toMatchObject({ severity: 'warning', justification: reasons });
    expect(finding?.message).toContain(`« ${reasons} »`);
    expect(justified.blocking).toBe(false);
    expect(justified.findings.find((f) => f.code === 'JUSTIFICATION_UNUSED')).toMatchObject({ path: 'justifications.FRAMEWORK_AGREEMENT_TOO_LONG' });
  });

  it('blocks a 50 000 € HT purchase without publicity launched on 2 March 2026 and lets it through, with an info, on 4 May 2026', () => {
    const fifty: RequestPatch = (d) => {
      d.procedure = 'negotiated-without-notice';
      d.lots = [{ title: 'Ordinateurs', items: [{ itemId: 'laptop-pupil', quantity: 100 }], estimatedUnitPrices: { 'laptop-pupil': 500 } }];
    };
    const march = evaluateRules(makeTender(fifty, { consultationDate: '2026-03-02' }));
    expect(march.blocking).toBe(true);
    expect(march.findings.find((f) => f.code === 'PROCEDURE_ADVERTISING_REQUIRED')?.comparison).toBe('estimation 50\u202f000\u00a0€ HT, seuil 40\u202f000\u00a0€ HT en vigueur au 2 mars 2026');
    const may = evaluateRules(makeTender(fifty, { consultationDate: '2026-05-04' }));
    expect(may.blocking).toBe(false);
    expect(may.findings.find((f) => f.code === 'PROCEDURE_TIER')).toMatchObject({ severity: 'info', ruleId: 'no-publicity.supplies-services' });
  });

  it('is deterministic', () => {
    for (const patches of SCENARIOS) {
      expect(evaluateRules(makeTender(...patches))).toEqual(evaluateRules(makeTender(...patches)));
    }
  });
});
