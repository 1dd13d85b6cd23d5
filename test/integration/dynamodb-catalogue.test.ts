import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#src/adapters/dynamodb/table.ts';
import { RepositoryCatalogueReader } from '#src/adapters/stores/repository-catalogue-reader.ts';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { SeedMismatchError, seedCatalogue } from '#src/app/seed-catalogue.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import type { Catalogue } from '#src/core/model/catalogue.ts';
import { snapshotOf } from '#src/core/model/resolve-tender.ts';
import { catalogueReaderContract } from '../contracts/catalogue-reader.contract.ts';
import { catalogueVersionsContract } from '../contracts/catalogue-versions.contract.ts';
import { createDynamoDbClients, createS3Client } from '#src/adapters/aws-clients.ts';
import { DynamoDbAuditLog } from '#src/adapters/dynamodb/dynamodb-audit-log.ts';
import { DynamoDbTenderRepository } from '#src/adapters/dynamodb/dynamodb-tender-repository.ts';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import { countDynamoDbCalls, startLocalAws, type LocalAws } from '../support/local-aws.ts';
import { example, generateFrom, realDeps } from '../support/pipeline.ts';

let aws: LocalAws;
let calls: ReturnType<typeof countDynamoDbCalls>;
let catalogue: Catalogue;
let repo: DynamoDbCriteriaRepository;

beforeAll(async () => {
  aws = await startLocalAws();
  calls = countDynamoDbCalls(aws.dynamodb);
  catalogue = await loadCatalogue(CATALOGUE_DIR);
  repo = new DynamoDbCriteriaRepository({ db: aws.document, tableName: await aws.newTable() });
  await seedCatalogue({ criteria: repo }, catalogue);
});
afterAll(async () => {
  await aws?.stop();
});

const WRITES = ['PutItem', 'BatchWriteItem', 'UpdateItem', 'DeleteItem'];

