import { describe, expect, it } from 'vitest';
import { estimateFunding, NO_OPEN_PROGRAMME, type FundingInput, type FundingLine } from '#src/core/funding/estimate.ts';
import { FUNDING_PROGRAMMES, fundingProgramme } from '#src/core/funding/programmes.ts';
import type { CatalogueItem } from '#src/core/model/catalogue.ts';

const item = (id: string, category: CatalogueItem['category'], audience?: CatalogueItem['audience']): CatalogueItem => ({
  id,
  label: id,
  description: '',
  category,
  nature: 'supply',
  unit: 'unité',
  cpv: '30213100-6',
  criteria: [],
  ...(audience ? { audience } : {}),
});
const TABLET = item('tablette', 'tablet', 'pupil');
const TEACHER_LAPTOP = item('portable-enseignant', 'laptop', 'teacher');
const DISPLAY = item('ecran', 'interactive-display');
const TRAINING: CatalogueItem = { ...item('formation', 'training'), nature: 'service' };

const line = (lot: number, it: CatalogueItem, quantity: number, price?: number): FundingLine =>
  price === undefined ? { lot, item: it, quantity } : { lot, item: it, quantity, estimatedUnitPrice: price };

const input = (patch: Partial<FundingInput>): FundingInput => ({
  date: '2026-12-01',
  buyerType: 'department',
  schoolLevels: ['college'],
  lines: [],
  programmes: FUNDING_PROGRAMMES,
  conforming: true,
  ...patch,
});

describe('estimateFunding', () => {
  it('says plainly when no programme is open for that buyer on that date, and never « éligible … 0,00 € »', () => {
    const result = estimateFunding(
      input({ buyerType: 'region', schoolLevels: ['lycee'], lines: [line(1, TABLET, 100, 300)], programmes: FUNDING_PROGRAMMES }),
    );
    expect(result.estimates).toEqual([]);
    expect(result.statement).toContain(NO_OPEN_PROGRAMME.slice(1));
    expect(result.programmes.find((p) => p.id === 'snee-2021')?.status).toBe('closed');
    expect(JSON.stringify(result)).not.toMatch(/éligible[^.]*0,00/);
  });

  it('gives a département’s collèges no per-device subsidy from the closed 2015–2017 plan', () => {
    const result = estimateFunding(input({ lines: [line(1, TABLET, 300, 390), line(1, TEACHER_LAPTOP, 10, 880)] }));
    expect(result.programmes.find((p) => p.id === 'plan-numerique-colleges-2016')).toMatchObject({ status: 'closed' });
    expect(result.estimates.map((e) => e.programme)).not.toContain('plan-numerique-colleges-2016');
  });

  it('caps pupil and teacher devices by their own rules while the 2015–2017 plan was open', () => {
    const plan = fundingProgramme('plan-numerique-colleges-2016')!;
    const result = estimateFunding(
      input({ date: '2016-01-15', programmes: [plan], lines: [line(1, TABLET, 30, 420), line(1, TEACHER_LAPTOP, 2, 900), line(2, DISPLAY, 3, 3000)] }),
    );
    const [estimate] = result.estimates;
    expect(estimate?.lines.map((l) => [l.lot, l.category, l.subsidy])).toEqual([
      [1, 'laptop', 760], // 2 × min(450, 380)
      [1, 'tablet', 5700], // 30 × min(210, 190)
    ]);
    expect(estimate?.total).toBe(6460);
    expect(estimate?.lines[1]?.steps[0]).toContain('plafond 190\u00a0€ par élève');
    expect(estimate?.lines[0]?.steps[0]).toContain('plafond 380\u00a0€ par enseignant');
  });

  it('chooses the TNE rate of a commune’s schools by the project’s eligible spending, and counts no services', () => {
    const tne = fundingProgramme('tne')!;
    const small = estimateFunding(input({ buyerType: 'municipality', schoolLevels: ['primary'], programmes: [tne], lines: [line(1, TABLET, 16, 360), line(1, TRAINING, 6, 95)] }));
    expect(small.estimates[0]).toMatchObject({ rate: 0.7, projectSpend: 5760, total: 4032 });
    expect(small.estimates[0]?.caveats.join(' ')).toMatch(/départements retenus/);
    const large = estimateFunding(input({ buyerType: 'municipality', schoolLevels: ['primary'], programmes: [tne], lines: [line(1, DISPLAY, 80, 2500)] }));
    expect(large.estimates[0]).toMatchObject({ rate: 0.5, projectSpend: 200_000, total: 100_000 });
    expect(large.estimates[0]?.rateExplanation).toContain('égale ou supérieure à 200\u202f000\u00a0€ HT');
  });

  it('keeps conformity apart from money: a non-conforming selection keeps its estimate with a caveat', () => {
    const result = estimateFunding(input({ conforming: false, lines: [line(1, TABLET, 10, 400)] }));
    expect(result.estimates[0]?.total).toBe(2000);
    expect(result.estimates[0]?.caveats.join(' ')).toMatch(/pas conforme au référentiel/);
  });

  it('counts unpriced eligible devices for 0 and says the estimate is incomplete', () => {
    const result = estimateFunding(input({ lines: [line(1, TABLET, 10)] }));
    expect(result.estimates[0]?.lines[0]).toMatchObject({ priced: false, subsidy: 0 });
    expect(result.estimates[0]?.caveats.join(' ')).toMatch(/incomplète/);
  });
});
