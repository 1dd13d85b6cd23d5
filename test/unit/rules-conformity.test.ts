import { describe, expect, it } from 'vitest';
import type { Finding } from '#src/core/model/findings.ts';
import { evaluateConformity } from '#src/core/rules/conformity.ts';
import {
  makeFramework,
  makeTender,
  makeTenderWith,
  singleLot,
  withLot,
  withOverride,
  type RequestPatch,
} from '../support/fixtures.ts';

const conformityOf = (...patches: RequestPatch[]) => evaluateConformity(makeTender(...patches));
const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe('evaluateConformity', () => {
  describe('baseline', () => {
    const report = conformityOf();

    it('finds the baseline eligible with no finding', () => {
      expect(report.conforming).toBe(true);
      expect(report.findings).toEqual([]);
      expect(Object.keys(report).sort()).toEqual(['conforming', 'findings', 'framework', 'reasons']);
    });

    it('lists only the minimum criteria of the required authorities, lot by lot, in framework order', () => {
      expect(report.reasons.map((r) => [r.lot, r.criterionId, r.status])).toEqual([
        [1, 'tablet.storage.user', 'kept'],
        [1, 'tablet.mdm.enrolment', 'kept'],
        [1, 'tablet.private-space', 'kept'],
        [1, 'tablet.wifi.standard', 'kept'],
        [2, 'training.hours', 'kept'],
      ]);
      // assessed ministry criterion, market practice, law and academic guidance are not listed
      const ids = report.reasons.map((r) => r.criterionId);
      for (const id of ['tablet.keyboard', 'tablet.screen.diagonal', 'device.accessibility', 'laptop.ram']) {
        expect(ids).not.toContain(id);
      }
    });

    it('explains a kept criterion in French with its threshold and authority', () => {
      expect(report.reasons[0]).toEqual({
        lot: 1,
        criterionId: 'tablet.storage.user',
        label: 'Stockage utilisateur',
        status: 'kept',
        message: 'Exigence minimale conservée : ≥\u00a032\u00a0Go (CARMO 3.0.1)',
      });
    });
  });

  describe('thresholds and levels', () => {
    it('keeps conformity when a threshold is tightened', () => {
      const report = conformityOf(
        withOverride(0, { criterionId: 'tablet.storage.user', metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 64 } }),
        withOverride(0, {
          criterionId: 'tablet.wifi.standard',
          metric: { type: 'enum', options: ['802.11n', '802.11ac', '802.11ax'], comparator: 'gte', value: '802.11ax' },
        }),
      );
      expect(report.conforming).toBe(true);
      expect(report.findings).toEqual([]);
      const storage = report.reasons.find((r) => r.criterionId === 'tablet.storage.user');
      expect(storage).toMatchObject({ status: 'tightened', message: 'Seuil renforcé : ≥\u00a064\u00a0Go au lieu de ≥\u00a032\u00a0Go (CARMO 3.0.1)' });
      expect(report.reasons.find((r) => r.criterionId === 'tablet.wifi.standard')?.status).toBe('tightened');
    });

    it('loses conformity when a threshold is loosened, with the reason and a warning', () => {
      const report = conformityOf(
        withOverride(0, {
          criterionId: 'tablet.storage.user',
          metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 16 },
          justification: 'Usage limité à la lecture.',
        }),
      );
      expect(report.conforming).toBe(false);
      expect(report.reasons.find((r) => r.criterionId === 'tablet.storage.user')).toEqual({
        lot: 1,
        criterionId: 'tablet.storage.user',
        label: 'Stockage utilisateur',
        status: 'loosened',
        message: 'Seuil assoupli : ≥\u00a016\u00a0Go au lieu de ≥\u00a032\u00a0Go (CARMO 3.0.1)',
      });
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({
        code: 'ELIGIBILITY_CRITERION_LOOSENED',
        severity: 'warning',
        reference: 'CARMO 3.0.1',
        path: 'lots.0.overrides.0',
        lot: 1,
        criterionId: 'tablet.storage.user',
      });
      expect(report.findings[0]?.message).toContain('≥\u00a016\u00a0Go au lieu de ≥\u00a032\u00a0Go');
      expect(report.findings[0]?.message).toContain('n’est plus conforme au référentiel');
      expect(report.findings[0]?.message).not.toMatch(/subvention|éligib/);
    });

    it('loses conformity when a criterion is excluded', () => {
      const report = conformityOf(
        withOverride(0, { criterionId: 'tablet.mdm.enrolment', excluded: true, justification: 'Flotte gérée autrement.' }),
      );
      expect(report.conforming).toBe(false);
      const reason = report.reasons.find((r) => r.criterionId === 'tablet.mdm.enrolment');
      expect(reason?.status).toBe('excluded');
      expect(reason?.message).toBe('Critère exclu du lot (CARMO 3.0.1) ; motif : « Flotte gérée autrement. »');
      expect(report.findings).toEqual([
        expect.objectContaining({
          code: 'ELIGIBILITY_CRITERION_EXCLUDED',
          severity: 'warning',
          reference: 'CARMO 3.0.1',
          path: 'lots.0.overrides.0',
          lot: 1,
          criterionId: 'tablet.mdm.enrolment',
        }),
      ]);
    });

    it('loses conformity when a minimum criterion is downgraded to assessed', () => {
      const report = conformityOf(withOverride(0, { criterionId: 'tablet.private-space', level: 'assessed' }));
      expect(report.conforming).toBe(false);
      const reason = report.reasons.find((r) => r.criterionId === 'tablet.private-space');
      expect(reason?.status).toBe('downgraded');
      expect(reason?.message).toContain("n'est plus éliminatoire");
      expect(report.findings).toEqual([
        expect.objectContaining({ code: 'ELIGIBILITY_LEVEL_DOWNGRADED', severity: 'warning', path: 'lots.0.overrides.0', lot: 1 }),
      ]);
    });

    it('raises both losses when a criterion is loosened and downgraded', () => {
      const report = conformityOf(
        withOverride(0, {
          criterionId: 'tablet.storage.user',
          level: 'assessed',
          metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 16 },
        }),
      );
      expect(report.reasons.find((r) => r.criterionId === 'tablet.storage.user')?.status).toBe('downgraded');
      expect(codes(report.findings)).toEqual(['ELIGIBILITY_CRITERION_LOOSENED', 'ELIGIBILITY_LEVEL_DOWNGRADED']);
    });

    it('counts a funding-programme criterion of a service lot', () => {
      const report = conformityOf(
        withOverride(1, { criterionId: 'training.hours', metric: { type: 'numeric', unit: 'h', comparator: 'gte', value: 3 } }),
      );
      expect(report.conforming).toBe(false);
      expect(report.findings).toEqual([
        expect.objectContaining({ code: 'ELIGIBILITY_CRITERION_LOOSENED', lot: 2, path: 'lots.1.overrides.0', reference: 'Socle numérique, annexe technique' }),
      ]);
    });

    it.each<[string, RequestPatch]>([
      ['loosening a market-practice criterion', withOverride(0, { criterionId: 'tablet.screen.diagonal', metric: { type: 'numeric', unit: 'pouces', comparator: 'gte', value: 8 } })],
      ['excluding an assessed ministry criterion', withOverride(0, { criterionId: 'tablet.keyboard', excluded: true })],
      ['downgrading an academic-guidance criterion', withOverride(1, { criterionId: 'laptop.ram', level: 'assessed' })],
      ['excluding a law criterion (the legal lint deals with it)', withOverride(0, { criterionId: 'device.accessibility', excluded: true })],
    ])('keeps conformity when %s', (_, patch) => {
      const report = conformityOf(patch);
      expect(report.conforming).toBe(true);
      expect(report.findings).toEqual([]);
    });

    it('takes the required authorities from the funding rule', () => {
      const framework = makeFramework();
      const onlyProgramme = makeFramework({ fundingRule: { ...framework.fundingRule, requiredAuthorities: ['funding-programme'] } });
      const report = evaluateConformity(
        makeTenderWith(onlyProgramme, withOverride(0, { criterionId: 'tablet.storage.user', excluded: true })),
      );
      expect(report.conforming).toBe(true);
      expect(report.reasons.map((r) => r.criterionId)).toEqual(['tablet.wifi.standard', 'training.hours']);
    });
  });

  describe('finding codes', () => {
    it.each<[string, RequestPatch[], Finding['severity']]>([
      ['ELIGIBILITY_CRITERION_EXCLUDED', [withOverride(0, { criterionId: 'tablet.storage.user', excluded: true })], 'warning'],
      ['ELIGIBILITY_CRITERION_LOOSENED', [withOverride(0, { criterionId: 'tablet.mdm.enrolment', metric: { type: 'boolean', expected: false } })], 'warning'],
      ['ELIGIBILITY_LEVEL_DOWNGRADED', [withOverride(0, { criterionId: 'tablet.wifi.standard', level: 'assessed' })], 'warning'],
    ])('raises %s', (code, patches, severity) => {
      const found = conformityOf(...patches).findings.filter((f) => f.code === code);
      expect(found).toHaveLength(1);
      expect(found[0]?.severity).toBe(severity);
      expect(found[0]?.message.length).toBeGreaterThan(20);
      expect(found[0]?.reference).toBeTruthy();
    });

    it.each<[string, RequestPatch[]]>([
      ['ELIGIBILITY_CRITERION_EXCLUDED', [withOverride(0, { criterionId: 'tablet.keyboard', excluded: true })]],
      ['ELIGIBILITY_CRITERION_LOOSENED', [withOverride(0, { criterionId: 'tablet.storage.user', metric: { type: 'numeric', unit: 'Go', comparator: 'eq', value: 32 } })]],
      ['ELIGIBILITY_LEVEL_DOWNGRADED', [withOverride(0, { criterionId: 'tablet.screen.diagonal', level: 'assessed' })]],
    ])('does not raise %s on a near miss', (code, patches) => {
      expect(codes(conformityOf(...patches).findings)).not.toContain(code);
    });
  });

  it('is deterministic and independent of the item order in a lot', () => {
    const reversed = withLot(1, (lot) => {
      lot.items = [...(lot.items ?? [])].reverse();
    });
    const loosen = withOverride(1, { criterionId: 'training.hours', excluded: true });
    const a = conformityOf(loosen);
    const b = conformityOf(loosen);
    const c = conformityOf(reversed, loosen);
    expect(b).toEqual(a);
    expect(c.reasons).toEqual(a.reasons);
    expect(c.findings).toEqual(a.findings);
  });
});