describe('seedCatalogue', () => {
  it('loads every criterion version, item, offer and framework of the catalogue', async () => {
    const versions = (await Promise.all([...new Set(catalogue.criteria.map((c) => c.id))].map((id) => repo.listVersions(id)))).flat();

    expect(versions).toHaveLength(catalogue.criteria.length);
    expect(await repo.items.listAll()).toEqual(catalogue.items.map((i) => ({ ...i, version: 1 })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(await repo.offers.listAll()).toEqual(catalogue.offers.map((o) => ({ ...o, version: 1 })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect((await repo.listFrameworks()).map((f) => `${f.id}@${f.version}`)).toEqual(['carmo-education@3']);
    expect((await repo.getFramework('carmo-education', 1)).criteria.every((c) => c.version === 1)).toBe(true);
  });

  it('writes nothing when run again', async () => {
    calls.reset();

    const again = await seedCatalogue({ criteria: repo }, catalogue);

    expect(again).toEqual({ criterionVersionsWritten: 0, frameworksPublished: 0, itemsWritten: 0, offersWritten: 0 });
    expect(WRITES.map((op) => calls.counts.get(op) ?? 0)).toEqual([0, 0, 0, 0]);
  });

  it('refuses to seed over a stored criterion version that differs from the catalogue', async () => {
    const changed: Catalogue = {
      ...catalogue,
      criteria: catalogue.criteria.map((c, i) => (i === 0 ? { ...c, label: `${c.label} (modifié)` } : c)),
    };

    await expect(seedCatalogue({ criteria: repo }, changed)).rejects.toBeInstanceOf(SeedMismatchError);
    expect(await repo.getVersion(catalogue.criteria[0]!.id, catalogue.criteria[0]!.version)).toEqual(catalogue.criteria[0]);
  });
});

// What every catalogue reader does, here over a table seeded with the contract's catalogue.
catalogueReaderContract('RepositoryCatalogueReader over DynamoDbCriteriaRepository', async (seeded) => {
  const criteria = new DynamoDbCriteriaRepository({ db: aws.document, tableName: await aws.newTable() });
  await seedCatalogue({ criteria }, seeded);
  return new RepositoryCatalogueReader(criteria);
});

// Item and offer versions end to end: criteria, tenders and the audit trail in a fresh table,
// documents in S3. Its own clients retry: renderings take seconds between two calls, long enough
// for the embedded servers to close an idle keep-alive socket (see below), which the shared
// clients (maxAttempts 1) do not retry.
const retrying: Array<{ destroy(): void }> = [];
afterAll(() => {
  for (const client of retrying) client.destroy();
});
catalogueVersionsContract('DynamoDB and S3', async () => {
  const { client, document } = createDynamoDbClients({ ...aws.config, maxAttempts: 3 });
  const s3 = createS3Client({ ...aws.config, maxAttempts: 3 });
  retrying.push(client, s3);
  const context = { db: document, tableName: await aws.newTable() };
  return {
    criteria: new DynamoDbCriteriaRepository(context),
    tenders: new DynamoDbTenderRepository(context),
    documents: new S3DocumentStore(s3, aws.bucket),
    audit: new DynamoDbAuditLog(context),
  };
});

describe('RepositoryCatalogueReader', () => {
  it('returns the same snapshot as the file catalogue, in four calls', async () => {
    const reader = new RepositoryCatalogueReader(repo);
    calls.reset();

    const snapshot = await reader.snapshot('carmo-education', 1);

    expect(Object.fromEntries(calls.counts)).toEqual({ GetItem: 1, BatchGetItem: 1, Query: 2 });
    const expected = snapshotOf(catalogue, 'carmo-education', 1);
    expect(snapshot).toEqual(expected);
    expect([...snapshot.criteria.keys()]).toEqual([...expected.criteria.keys()]);
  });

  it('feeds generateCctp the same catalogue as the files: identical PDF bytes and report', async () => {
    const fileDeps = await realDeps();
    const request = example('commune');

    // DynamoDB first: a generation takes seconds on a loaded machine, long enough for dynalite to
    // close the client's idle keep-alive socket, which this harness (maxAttempts 1) does not retry.
    const fromDynamo = await generateFrom(request, { ...fileDeps, catalogue: new RepositoryCatalogueReader(repo) });
    const fromFiles = await generateFrom(request, fileDeps);

    expect(Buffer.from(fromDynamo.documents[0]!.content).equals(Buffer.from(fromFiles.documents[0]!.content))).toBe(true);
    expect(fromDynamo.report).toEqual(fromFiles.report);
  });
});

describe('a table seeded before items and offers were versioned', () => {
  /** A seeded table whose items and offers are the old unversioned copies only, as the seed of before wrote them. */
  async function legacyTable(): Promise<DynamoDbCriteriaRepository> {
    const tableName = await aws.newTable();
    const legacy = new DynamoDbCriteriaRepository({ db: aws.document, tableName });
    await seedCatalogue({ criteria: legacy }, catalogue);
    for (const [kind, entries, pk] of [['item', catalogue.items, 'CATALOGUE#ITEM'], ['offer', catalogue.offers, 'CATALOGUE#OFFER']] as const) {
      for (const entry of entries) {
        await aws.document.send(new DeleteCommand({ TableName: tableName, Key: keys.entryVersion(kind, entry.id, 1) }));
        await aws.document.send(new PutCommand({ TableName: tableName, Item: { pk, sk: entry.id, entity: kind, data: entry } }));
      }
    }
    return legacy;
  }

  it('still resolves every framework from the old copies, as version 1', async () => {
    const legacy = await legacyTable();
    expect(await legacy.items.listAll()).toHaveLength(catalogue.items.length);
    const [first] = catalogue.items;
    expect(await legacy.items.listVersions(first!.id)).toEqual([{ ...first!, version: 1 }]);
    expect(await legacy.items.getLatest(first!.id)).toEqual({ ...first!, version: 1 });
    expect(await new RepositoryCatalogueReader(legacy).snapshot('carmo-education', 1)).toEqual(snapshotOf(catalogue, 'carmo-education', 1));
  });

  it('turns every copy into version 1 before an editor’s first version 2, so old frameworks keep resolving', async () => {
    const legacy = await legacyTable();
    const [first] = catalogue.items;
    const written = await legacy.items.putNewVersion({ ...first!, label: `${first!.label} (modifié)` }, 1);

    expect(written.version).toBe(2);
    const all = await legacy.items.listAll();
    expect(all.filter((i) => i.version === 1)).toHaveLength(catalogue.items.length);
    expect(await new RepositoryCatalogueReader(legacy).snapshot('carmo-education', 1)).toEqual(snapshotOf(catalogue, 'carmo-education', 1));
  });
});
