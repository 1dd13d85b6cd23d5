import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import type { Finding } from '#src/core/model/findings.ts';
import { lawAt } from '#src/core/law/law.ts';
import { evaluateFrom, realDeps, v2Example } from '../support/pipeline.ts';

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

const CODE = 'FRAMEWORK_AGREEMENT_MAXIMUM_BELOW_ESTIMATE';
const below = async (input: unknown): Promise<Finding[]> => (await evaluateFrom(input, deps.catalogue)).rules.findings.filter((f) => f.code === CODE);

describe('a lot whose maximum is below the estimate of its own lines', () => {
  it('warns the buyer about lot 2 of the département’s file (maximum 700 000 € vs 844 800 € of lines over four years), citing R2162-4 from the records', async () => {
    const found = await below(v2Example('departement'));

    expect(found).toHaveLength(1);
    const [finding] = found;
    const record = lawAt('framework-agreement.maximum-required', v2Example('departement').consultationDate)!;
    expect(finding).toMatchObject({ severity: 'warning', lot: 2, path: 'lots.1.maximumAmount', ruleId: record.id, source: record.source });
    expect(finding!.reference).toContain('R2162-4');
    expect(finding!.message).toBe(
      'Le maximum du lot 2 (« Écrans numériques interactifs et installation »), 700\u202f000\u00a0€ HT, est inférieur à l’estimation de ses lignes, 844\u202f800\u00a0€ HT, reconductions comprises : le maximum d’un accord-cadre borne les commandes, qui ne pourront pas le dépasser ; les quantités prévues ne pourraient pas toutes être commandées.',
    );
  });

  it('says nothing once the maximum covers the lines, nor for a marché ordinaire', async () => {
    const raised = v2Example('departement');
    raised.lots[1].maximumAmount = 844_800;
    expect(await below(raised)).toEqual([]);
    expect(await below(v2Example('commune'))).toEqual([]);
  });

  it('warns with « d’au moins » when some lines are not priced but those priced already exceed the maximum', async () => {
    const input = v2Example('departement');
    const unpriced = input.lots[1].items.findIndex((l: any) => l.unitPrice !== undefined && l.unitPrice < 1000);
    expect(unpriced).toBeGreaterThanOrEqual(0);
    delete input.lots[1].items[unpriced].unitPrice;
    input.lots[1].maximumAmount = 100_000;

    const [finding] = await below(input);

    expect(finding?.message).toMatch(/estimation de ses lignes, d’au moins [\d\u202f]+\u00a0€ HT/);
  });
});
