import { beforeAll, describe, expect, it } from 'vitest';
import { RulesBlockedError, ValidationError } from '#src/core/model/errors.ts';
import { GenerationReportSchema } from '#src/core/model/report.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { countingOutputs, evaluateFrom, example, generateFrom, realDeps } from '../support/pipeline.ts';

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

async function validationIssues(input: unknown): Promise<Array<{ path: string; message: string }>> {
  const error = await evaluateFrom(input, deps.catalogue).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return [...(error as ValidationError).issues];
}

describe('evaluateTender', () => {
  it('reports schema failures with the path of each field', async () => {
    // Prepare
    const input = example('commune');
    input.lots[0].items = [{ itemId: 'tablet', quantity: -3 }];
    input.awardCriteria[0].weight = 'cinquante';
    delete input.buyer.name;
    // Act
    const issues = await validationIssues(input);
    // Assess
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['buyer.name', 'lots.0.items.0.quantity', 'awardCriteria.0.weight']));
  });

  it('rejects unknown items, offers and criteria by path', async () => {
    const input = example('commune');
    input.lots[0].offer = { offerId: 'classe-mobile-999', count: 1 };
    input.lots[0].items = [{ itemId: 'photocopieur', quantity: 1 }];
    input.lots[0].overrides = [{ criterionId: 'tablet.does-not-exist', level: 'assessed' }];
    const issues = await validationIssues(input);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'lots.0.offer.offerId', message: expect.stringContaining('classe-mobile-999') },
        { path: 'lots.0.items.0.itemId', message: expect.stringContaining('photocopieur') },
        { path: 'lots.0.overrides.0.criterionId', message: expect.stringContaining('tablet.does-not-exist') },
      ]),
    );
  });

  it('rejects an unknown framework version at the framework field', async () => {
    const input = example('commune');
    input.framework.version = 99;
    expect(await validationIssues(input)).toEqual([{ path: 'framework', message: expect.stringContaining('99') }]);
  });

  it('rejects an override that changes the metric type of a criterion', async () => {
    const input = example('commune');
    input.lots[0].overrides = [{ criterionId: 'tablet.storage.user', metric: { type: 'boolean', expected: true } }];
    expect(await validationIssues(input)).toEqual([{ path: 'lots.0.overrides.0.metric.type', message: expect.stringContaining('numeric') }]);
  });
});

describe('generateCctp', () => {
  it('returns a report that fits its published schema, with the document hash', async () => {
    const { report, documents } = await generateFrom(example('commune'), deps);
    expect(GenerationReportSchema.parse(report)).toEqual(report);
    expect(report.documents).toEqual([
      { name: 'cctp.pdf', mediaType: 'application/pdf', bytes: documents[0]!.content.byteLength, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { name: 'note-interne.pdf', mediaType: 'application/pdf', bytes: documents[1]!.content.byteLength, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(report.criteria.length).toBeGreaterThan(10);
    expect(report.criteria.every((c) => c.version >= 1)).toBe(true);
  });

  it('stops on legal errors and renders nothing', async () => {
    // Prepare: weights that no longer sum to 100
    const input = example('commune');
    input.awardCriteria[0].weight += 7;
    const { outputs, rendered } = countingOutputs(deps.outputs);
    // Act
    const error = await generateFrom(input, { ...deps, outputs }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(RulesBlockedError);
    expect((error as RulesBlockedError).findings.map((f) => f.code)).toContain('AWARD_WEIGHTS_SUM');
    expect(rendered()).toBe(0);
  });

  it('blocks a minimum requirement naming a brand without « ou équivalent », and passes the same text with it', async () => {
    const withText = (requirement: string) => {
      const input = structuredClone(example('departement')) as { lots: Array<{ customRequirements?: Array<{ requirement: string }> }> };
      input.lots[0]!.customRequirements![0]!.requirement = requirement;
      return input;
    };
    const error = await generateFrom(withText('Les tablettes sont compatibles avec les stylets Apple Pencil.'), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RulesBlockedError);
    const brand = (error as RulesBlockedError).findings.filter((f) => f.code === 'BRAND_WITHOUT_EQUIVALENT');
    expect(brand.map((f) => [f.severity, f.path])).toEqual([['error', 'lots.0.customRequirements.0.requirement']]);
    const { report } = await generateFrom(withText('Les tablettes sont compatibles avec les stylets Apple Pencil ou équivalent.'), deps);
    expect(report.findings.filter((f) => f.code === 'BRAND_WITHOUT_EQUIVALENT')).toEqual([]);
  });
});
