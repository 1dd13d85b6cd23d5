import { describe, expect, it } from 'vitest';
import { CriterionSchema } from '#src/core/model/criterion.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { compareMetric, formatThreshold } from '#src/core/model/metric.ts';
import { convert, convertible, UNIT_NAMES, UNITS } from '#src/core/model/units.ts';
import { evaluateRules } from '#src/core/rules/evaluate.ts';
import { CRITERIA, makeTender, withOverride } from '../support/fixtures.ts';

const NBSP = '\u00a0';
const gte = (value: number, unit: string) => ({ type: 'numeric', unit, comparator: 'gte', value }) as const;

describe('units as data', () => {
  it('converts within a dimension and nowhere else', () => {
    expect(convert(64, 'Mo', 'Go')).toBe(0.064);
    expect(convert(1, 'To', 'Go')).toBe(1000);
    expect(convert(2, 'h', 'min')).toBe(120);
    expect(convert(3, 'ans', 'mois')).toBe(36);
    expect(convert(25.4, 'cm', 'pouces')).toBe(10);
    expect(convert(1, 'heures', 'h')).toBe(1);
    expect(convert(64, 'h', 'Go')).toBeUndefined();
    expect(convert(5, 'jours', 'jours ouvrés')).toBeUndefined();
    expect(convert(16, 'emplacements', 'points de contact')).toBeUndefined();
    expect(convertible('mois', 'jours')).toBe(false);
    expect(convertible('Go', 'gigas')).toBe(false);
  });

  it('covers every unit the catalogue uses', async () => {
    const { readFile } = await import('node:fs/promises');
    const criteria = JSON.parse(await readFile(new URL('../../catalogue/criteria.json', import.meta.url), 'utf8')) as Array<{ metric: { unit?: string } }>;
    const used = new Set(criteria.flatMap((c) => (c.metric.unit === undefined ? [] : [c.metric.unit])));
    expect([...used].filter((u) => !UNIT_NAMES.includes(u as never))).toEqual([]);
  });

  it('prints numbers and units agreed, with no-break spaces', () => {
    expect(formatThreshold(gte(1, 'ans'))).toBe(`≥${NBSP}1${NBSP}an`);
    expect(formatThreshold(gte(3, 'ans'))).toBe(`≥${NBSP}3${NBSP}ans`);
    expect(formatThreshold(gte(1.5, 'ans'))).toBe(`≥${NBSP}1,5${NBSP}an`);
    expect(formatThreshold(gte(7, '/10'))).toBe(`≥${NBSP}7/10`);
    expect(formatThreshold(gte(12, 'emplacements'))).toBe(`≥${NBSP}12${NBSP}emplacements`);
    expect(formatThreshold({ type: 'range', unit: 'pouces', min: 13, max: 15.6 })).toBe(`entre 13 et 15,6${NBSP}pouces`);
    expect(formatThreshold({ type: 'text' })).toBe('—');
    for (const unit of Object.values(UNITS)) expect(unit.one.length).toBeGreaterThan(0);
  });

  it('compares an override written in another unit in the reference unit', () => {
    expect(compareMetric(gte(32, 'Go'), gte(64, 'Mo'))).toBe('loosened');
    expect(compareMetric(gte(32, 'Go'), gte(64_000, 'Mo'))).toBe('tightened');
    expect(compareMetric(gte(32, 'Go'), gte(32_000, 'Mo'))).toBe('same');
    expect(compareMetric(gte(24, 'mois'), gte(2, 'ans'))).toBe('same');
    expect(compareMetric(gte(24, 'mois'), gte(3, 'ans'))).toBe('tightened');
    expect(compareMetric({ type: 'numeric', unit: 'kg', comparator: 'lte', value: 1.5 }, { type: 'numeric', unit: 'g', comparator: 'lte', value: 1400 })).toBe('tightened');
    expect(compareMetric({ type: 'range', unit: 'pouces', min: 10, max: 13 }, { type: 'range', unit: 'cm', min: 25.4, max: 30 })).toBe('tightened');
    expect(compareMetric(gte(32, 'Go'), gte(64, 'h'))).toBe('loosened');
  });

  it('loses conformity, and says why, when 64 Mo replaces a 32 Go minimum', () => {
    const tender = makeTender(withOverride(0, { criterionId: 'tablet.storage.user', metric: gte(64, 'Mo') }));
    const requirement = tender.lots[0]!.requirements.find((r) => r.id === 'tablet.storage.user')!;
    expect(requirement.change.metric).toBe('loosened');
    const rules = evaluateRules(tender);
    expect(rules.conformity.conforming).toBe(false);
    const reason = rules.conformity.reasons.find((r) => r.criterionId === 'tablet.storage.user');
    expect(reason?.status).toBe('loosened');
    expect(reason?.message).toContain(`≥${NBSP}64${NBSP}Mo au lieu de ≥${NBSP}32${NBSP}Go`);
  });

  it('refuses an override whose unit does not convert, with its field path', () => {
    let error: unknown;
    try {
      makeTender(withOverride(0, { criterionId: 'tablet.storage.user', metric: gte(64, 'h') }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'lots.0.overrides.0.metric.unit', message: 'unit "h" does not convert to the criterion\'s unit "Go" (Mo, Go, To)' },
    ]);
  });

  it('refuses a catalogue criterion whose unit is not in the list', () => {
    const storage = CRITERIA.find((c) => c.id === 'tablet.storage.user')!;
    const parsed = CriterionSchema.safeParse({ ...storage, metric: gte(32, 'gigas') });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['metric', 'unit']);
    expect(CriterionSchema.safeParse(storage).success).toBe(true);
  });
});
