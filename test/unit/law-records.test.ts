import { describe, expect, it } from 'vitest';
import { checkLawRecords } from '#src/core/law/law-record.ts';
import { LAW, lawAt, lawInForce, quoteLaw, type LawId } from '#src/core/law/law.ts';
import { LAW_RECORDS } from '#src/core/law/records.ts';

describe('law records', () => {
  it('fit the schema and never overlap for one id', () => {
    expect(checkLawRecords(LAW_RECORDS)).toHaveLength(LAW_RECORDS.length);
  });

  it('refuses two records of one id in force on the same day', () => {
    const first = LAW_RECORDS.find((r) => r.id === 'no-publicity.supplies-services')!;
    expect(() => checkLawRecords([first, { ...first, value: 50_000 }])).toThrow(/overlap/);
    expect(() => checkLawRecords([{ ...first, from: '2026-05-01', until: '2026-04-01' }])).toThrow(/until precedes from/);
    expect(() => checkLawRecords([{ ...first, value: null }])).toThrow(/value/);
  });

  it('gives each record a public source and, for a value, a unit', () => {
    for (const r of LAW) {
      expect(r.source).toMatch(/^https?:\/\//);
      expect(r.reference.articles.length).toBeGreaterThan(0);
    }
  });

  // Every dated rule on both sides of each effective date (issue 13 acceptance).
  it.each<[LawId, string, number | null, string, number | null]>([
    ['no-publicity.supplies-services', '2026-03-31', 40_000, '2026-04-01', 60_000],
    ['publicity.free-documents-online', '2026-03-31', 40_000, '2026-04-01', 60_000],
    ['no-publicity.works', '2025-12-31', null, '2026-01-01', 100_000],
    ['eu-threshold.supplies-services.other', '2025-12-31', 221_000, '2026-01-01', 216_000],
    ['eu-threshold.supplies-services.central', '2025-12-31', 143_000, '2026-01-01', 140_000],
    ['eu-threshold.works', '2025-12-31', 5_538_000, '2026-01-01', 5_404_000],
    ['eu-threshold.supplies-services.other', '2023-12-31', 215_000, '2024-01-01', 221_000],
    ['advance.sme-minimum-rate-state', '2022-12-31', null, '2023-01-01', 0.3],
  ])('%s: %s → %s, %s → %s', (id, before, valueBefore, after, valueAfter) => {
    expect(lawAt(id, before)?.value ?? null).toBe(valueBefore);
    expect(lawAt(id, after)?.value ?? null).toBe(valueAfter);
  });

  it.each<[LawId, string, string]>([
    ['award.environmental-criterion', '2026-08-20', '2026-08-21'],
    ['execution.environmental-condition', '2026-08-20', '2026-08-21'],
    ['execution.social-condition', '2026-08-20', '2026-08-21'],
    ['framework-agreement.maximum-required', '2021-12-31', '2022-01-01'],
    ['publicity.national-notice-model', '2021-12-31', '2022-01-01'],
  ])('obligation %s starts between %s and %s', (id, before, after) => {
    expect(lawAt(id, before)).toBeUndefined();
    expect(lawAt(id, after)).toBeDefined();
  });

  it('has no EU threshold recorded after 2027: a new period is a data change', () => {
    expect(lawAt('eu-threshold.supplies-services.other', '2027-12-31')?.value).toBe(216_000);
    expect(lawAt('eu-threshold.supplies-services.other', '2028-01-01')).toBeUndefined();
  });

  it('quotes a value with the date it is read for, and flags unverified records', () => {
    expect(quoteLaw(lawAt('no-publicity.supplies-services', '2026-05-05')!, '2026-05-05')).toBe('seuil 60\u202f000\u00a0€ HT en vigueur au 5 mai 2026');
    expect(quoteLaw(lawAt('execution.social-condition', '2026-09-01')!, '2026-09-01', 'obligation')).toBe('obligation en vigueur au 1er septembre 2026 (à confirmer)');
    expect(lawInForce('2026-05-05').map((r) => r.id)).toContain('no-publicity.supplies-services');
  });
});
