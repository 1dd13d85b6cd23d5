import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { CorruptItemError, ensureTable } from '#src/adapters/dynamodb/table.ts';
import { encodeCursor } from '#src/adapters/stores/paging.ts';
import type { Category, Criterion } from '#src/core/model/criterion.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import { CRITERIA, ITEMS, makeFramework, OFFERS } from '../support/fixtures.ts';
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
beforeEach(async () => {
  tableName = await aws.newTable();
  repo = new DynamoDbCriteriaRepository({ db: aws.document, tableName, retryDelayMs: () => 0 });
  calls.reset();
});

function draft(id: string, patch: Partial<Criterion> = {}): Omit<Criterion, 'version'> {
  return {
    id,
    category: 'tablet',
    kind: 'technical',
    label: `Critère ${id}`,
    requirement: `Exigence de référence pour ${id}.`,
    metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 32 },
    level: 'minimum',
    authority: { type: 'ministry', reference: 'CARMO 3.0.1' },
    proof: ['datasheet'],
    ...patch,
  };
}

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
  it('creates a criterion at version 1 and reads it back as the latest and as version 1', async () => {
    const stored = await create('tablet.storage.user', { note: 'Guide' });

    expect(stored.version).toBe(1);
    expect(await repo.getLatest('tablet.storage.user')).toEqual(stored);
    expect(await repo.getVersion('tablet.storage.user', 1)).toEqual(stored);
    expect(await repo.listVersions('tablet.storage.user')).toEqual([stored]);
  });

  it('writes a version in three calls: the previous-version check and two conditional puts', async () => {
    await create('tablet.storage.user');
    calls.reset();

    await repo.putNewVersion(draft('tablet.storage.user', { label: 'Stockage, v2' }), 1);

    expect(Object.fromEntries(calls.counts)).toEqual({ GetItem: 1, PutItem: 2 });
  });

  it('keeps every version and makes the last one the latest', async () => {
    await create('tablet.storage.user');
    await repo.putNewVersion(draft('tablet.storage.user', { label: 'Version deux' }), 1);
    await repo.putNewVersion({ ...draft('tablet.storage.user', { label: 'Version trois' }), version: 3 }, 2);

    const history = await repo.listVersions('tablet.storage.user');
    expect(history.map((c) => [c.version, c.label])).toEqual([
      [1, 'Critère tablet.storage.user'],
      [2, 'Version deux'],
      [3, 'Version trois'],
    ]);
    expect((await repo.getLatest('tablet.storage.user')).label).toBe('Version trois');
    expect((await repo.getVersion('tablet.storage.user', 2)).label).toBe('Version deux');
  });

  it('reports a stale expected version as a conflict naming the latest version, and writes nothing', async () => {
    await create('tablet.storage.user');
    await repo.putNewVersion(draft('tablet.storage.user', { label: 'Version deux' }), 1);

    const error = await repo.putNewVersion(draft('tablet.storage.user', { label: 'Lost update?' }), 1).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, actualVersion: 2 });
    expect((await repo.listVersions('tablet.storage.user')).map((c) => c.label)).toEqual([
      'Critère tablet.storage.user',
      'Version deux',
    ]);
  });

  it('refuses to create a criterion that exists, and to skip versions', async () => {
    await create('tablet.storage.user');

    await expect(create('tablet.storage.user')).rejects.toMatchObject({ name: 'VersionConflictError', actualVersion: 1 });
    await expect(repo.putNewVersion(draft('tablet.storage.user'), 5)).rejects.toMatchObject({
      name: 'VersionConflictError',
      actualVersion: 1,
    });
    expect((await repo.listVersions('tablet.storage.user')).map((c) => c.version)).toEqual([1]);
  });

  it('validates the draft and its version number before writing', async () => {
    await expect(repo.putNewVersion({ ...draft('tablet.storage.user'), version: 3 }, 0)).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'version' }],
    });
    await expect(repo.putNewVersion(draft('tablet.storage.user', { label: 'x' }), 0)).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'label' }],
    });
    await expect(repo.putNewVersion(draft('tablet.storage.user'), -1)).rejects.toBeInstanceOf(ValidationError);
    expect(calls.total()).toBe(0);
  });

  it('leaves an existing table and its items alone when ensureTable runs again', async () => {
    const stored = await create('tablet.storage.user');

    await ensureTable(aws.dynamodb, tableName);

    expect(await repo.getLatest('tablet.storage.user')).toEqual(stored);
  });

  it('answers NotFoundError for a missing criterion or version', async () => {
    await create('tablet.storage.user');

    await expect(repo.getLatest('tablet.nothing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.getVersion('tablet.storage.user', 2)).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.getVersion('Not An Id', 1)).rejects.toBeInstanceOf(NotFoundError);
    expect(await repo.listVersions('tablet.nothing')).toEqual([]);
  });

  it('lets exactly one of 50 concurrent editors of the same version win, then chains edits without losing any', async () => {
    await create('tablet.storage.user');

    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, editor) =>
        repo.putNewVersion(draft('tablet.storage.user', { label: `Édition ${editor}` }), 1),
      ),
    );

    const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const loser of losers) expect(loser).toMatchObject({ name: 'VersionConflictError', expectedVersion: 1, actualVersion: 2 });
    expect(await repo.getLatest('tablet.storage.user')).toEqual(winners[0]);

    for (let version = 2; version < 7; version++) {
      const latest = await repo.getLatest('tablet.storage.user');
      expect(latest.version).toBe(version);
      await repo.putNewVersion(draft('tablet.storage.user', { label: `Suite ${version}` }), latest.version);
    }

    const history = await repo.listVersions('tablet.storage.user');
    expect(history.map((c) => c.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(history[1]).toEqual(winners[0]);
    expect(history.slice(2).map((c) => c.label)).toEqual(['Suite 2', 'Suite 3', 'Suite 4', 'Suite 5', 'Suite 6']);
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

  it('pages through a category, visiting every latest criterion exactly once, by id', async () => {
    const tablets = await createMany(23, 'tablet');
    await createMany(5, 'laptop');
    await repo.putNewVersion(draft('tablet.c007', { label: 'Nouvelle version' }), 1);

    const seen: Criterion[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repo.listByCategory('tablet', { limit: 4, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items);
      cursor = page.cursor;
      pages++;
    } while (cursor);

    expect(seen.map((c) => c.id)).toEqual(tablets);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(seen.find((c) => c.id === 'tablet.c007')).toMatchObject({ version: 2, label: 'Nouvelle version' });
    expect((await repo.listByCategory('laptop', { limit: 100 })).items).toHaveLength(5);
    expect(await repo.listByCategory('mdm')).toEqual({ items: [] });
  });

  it('moves a criterion to its new category when a version changes it', async () => {
    await create('device.screen', { category: 'tablet' });
    await repo.putNewVersion(draft('device.screen', { category: 'laptop' }), 1);

    expect((await repo.listByCategory('tablet')).items).toEqual([]);
    expect((await repo.listByCategory('laptop')).items.map((c) => [c.id, c.version])).toEqual([['device.screen', 2]]);
  });

  it('refuses forged, tampered and foreign cursors, and out-of-range limits', async () => {
    await createMany(3, 'tablet');
    await createMany(3, 'laptop');
    const { cursor } = await repo.listByCategory('tablet', { limit: 1 });
    const laptopCursor = (await repo.listByCategory('laptop', { limit: 1 })).cursor!;
    const decoded = JSON.parse(Buffer.from(cursor!, 'base64url').toString()) as Record<string, string>;

    const forged = [
      'not a cursor',
      'eyJ',
      Buffer.from('[1,2]').toString('base64url'),
      laptopCursor,
      encodeCursor({ ...decoded, gsi1pk: 'CATEGORY#laptop' }),
      encodeCursor({ ...decoded, pk: 'TENDER#x' }),
      encodeCursor({ ...decoded, extra: 'x' }),
      encodeCursor({ ...decoded, sk: 'V#0000000001' }),
      'A'.repeat(5000),
    ];
    for (const bad of forged) {
      await expect(repo.listByCategory('tablet', { cursor: bad }), bad).rejects.toMatchObject({
        name: 'ValidationError',
        issues: [{ path: 'cursor' }],
      });
    }
    await expect(repo.listByCategory('tablet', { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.listByCategory('tablet', { limit: 101 })).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.listByCategory('phones' as Category)).rejects.toBeInstanceOf(ValidationError);
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

  it('names the first missing version', async () => {
    await create('tablet.a');

    await expect(repo.batchGetVersions([{ id: 'tablet.a', version: 1 }, { id: 'tablet.a', version: 2 }])).rejects.toMatchObject({
      name: 'NotFoundError',
      id: 'tablet.a@2',
    });
    expect(await repo.batchGetVersions([])).toEqual([]);
  });
});

describe('DynamoDbCriteriaRepository frameworks, items and offers', () => {
  async function createFixtures(): Promise<void> {
    for (const criterion of CRITERIA) {
      for (let version = 1; version <= criterion.version; version++) {
        await repo.putNewVersion({ ...criterion, version }, version - 1);
      }
    }
  }

  it('publishes an immutable framework version, once', async () => {
    await createFixtures();
    const framework = makeFramework();

    expect(await repo.publishFramework(framework)).toEqual(framework);
    expect(await repo.getFramework(framework.id, 1)).toEqual(framework);
    expect(await repo.getLatestFramework(framework.id)).toEqual(framework);

    const again = await repo.publishFramework({ ...framework, title: 'Autre titre' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AlreadyExistsError);
    expect(again).toMatchObject({ code: 'CONFLICT' });
    expect(await repo.getFramework(framework.id, 1)).toEqual(framework);
  });

  it('pins the latest version of criteria named without a version', async () => {
    await createFixtures();
    await repo.putNewVersion({ ...CRITERIA[1]!, version: 2, label: 'Enrôlement, v2' }, 1);
    const base = makeFramework();

    const published = await repo.publishFramework({
      ...base,
      version: 1,
      criteria: base.criteria.map((ref, i) => (i < 2 ? { id: ref.id } : ref)),
    });

    expect(published.criteria.slice(0, 2)).toEqual([
      { id: 'tablet.storage.user', version: 2 },
      { id: 'tablet.mdm.enrolment', version: 2 },
    ]);
  });

  it('refuses unknown criterion versions, a skipped framework version and an unpublished status', async () => {
    await createFixtures();
    const base = makeFramework();

    await expect(
      repo.publishFramework({ ...base, criteria: [...base.criteria.slice(1), { id: 'tablet.storage.user', version: 9 }, { id: 'tablet.ghost' }] }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: `criteria.${base.criteria.length}.id` }, { path: `criteria.${base.criteria.length - 1}.version` }],
    });
    await expect(repo.publishFramework({ ...base, version: 2 })).rejects.toMatchObject({ issues: [{ path: 'version' }] });
    await expect(repo.publishFramework({ ...base, status: 'draft' })).rejects.toMatchObject({ issues: [{ path: 'status' }] });
    await expect(repo.getFramework(base.id, 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists frameworks by their latest version, and the criteria of a framework page by page', async () => {
    await createFixtures();
    const v1 = makeFramework();
    await repo.publishFramework(v1);
    const v2 = await repo.publishFramework({ ...v1, version: 2, title: 'Socle numérique 2027' });
    const other = await repo.publishFramework({ ...v1, id: 'autre-cadre', criteria: v1.criteria.slice(0, 3) });

    expect(await repo.listFrameworks()).toEqual([other, v2]);
    expect(await repo.getLatestFramework(v1.id)).toEqual(v2);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.listByFramework(v1.id, 1, { limit: 5, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((c) => `${c.id}@${c.version}`));
      cursor = page.cursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 3]);
    expect(pages.flat()).toEqual(v1.criteria.map((r) => `${r.id}@${r.version}`));

    const first = await repo.listByFramework(v1.id, 1, { limit: 5 });
    await expect(repo.listByFramework(v1.id, 2, { cursor: first.cursor! })).rejects.toMatchObject({ issues: [{ path: 'cursor' }] });
    await expect(repo.listByFramework(v1.id, 1, { cursor: encodeCursor({ f: `${v1.id}@1`, o: 99 }) })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(repo.listByFramework('inconnu', 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stores and lists catalogue items and offers', async () => {
    await repo.putItems(ITEMS);
    await repo.putOffers(OFFERS);
    await repo.putItems([{ ...ITEMS[0]!, label: 'Tablette, libellé revu' }]);

    const items = await repo.listItems();
    expect(items.map((i) => i.id)).toEqual([...ITEMS.map((i) => i.id)].sort());
    expect(items.find((i) => i.id === ITEMS[0]!.id)!.label).toBe('Tablette, libellé revu');
    expect(await repo.listOffers()).toEqual(OFFERS);
    await expect(repo.putItems([ITEMS[0]!, ITEMS[0]!])).rejects.toMatchObject({ issues: [{ path: 'items.1.id' }] });
  });
});
