import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { CorruptItemError, ensureTable } from '#src/adapters/dynamodb/table.ts';
import { encodeCursor } from '#src/adapters/stores/paging.ts';
import type { Category, Criterion } from '#src/core/model/criterion.ts';
import { criteriaRepositoryContract, criterionDraft as draft } from '../contracts/criteria-repository.contract.ts';
import { countDynamoDbCalls, startLocalAws, type LocalAws } from '../support/local-aws.ts';

let aws: LocalAws;
let calls: ReturnType<typeof countDynamoDbCalls>;
let tableName: string;
let repo: DynamoDbCriteriaRepository;

beforeAll(async () => {
  aws = await startLocalAws();
  calls = countDynamoDbCalls(aws.dynamodb);
});
afterAll(async () => {
  await aws?.stop();
});

// What every criteria repository does, here on a fresh table per test.
criteriaRepositoryContract('DynamoDbCriteriaRepository', async () =>
  new DynamoDbCriteriaRepository({ db: aws.document, tableName: await aws.newTable(), retryDelayMs: () => 0 }),
)
beforeEach(async () => {
  tableName = await aws.newTable();
  repo = new DynamoDbCriteriaRepository({ db: aws.document, tableName, retryDelayMs: () => 0 });
  calls.reset();
});

async function create(id: string, patch: Partial<Criterion> = {}): Promise<Criterion> {
  return repo.putNewVersion(draft(id, patch), 0);
}

/** Makes the next put of a LATEST item fail, as if the writer died between its two writes. */
function failNextLatestPut(): void {
  let armed = true;
  aws.dynamodb.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Item?: { sk?: unknown } };
      const sk = input.Item?.sk;
      if (armed && (sk === 'LATEST' || (sk as { S?: string } | undefined)?.S === 'LATEST')) {
        armed = false;
        throw new Error('simulated crash before moving LATEST');
      }
      return next(args);
    },
    { step: 'initialize', name: `crash-${Math.random()}` },
  );
}

describe('DynamoDbCriteriaRepository versions', () => {
  it('writes a version in three calls: the previous-version check and two conditional puts', async () => {
    await create('tablet.storage.user');
    calls.reset();

    await repo.putNewVersion(draft('tablet.storage.user', { label: 'Stockage, v2' }), 1);

    expect(Object.fromEntries(calls.counts)).toEqual({ GetItem: 1, PutItem: 2 });
  });

  it('checks a draft before any call to the table', async () => {
    await expect(repo.putNewVersion({ ...draft('tablet.storage.user'), version: 3 }, 0)).rejects.toMatchObject({ issues: [{ path: 'version' }] });
    await expect(repo.putNewVersion(draft('tablet.storage.user', { label: 'x' }), 0)).rejects.toMatchObject({ issues: [{ path: 'label' }] });
    expect(calls.total()).toBe(0);
  });

  it('leaves an existing table and its items alone when ensureTable runs again', async () => {
    const stored = await create('tablet.storage.user');

    await ensureTable(aws.dynamodb, tableName);

    expect(await repo.getLatest('tablet.storage.user')).toEqual(stored);
  });

  it('recovers when a writer dies between the version write and the LATEST move', async () => {
    await create('tablet.storage.user');
    failNextLatestPut();

    await expect(repo.putNewVersion(draft('tablet.storage.user', { label: 'Écrite puis crash' }), 1)).rejects.toThrow(
      /simulated crash/,
    );

    // The version is committed; LATEST still shows version 1 (a stale read, not a lost write).
    expect((await repo.listVersions('tablet.storage.user')).map((c) => c.version)).toEqual([1, 2]);
    expect((await repo.getLatest('tablet.storage.user')).version).toBe(1);

    // An editor who read the stale LATEST is told of the conflict, and LATEST is repaired.
    await expect(repo.putNewVersion(draft('tablet.storage.user', { label: 'Perdue ?' }), 1)).rejects.toMatchObject({
      name: 'VersionConflictError',
      actualVersion: 2,
    });
    expect((await repo.getLatest('tablet.storage.user')).label).toBe('Écrite puis crash');
    await repo.putNewVersion(draft('tablet.storage.user', { label: 'Version trois' }), 2);
    expect((await repo.listVersions('tablet.storage.user')).map((c) => c.label)).toEqual([
      'Critère tablet.storage.user',
      'Écrite puis crash',
      'Version trois',
    ]);
  });

  it('accepts the next edit from an editor who saw the committed version while LATEST lagged', async () => {
    await create('tablet.storage.user');
    failNextLatestPut();
    await repo.putNewVersion(draft('tablet.storage.user', { label: 'Écrite puis crash' }), 1).catch(() => undefined);

    const third = await repo.putNewVersion(draft('tablet.storage.user', { label: 'Version trois' }), 2);

    expect(await repo.getLatest('tablet.storage.user')).toEqual(third);
  });

  it('refuses to return a stored item that no longer fits the schema', async () => {
    await create('tablet.storage.user');
    await aws.document.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'CRITERION#tablet.storage.user',
          sk: 'V#0000000002',
          entity: 'criterion',
          version: 2,
          data: { ...draft('tablet.storage.user'), version: 2, level: 'optional' },
        },
      }),
    );
    await aws.document.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: 'CRITERION#tablet.other', sk: 'LATEST', entity: 'criterion-latest', version: 1, data: { ...draft('tablet.storage.user'), version: 1 } },
      }),
    );

    await expect(repo.getVersion('tablet.storage.user', 2)).rejects.toThrow(CorruptItemError);
    await expect(repo.getVersion('tablet.storage.user', 2)).rejects.toThrow(/data\.level/);
    await expect(repo.listVersions('tablet.storage.user')).rejects.toThrow(CorruptItemError);
    await expect(repo.getLatest('tablet.other')).rejects.toThrow(/does not match the key/);
  });
});

