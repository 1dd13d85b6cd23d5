/**
 * Concurrent editors against a model: a criterion's history is a list of labels, version N being
 * entry N - 1. Each step runs a batch of editors at once, each expecting either the latest
 * version or an older one, or has a writer die between its two writes. The store must agree
 * with the model after every step: exactly one editor of the latest version wins, everybody
 * else gets a conflict, no committed version is lost or overwritten, versions stay contiguous.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import { VersionConflictError } from '#src/app/errors.ts';
import { startLocalAws, type LocalAws } from '../support/local-aws.ts';

let aws: LocalAws;
let repo: DynamoDbCriteriaRepository;

beforeAll(async () => {
  aws = await startLocalAws();
  repo = new DynamoDbCriteriaRepository({ db: aws.document, tableName: await aws.newTable(), retryDelayMs: () => 0 });
});
afterAll(async () => {
  await aws?.stop();
});

type Step =
  | { kind: 'edit'; staleness: number[] }
  | { kind: 'crash' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), staleness: fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
);

function draft(id: string, label: string): Omit<Criterion, 'version'> {
  return {
    id,
    category: 'tablet',
    kind: 'functional',
    label,
    requirement: 'Exigence éditée par plusieurs rédacteurs à la fois.',
    metric: { type: 'boolean', expected: true },
    level: 'minimum',
    authority: { type: 'ministry', reference: 'CARMO 3.0.1' },
    proof: ['declaration'],
  };
}

async function withLatestPutFailing<T>(run: () => Promise<T>): Promise<T> {
  const name = 'crashBeforeLatest';
  aws.dynamodb.middlewareStack.add(
    (next) => async (args) => {
      if ((args.input as { Item?: { sk?: unknown } }).Item?.sk === 'LATEST') throw new Error('simulated crash');
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    return await run();
  } finally {
    aws.dynamodb.middlewareStack.remove(name);
  }
}

let runs = 0;

describe('putNewVersion under concurrent editors', () => {
  it('agrees with a sequential model of the history after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }), async (steps) => {
        const id = `tablet.property-${++runs}`;
        const history: string[] = [];
        let pointer = 0;

        for (const [s, step] of steps.entries()) {
          const latest = history.length;
          if (step.kind === 'crash') {
            const label = `crash ${s}`;
            await expect(withLatestPutFailing(() => repo.putNewVersion(draft(id, label), latest))).rejects.toThrow('simulated crash');
            history.push(label);
          } else {
            const expectations = step.staleness.map((back) => Math.max(0, latest - back));
            const outcomes = await Promise.allSettled(
              expectations.map((expected, e) => repo.putNewVersion(draft(id, `edit ${s}.${e}`), expected)),
            );
            const winners = outcomes.flatMap((o, e) => (o.status === 'fulfilled' ? [e] : []));
            const hopefuls = expectations.filter((expected) => expected === latest).length;
            expect(winners).toHaveLength(hopefuls > 0 ? 1 : 0);
            outcomes.forEach((outcome, e) => {
              if (outcome.status === 'fulfilled') {
                expect(expectations[e]).toBe(latest);
                expect(outcome.value).toMatchObject({ version: latest + 1, label: `edit ${s}.${e}` });
                return;
              }
              expect(outcome.reason).toBeInstanceOf(VersionConflictError);
              const conflict = outcome.reason as VersionConflictError;
              // A loser learns at least the latest version it missed.
              expect(conflict.actualVersion).toBeGreaterThanOrEqual(expectations[e] === latest ? latest + 1 : latest);
              expect(conflict.actualVersion).toBeLessThanOrEqual(latest + winners.length);
            });
            if (winners.length === 1) history.push(`edit ${s}.${winners[0]}`);
            // Winners move LATEST, losers repair it: after any edit it shows the newest version.
            pointer = history.length;
          }

          const stored = await repo.listVersions(id);
          expect(stored.map((c) => c.version)).toEqual(history.map((_, i) => i + 1));
          expect(stored.map((c) => c.label)).toEqual(history);

          // A writer that died leaves LATEST where it was: a stale read, never a wrong one.
          if (pointer === 0) {
            await expect(repo.getLatest(id)).rejects.toBeInstanceOf(NotFoundError);
          } else {
            expect(await repo.getLatest(id)).toMatchObject({ version: pointer, label: history[pointer - 1] });
          }
        }
      }),
      { numRuns: 20 },
    );
  });
});
