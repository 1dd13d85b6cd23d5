import { describe, expect, it } from 'vitest';
import type { Finding } from '#src/core/model/findings.ts';
import { evaluateEligibility } from '#src/core/rules/eligibility.ts';
import {
  makeFramework,
  makeTender,
  makeTenderWith,
  singleLot,
  withLot,
  withOverride,
  type RequestPatch,
} from '../support/fixtures.ts';

const eligibilityOf = (...patches: RequestPatch[]) => evaluateEligibility(makeTender(...patches));
const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe('evaluateEligibility', () => {
  describe('baseline', () => {
    const report = eligibilityOf();

    it('finds the baseline eligible with no finding', () => {
      expect(report.eligible).toBe(true);
      expect(report.findings).toEqual([]);
      expect(report.programme).toBe('Socle numérique dans les écoles');
      expect(report.rate).toBe(0.5);
      expect(report.capPerDevice).toBe(190);
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
        message: 'Exigence minimale conservée : ≥ 32 Go (CARMO 3.0.1)',
      });
    });
  });

  describe('thresholds and levels', () => {
    it('keeps eligibility when a threshold is tightened', () => {
      const report = eligibilityOf(
        withOverride(0, { criterionId: 'tablet.storage.user', metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 64 } }),
        withOverride(0, {
          criterionId: 'tablet.wifi.standard',
          metric: { type: 'enum', options: ['802.11n', '802.11ac', '802.11ax'], comparator: 'gte', value: '802.11ax' },
        }),
      );
      expect(report.eligible).toBe(true);
      expect(report.findings).toEqual([]);
      const storage = report.reasons.find((r) => r.criterionId === 'tablet.storage.user');
      expect(storage).toMatchObject({ status: 'tightened', message: 'Seuil renforcé : ≥ 64 Go au lieu de ≥ 32 Go (CARMO 3.0.1)' });
      expect(report.reasons.find((r) => r.criterionId === 'tablet.wifi.standard')?.status).toBe('tightened');
      expect(report.totalSubsidy).toBe(17_860);
    });

    it('loses eligibility when a threshold is loosened, with the reason and a warning', () => {
      const report = eligibilityOf(
        withOverride(0, {
          criterionId: 'tablet.storage.user',
          metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 16 },
          justification: 'Usage limité à la lecture.',
        }),
      );
      expect(report.eligible).toBe(false);
      expect(report.reasons.find((r) => r.criterionId === 'tablet.storage.user')).toEqual({
        lot: 1,
        criterionId: 'tablet.storage.user',
        label: 'Stockage utilisateur',
        status: 'loosened',
        message: 'Seuil assoupli : ≥ 16 Go au lieu de ≥ 32 Go (CARMO 3.0.1)',
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
      expect(report.findings[0]?.message).toContain('≥ 16 Go au lieu de ≥ 32 Go');
      expect(report.findings[0]?.message).toContain('Socle numérique dans les écoles');
    });

    it('loses eligibility when a criterion is excluded', () => {
      const report = eligibilityOf(
        withOverride(0, { criterionId: 'tablet.mdm.enrolment', excluded: true, justification: 'Flotte gérée autrement.' }),
      );
      expect(report.eligible).toBe(false);
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

    it('loses eligibility when a minimum criterion is downgraded to assessed', () => {
      const report = eligibilityOf(withOverride(0, { criterionId: 'tablet.private-space', level: 'assessed' }));
      expect(report.eligible).toBe(false);
      const reason = report.reasons.find((r) => r.criterionId === 'tablet.private-space');
      expect(reason?.status).toBe('downgraded');
      expect(reason?.message).toContain("n'est plus éliminatoire");
      expect(report.findings).toEqual([
        expect.objectContaining({ code: 'ELIGIBILITY_LEVEL_DOWNGRADED', severity: 'warning', path: 'lots.0.overrides.0', lot: 1 }),
      ]);
    });

    it('raises both losses when a criterion is loosened and downgraded', () => {
      const report = eligibilityOf(
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
      const report = eligibilityOf(
        withOverride(1, { criterionId: 'training.hours', metric: { type: 'numeric', unit: 'h', comparator: 'gte', value: 3 } }),
      );
      expect(report.eligible).toBe(false);
      expect(report.findings).toEqual([
        expect.objectContaining({ code: 'ELIGIBILITY_CRITERION_LOOSENED', lot: 2, path: 'lots.1.overrides.0', reference: 'Socle numérique, annexe technique' }),
      ]);
    });

    it.each<[string, RequestPatch]>([
      ['loosening a market-practice criterion', withOverride(0, { criterionId: 'tablet.screen.diagonal', metric: { type: 'numeric', unit: 'pouces', comparator: 'gte', value: 8 } })],
      ['excluding an assessed ministry criterion', withOverride(0, { criterionId: 'tablet.keyboard', excluded: true })],
      ['downgrading an academic-guidance criterion', withOverride(1, { criterionId: 'laptop.ram', level: 'assessed' })],
      ['excluding a law criterion (the legal lint deals with it)', withOverride(0, { criterionId: 'device.accessibility', excluded: true })],
    ])('keeps eligibility when %s', (_, patch) => {
      const report = eligibilityOf(patch);
      expect(report.eligible).toBe(true);
      expect(report.findings).toEqual([]);
    });

    it('takes the required authorities from the funding rule', () => {
      const framework = makeFramework();
      const onlyProgramme = makeFramework({ fundingRule: { ...framework.fundingRule, requiredAuthorities: ['funding-programme'] } });
      const report = evaluateEligibility(
        makeTenderWith(onlyProgramme, withOverride(0, { criterionId: 'tablet.storage.user', excluded: true })),
      );
      expect(report.eligible).toBe(true);
      expect(report.reasons.map((r) => r.criterionId)).toEqual(['tablet.wifi.standard', 'training.hours']);
    });
  });

  describe('subsidy', () => {
    const tabletPrice = (price: number): RequestPatch =>
      withLot(0, (lot) => {
        lot.estimatedUnitPrices = { ...lot.estimatedUnitPrices, 'tablet-10': price };
      });

    it('applies the cap when 50 % of the price exceeds 190 €', () => {
      const report = eligibilityOf(tabletPrice(400));
      expect(report.lots[0]).toEqual({ lot: 1, devices: 64, eligibleCost: 25_600, subsidy: 64 * 190, priced: true });
    });

    it('uses 50 % of the price below the cap', () => {
      const report = eligibilityOf(tabletPrice(300));
      expect(report.lots[0]).toEqual({ lot: 1, devices: 64, eligibleCost: 19_200, subsidy: 64 * 150, priced: true });
    });

    it('reaches the cap exactly at 380 €', () => {
      expect(eligibilityOf(tabletPrice(380)).lots[0]?.subsidy).toBe(64 * 190);
      expect(eligibilityOf(tabletPrice(379.98)).lots[0]?.subsidy).toBe(64 * 189.99);
    });

    it('rounds the subsidy per device to the cent, half up', () => {
      // 50 % of 333.33 € = 166.665 € → 166.67 € per device
      const report = eligibilityOf(tabletPrice(333.33));
      expect(report.lots[0]?.subsidy).toBe(10_666.88);
      expect(report.lots[0]?.eligibleCost).toBe(21_333.12);
    });

    it('adds up several lots and counts only eligible items', () => {
      const report = eligibilityOf();
      expect(report.lots).toEqual([
        { lot: 1, devices: 64, eligibleCost: 25_600, subsidy: 12_160, priced: true },
        { lot: 2, devices: 30, eligibleCost: 18_000, subsidy: 5_700, priced: true },
      ]);
      expect(report.totalSubsidy).toBe(17_860);
    });

    it('counts nothing for a line without an estimated price and notes it', () => {
      const report = eligibilityOf(
        withLot(0, (lot) => {
          lot.estimatedUnitPrices = { 'charging-cart-16': 1500, installation: 500 };
        }),
      );
      expect(report.lots[0]).toEqual({ lot: 1, devices: 64, eligibleCost: 0, subsidy: 0, priced: false });
      expect(report.totalSubsidy).toBe(5_700);
      expect(report.eligible).toBe(true);
      expect(report.findings).toEqual([
        expect.objectContaining({ code: 'ELIGIBILITY_PRICE_MISSING', severity: 'info', lot: 1, path: 'lots.0.estimatedUnitPrices.tablet-10' }),
      ]);
    });

    it('gives 0 to a lot without an eligible device', () => {
      const report = eligibilityOf(
        (draft) => {
          draft.lots.push({ title: 'Chariots supplémentaires', items: [{ itemId: 'charging-cart-16', quantity: 2 }], estimatedUnitPrices: { 'charging-cart-16': 1500 } });
        },
      );
      expect(report.lots[2]).toEqual({ lot: 3, devices: 0, eligibleCost: 0, subsidy: 0, priced: true });
      expect(codes(report.findings)).not.toContain('ELIGIBILITY_NO_DEVICE');
    });

    it('computes the figures but grants nothing when the purchase is not eligible', () => {
      const report = eligibilityOf(withOverride(0, { criterionId: 'tablet.storage.user', excluded: true }));
      expect(report.eligible).toBe(false);
      expect(report.lots.map((l) => l.subsidy)).toEqual([12_160, 5_700]);
      expect(report.totalSubsidy).toBe(0);
    });

    it('applies the rate and cap of the funding rule', () => {
      const framework = makeFramework();
      const seventy = makeFramework({ fundingRule: { ...framework.fundingRule, rate: 0.7, capPerDevice: 250 } });
      const report = evaluateEligibility(makeTenderWith(seventy));
      // tablets: min(0.7 × 400, 250) = 250; laptops: min(0.7 × 600, 250) = 250
      expect(report.lots.map((l) => l.subsidy)).toEqual([64 * 250, 30 * 250]);
      expect(report.totalSubsidy).toBe(94 * 250);
    });
  });

  describe('finding codes', () => {
    it.each<[string, RequestPatch[], Finding['severity']]>([
      ['ELIGIBILITY_CRITERION_EXCLUDED', [withOverride(0, { criterionId: 'tablet.storage.user', excluded: true })], 'warning'],
      ['ELIGIBILITY_CRITERION_LOOSENED', [withOverride(0, { criterionId: 'tablet.mdm.enrolment', metric: { type: 'boolean', expected: false } })], 'warning'],
      ['ELIGIBILITY_LEVEL_DOWNGRADED', [withOverride(0, { criterionId: 'tablet.wifi.standard', level: 'assessed' })], 'warning'],
      ['ELIGIBILITY_NO_DEVICE', [(d) => void d.lots.splice(0, 1), withLot(0, (l) => { l.items = [{ itemId: 'training-teachers', quantity: 2 }]; l.estimatedUnitPrices = { 'training-teachers': 900 }; })], 'info'],
      ['ELIGIBILITY_PRICE_MISSING', [withLot(1, (l) => { l.estimatedUnitPrices = { 'training-teachers': 900 }; })], 'info'],
    ])('raises %s', (code, patches, severity) => {
      const found = eligibilityOf(...patches).findings.filter((f) => f.code === code);
      expect(found).toHaveLength(1);
      expect(found[0]?.severity).toBe(severity);
      expect(found[0]?.message.length).toBeGreaterThan(20);
      expect(found[0]?.reference).toBeTruthy();
    });

    it.each<[string, RequestPatch[]]>([
      ['ELIGIBILITY_CRITERION_EXCLUDED', [withOverride(0, { criterionId: 'tablet.keyboard', excluded: true })]],
      ['ELIGIBILITY_CRITERION_LOOSENED', [withOverride(0, { criterionId: 'tablet.storage.user', metric: { type: 'numeric', unit: 'Go', comparator: 'eq', value: 32 } })]],
      ['ELIGIBILITY_LEVEL_DOWNGRADED', [withOverride(0, { criterionId: 'tablet.screen.diagonal', level: 'assessed' })]],
      ['ELIGIBILITY_NO_DEVICE', [singleLot()]],
      ['ELIGIBILITY_PRICE_MISSING', [withLot(0, (l) => { l.estimatedUnitPrices = { 'tablet-10': 400 }; })]],
    ])('does not raise %s on a near miss', (code, patches) => {
      expect(codes(eligibilityOf(...patches).findings)).not.toContain(code);
    });
  });

  it('is deterministic and independent of the item order in a lot', () => {
    const reversed = withLot(1, (lot) => {
      lot.items = [...(lot.items ?? [])].reverse();
    });
    const loosen = withOverride(1, { criterionId: 'training.hours', excluded: true });
    const a = eligibilityOf(loosen);
    const b = eligibilityOf(loosen);
    const c = eligibilityOf(reversed, loosen);
    expect(b).toEqual(a);
    expect(c.reasons).toEqual(a.reasons);
    expect(c.findings).toEqual(a.findings);
  });
});