describe('DynamoDbCriteriaRepository listings', () => {
  async function createMany(count: number, category: Category, prefix = category): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${prefix}.c${String(i).padStart(3, '0')}`);
    await Promise.all(ids.map((id) => create(id, { category })));
    return ids;
  }

  it('refuses cursors whose table keys were forged or tampered with', async () => {
    await createMany(3, 'tablet');
    await createMany(3, 'laptop');
    const { cursor } = await repo.listByCategory('tablet', { limit: 1 });
    const laptopCursor = (await repo.listByCategory('laptop', { limit: 1 })).cursor!;
    const decoded = JSON.parse(Buffer.from(cursor!, 'base64url').toString()) as Record<string, string>;

    const forged = [
      laptopCursor,
      encodeCursor({ ...decoded, gsi1pk: 'CATEGORY#laptop' }),
      encodeCursor({ ...decoded, pk: 'TENDER#x' }),
      encodeCursor({ ...decoded, extra: 'x' }),
      encodeCursor({ ...decoded, sk: 'V#0000000001' }),
    ];
    for (const bad of forged) {
      await expect(repo.listByCategory('tablet', { cursor: bad }), bad).rejects.toMatchObject({
        name: 'ValidationError',
        issues: [{ path: 'cursor' }],
      });
    }
    expect((await repo.listByCategory('tablet', { cursor: cursor! })).items.length).toBeGreaterThan(0);
  });

  it('reads 250 versions in 3 BatchGetItem calls, in the order asked, duplicates included', async () => {
    const ids = await createMany(125, 'tablet');
    await Promise.all(ids.map((id) => repo.putNewVersion(draft(id, { label: `${id} v2` }), 1)));
    const refs = ids.flatMap((id) => [
      { id, version: 2 },
      { id, version: 1 },
    ]);
    calls.reset();

    const found = await repo.batchGetVersions(refs);

    expect(calls.counts.get('BatchGetItem')).toBe(3);
    expect(calls.total()).toBe(3);
    expect(found.map((c) => `${c.id}@${c.version}`)).toEqual(refs.map((r) => `${r.id}@${r.version}`));
    expect(found[0]!.label).toBe(`${ids[0]} v2`);

    calls.reset();
    const again = await repo.batchGetVersions([refs[0]!, refs[0]!, refs[1]!]);
    expect(again.map((c) => c.version)).toEqual([2, 2, 1]);
    expect(calls.total()).toBe(1);
  });

  it('retries the keys a batch read leaves unprocessed', async () => {
    const ids = await createMany(30, 'tablet');
    let first = true;
    // Outermost step: the document client has already unmarshalled the output.
    aws.dynamodb.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const output = result.output as {
          Responses?: Record<string, Record<string, unknown>[]>;
          UnprocessedKeys?: Record<string, { Keys: unknown[] }>;
        };
        const responses = output.Responses?.[tableName];
        if (first && responses && responses.length > 1) {
          first = false;
          const held = responses.splice(0, Math.floor(responses.length / 2));
          output.UnprocessedKeys = { [tableName]: { Keys: held.map((item) => ({ pk: item.pk, sk: item.sk })) } };
        }
        return result;
      },
      { step: 'initialize', name: 'holdBackHalf' },
    );
    calls.reset();

    try {
      const found = await repo.batchGetVersions(ids.map((id) => ({ id, version: 1 })));

      expect(found.map((c) => c.id)).toEqual(ids);
      expect(calls.counts.get('BatchGetItem')).toBe(2);
      expect(first).toBe(false);
    } finally {
      aws.dynamodb.middlewareStack.remove('holdBackHalf');
    }
  });
});
