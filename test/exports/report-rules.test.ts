/**
 * Issue 13 acceptance on what a buyer receives (report.json): every finding explains itself with
 * the values compared, its reference and its source, read from the law record it applied; the
 * co-funding answer is an estimate under the programmes open on the consultation date, never
 * « éligible … 0,00 € », and a département's collèges get nothing per device from the closed
 * 2015–2017 plan.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lawAt, type LawId } from '#src/core/law/law.ts';
import type { GenerationReport } from '#src/core/model/report.ts';
import { evaluateFrom, example, generateFrom } from '../support/pipeline.ts';
import { EXAMPLE_NAMES, sharedDeps } from './support/models.ts';

/** The examples as they are, plus variants that raise the other findings (a loosened criterion, a brand, variants, no environmental criterion). */
function requests(): Array<[string, Record<string, any>]> {
  const loosened = example('commune');
  loosened.lots[0].overrides.push({ criterionId: 'tablet.cameras', metric: { type: 'boolean', expected: false }, justification: 'Usage en lecture seule, sans capture.' });
  const noEnvironment = example('ville');
  noEnvironment.awardCriteria = [{ name: 'Prix', type: 'price', theme: 'price', weight: 100 }];
  noEnvironment.variants = { allowed: true };
  noEnvironment.procedure = 'open';
  noEnvironment.justifications = { ALLOTMENT_SINGLE_LOT_MIXED: 'Installation et fourniture des écrans indissociables : un seul titulaire en répond.' };
  return [...EXAMPLE_NAMES.map((n): [string, Record<string, any>] => [n, example(n)]), ['commune, a ministry criterion loosened', loosened], ['ville, open, price only, variants', noEnvironment]];
}

describe.each(requests())('report.json of %s', (_name, request) => {
  let report: GenerationReport;
  beforeAll(async () => {
    const deps = await sharedDeps();
    // Blocking requests still say why: evaluate them through the same pipeline, documents aside.
    report = await generateFrom(request, deps).then(
      (g) => g.report,
      async (error: { findings?: GenerationReport['findings'] }) => ({ findings: error.findings ?? [], consultationDate: request.consultationDate }) as GenerationReport,
    );
  });

  it('gives every finding the values compared, its reference and, for a law record, that record’s source', () => {
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.reference, f.code).toMatch(/\S/);
      if (f.code !== 'JUSTIFICATION_UNUSED' && f.code !== 'LAW_RECORD_MISSING') expect(f.comparison, f.code).toMatch(/\S/);
      if (f.code.startsWith('ELIGIBILITY_') || f.code === 'JUSTIFICATION_UNUSED') continue;
      const record = lawAt(f.ruleId as LawId, report.consultationDate);
      expect(record, `${f.code} ${f.ruleId}`).toBeDefined();
      expect(f.source).toBe(record!.source);
      expect(f.reference).toBe(record!.reference.citation);
      expect(f.action, f.code).toMatch(/\S/);
    }
  });

  it('never says « éligible … 0,00 € »', () => {
    expect(JSON.stringify(report)).not.toMatch(/[ée]ligible[^"]*\b0,00\s€/);
  });
});

describe('the département’s collèges file (examples/departement-accord-cadre.json)', () => {
  let report: GenerationReport;
  beforeAll(async () => {
    report = (await generateFrom(example('departement'), await sharedDeps())).report;
  });

  it('gets no per-device subsidy from the closed 2015–2017 collèges plan, and says why', () => {
    const plan = report.funding!.programmes.find((p) => p.id === 'plan-numerique-colleges-2016');
    expect(plan).toMatchObject({ status: 'closed' });
    expect(plan!.reason).toMatch(/clos/);
    expect(report.funding!.estimates.map((e) => e.programme)).not.toContain('plan-numerique-colleges-2016');
    expect(JSON.stringify(report.funding)).not.toMatch(/plafond 190/);
  });

  it('had the plan been open (a consultation of March 2016), would cap the catalogue’s pupil tablets at 190 € and teacher laptops at 380 € each', async () => {
    const { rules } = await evaluateFrom({ ...example('departement'), consultationDate: '2016-03-01' }, (await sharedDeps()).catalogue);
    const plan = rules.funding.estimates.find((e) => e.programme === 'plan-numerique-colleges-2016');
    const steps = plan!.lines.flatMap((l) => l.steps);
    expect(steps.find((s) => s.startsWith('« Tablette élève »'))).toContain('plafond 190\u00a0€ par élève');
    expect(steps.find((s) => s.startsWith('« Ordinateur portable de l’enseignant »'))).toContain('plafond 380\u00a0€ par enseignant');
  });

  it('keeps conformity to the framework apart from money', () => {
    expect(report.conformity).toMatchObject({ conforming: true });
    expect(Object.keys(report.conformity!)).not.toContain('totalSubsidy');
    expect(report.rules!.records.map((r) => r.id)).toEqual(expect.arrayContaining(['eu-threshold.supplies-services.other', 'no-publicity.supplies-services']));
    expect(report.rules!.lawVersion).toMatch(/^[0-9a-f]{14}$/);
  });
});
