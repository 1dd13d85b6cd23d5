import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTenderRepository, tenderPinAttributes } from '#src/adapters/dynamodb/dynamodb-tender-repository.ts';
import { backfillIndexAttributes } from '#src/adapters/dynamodb/index-backfill.ts';
import { GSI2_SUMMARIES, keys } from '#src/adapters/dynamodb/table.ts';
import { tenderSummary, type TenderRecord } from '#src/app/tender-record.ts';
import { findOrphanDocuments } from '#src/app/find-orphans.ts';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import { tenderRepositoryContract } from '../contracts/tender-repository.contract.ts';
import { countDynamoDbCalls, startLocalAws, writeAfterFirstScan, type LocalAws } from '../support/local-aws.ts';
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

describe('the summaries index (GSI2_SUMMARIES)', () => {
  let context: { db: LocalAws['document']; tableName: string };
  beforeEach(async () => {
    context = { db: aws.document, tableName: await aws.newTable() };
    tenders = new DynamoDbTenderRepository(context);
  });

  const READY: TenderRecord['rendering'] = { status: 'ready', files: [{ name: 'cctp.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }], finishedAt: '2026-10-02T09:01:00.000Z' };

  /** A tender item as written before items carried `summary`: keys, pin and record only. */
  const storedBeforeSummaries = (tender: TenderRecord) => ({
    ...keys.tender(tender.id),
    entity: 'tender',
    gsi2pk: keys.ownerPartition(tender.owner),
    gsi2sk: `${tender.createdAt}#${tender.id}`,
    ...tenderPinAttributes(tender),
    data: tender,
  });

  it('holds each tender’s keys and summary and nothing of its record, and a listing reads it alone', async () => {
    const tender = record({ createdAt: '2026-10-03T09:00:00.000Z' });
    await tenders.put(tender);
    const indexed = await aws.document.send(
      new QueryCommand({ TableName: context.tableName, IndexName: GSI2_SUMMARIES, KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': keys.ownerPartition('buyer-1') } }),
    );
    expect(indexed.Items).toHaveLength(1);
    expect(Object.keys(indexed.Items![0]!).sort()).toEqual(['entity', 'gsi2pk', 'gsi2sk', 'pk', 'sk', 'summary']);
    expect(indexed.Items![0]!.summary).toEqual(tenderSummary(tender));
    calls.reset();
    const queried: unknown[] = [];
    const name = 'index-queried';
    aws.document.middlewareStack.add((next) => async (args) => (queried.push((args.input as { IndexName?: string }).IndexName), next(args)), { step: 'initialize', name });

    expect(await tenders.listSummariesByOwner('buyer-1')).toEqual({ items: [tenderSummary(tender)] });
    aws.document.middlewareStack.remove(name);
    expect(Object.fromEntries(calls.counts)).toEqual({ Query: 1 });
    expect(queried).toEqual([GSI2_SUMMARIES]);
  });

  it('lists tenders stored before their summary from the table (one BatchGetItem a page), and from the index alone once backfilled; a second backfill writes nothing', async () => {
    const older = [record({ createdAt: '2026-10-01T09:00:00.000Z' }), record({ createdAt: '2026-10-02T09:00:00.000Z', rendering: READY })];
    for (const tender of older) await aws.document.send(new PutCommand({ TableName: context.tableName, Item: storedBeforeSummaries(tender) }));
    const newer = record({ createdAt: '2026-10-03T09:00:00.000Z' });
    await tenders.put(newer);
    const expected = [newer, older[1]!, older[0]!].map(tenderSummary);
    calls.reset();

    expect(await tenders.listSummariesByOwner('buyer-1')).toEqual({ items: expected });
    expect(Object.fromEntries(calls.counts)).toEqual({ Query: 1, BatchGetItem: 1 });
    const page = await tenders.listSummariesByOwner('buyer-1', { limit: 2 });
    expect(await tenders.listSummariesByOwner('buyer-1', { limit: 2, cursor: page.cursor! })).toEqual({ items: [expected[2]] });

    expect(await backfillIndexAttributes(context)).toEqual({ tenders: 2, drafts: 0 });
    calls.reset();
    expect(await tenders.listSummariesByOwner('buyer-1')).toEqual({ items: expected });
    expect(Object.fromEntries(calls.counts)).toEqual({ Query: 1 });
    for (const tender of older) expect(await tenders.get(tender.id)).toEqual(tender);
    expect(await backfillIndexAttributes(context)).toEqual({ tenders: 0, drafts: 0 });
  });

  it('leaves a tender rewritten since the backfill read it to its writer (the write is conditional on no summary yet)', async () => {
    const tender = record({ rendering: READY });
    await aws.document.send(new PutCommand({ TableName: context.tableName, Item: storedBeforeSummaries(tender) }));
    const marked: TenderRecord = { ...tender, dcePieces: 'stored' };
    // The DCE's pieces are recorded between the backfill's Scan and its write.
    writeAfterFirstScan(aws.document, async () => expect(await tenders.recordDcePieces(marked)).toBe(true));

    expect(await backfillIndexAttributes(context)).toEqual({ tenders: 0, drafts: 0 });
    expect(await tenders.get(tender.id)).toEqual(marked);
    expect((await tenders.listSummariesByOwner('buyer-1')).items).toEqual([tenderSummary(marked)]);
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
