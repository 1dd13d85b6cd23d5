import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbTenderRepository } from '#src/adapters/dynamodb/dynamodb-tender-repository.ts';
import { findOrphanDocuments } from '#src/app/find-orphans.ts';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import { tenderRepositoryContract } from '../contracts/tender-repository.contract.ts';
import { countDynamoDbCalls, startLocalAws, type LocalAws } from '../support/local-aws.ts';
import { tenderRecord as record } from '../support/tender-records.ts';

let aws: LocalAws;
let calls: ReturnType<typeof countDynamoDbCalls>;
let tenders: DynamoDbTenderRepository;

beforeAll(async () => {
  aws = await startLocalAws();
  calls = countDynamoDbCalls(aws.dynamodb);
});
afterAll(async () => {
  await aws?.stop();
});

// What every tender repository does, here on a fresh table per test.
tenderRepositoryContract('DynamoDbTenderRepository', async () => new DynamoDbTenderRepository({ db: aws.document, tableName: await aws.newTable() }));

/** Makes the next put of a tender item fail, as if the process died after claiming the idempotency key. */
function failNextTenderPut(): () => void {
  let armed = true;
  const name = `crash-${randomUUID()}`;
  aws.dynamodb.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Item?: { sk?: unknown } };
      if (armed && input.Item?.sk === 'META') {
        armed = false;
        throw new Error('simulated crash before recording the tender');
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => aws.dynamodb.middlewareStack.remove(name);
}

describe('DynamoDbTenderRepository', () => {
  beforeEach(async () => {
    tenders = new DynamoDbTenderRepository({ db: aws.document, tableName: await aws.newTable() });
  });

  it('answers a retry under the same idempotency key with one refused conditional put', async () => {
    const first = record({ idempotencyKey: 'key-1' });
    await tenders.put(first);
    calls.reset();

    const retry = await tenders.put(record({ idempotencyKey: 'key-1' }));

    expect(retry).toEqual({ record: first, created: false });
    expect(calls.counts.get('PutItem')).toBe(1); // the refused claim
  });

  it('completes a claimed tender whose record was never written (crash between the two puts)', async () => {
    const first = record({ idempotencyKey: 'key-crash' });
    const restore = failNextTenderPut();
    await expect(tenders.put(first)).rejects.toThrow(/simulated crash/);
    restore();
    await expect(tenders.get(first.id)).rejects.toBeInstanceOf(NotFoundError);

    const retry = await tenders.put(record({ idempotencyKey: 'key-crash' }));

    expect(retry).toEqual({ record: first, created: false });
    expect(await tenders.get(first.id)).toEqual(first);
    expect((await tenders.listByOwner('buyer-1')).items).toEqual([first]);
  });

  it('also completes it on lookup', async () => {
    const first = record({ idempotencyKey: 'key-lookup' });
    const restore = failNextTenderPut();
    await tenders.put(first).catch(() => undefined);
    restore();

    expect(await tenders.findByIdempotencyKey('buyer-1', 'key-lookup')).toEqual(first);
    expect(await tenders.get(first.id)).toEqual(first);
  });
});

describe('findOrphanDocuments', () => {
  beforeEach(async () => {
    tenders = new DynamoDbTenderRepository({ db: aws.document, tableName: await aws.newTable() });
  });

  it('lists old objects of tenders without a record, never those of recorded or recent tenders', async () => {
    const documents = new S3DocumentStore(aws.s3, aws.bucket);
    const recorded = record();
    const crashed = record();
    const lostRace = record();
    for (const tender of [recorded, crashed, lostRace]) {
      for (const doc of tender.documents) await documents.put(doc.key, new TextEncoder().encode(doc.name), doc.mediaType);
    }
    await tenders.put(recorded);
    const ports = { documents, tenders };

    const orphans = await findOrphanDocuments(ports, { olderThan: new Date(Date.now() + 60_000) });

    expect(orphans.map((o) => o.key)).toEqual([...crashed.documents, ...lostRace.documents].map((d) => d.key).sort());
    expect(await findOrphanDocuments(ports, { olderThan: new Date(Date.now() - 15 * 60_000) })).toEqual([]);
  });
});
