import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbTenderRepository } from '#src/adapters/dynamodb/dynamodb-tender-repository.ts';
import { findOrphanDocuments } from '#src/app/find-orphans.ts';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';
import { tenderDocumentKey, type TenderRecord } from '#src/app/tender-record.ts';
import { AlreadyExistsError, IdempotencyKeyReusedError } from '#src/app/errors.ts';
import { countDynamoDbCalls, startLocalAws, type LocalAws } from '../support/local-aws.ts';

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
beforeEach(async () => {
  tenders = new DynamoDbTenderRepository({ db: aws.document, tableName: await aws.newTable() });
});

/** The commune example request, read directly: these tests need no renderer. */
function example(): Record<string, any> {
  return JSON.parse(readFileSync(new URL('../../examples/commune-rurale-classe-mobile.json', import.meta.url), 'utf8'));
}
const REQUEST = TenderRequestSchema.parse(example());
const hash = (text: string) => createHash('sha256').update(text).digest('hex');

function record(patch: Partial<TenderRecord> = {}): TenderRecord {
  const id = patch.id ?? `t-${randomUUID()}`;
  return {
    id,
    owner: 'buyer-1',
    createdAt: '2026-10-01T09:00:00.000Z',
    requestHash: hash(JSON.stringify(REQUEST)),
    request: REQUEST,
    framework: { id: 'carmo-education', version: 1 },
    criteria: [{ id: 'tablet.storage.user', version: 1 }],
    documents: [
      { name: 'cctp.pdf', mediaType: 'application/pdf', key: tenderDocumentKey(id, 'cctp.pdf'), bytes: 1234, sha256: hash('pdf') },
      { name: 'report.json', mediaType: 'application/json', key: tenderDocumentKey(id, 'report.json'), bytes: 56, sha256: hash('report') },
    ],
    contentHash: hash('content'),
    ...patch,
  };
}

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
  it('records a tender once and reads it back', async () => {
    const tender = record();

    expect(await tenders.put(tender)).toEqual({ record: tender, created: true });
    expect(await tenders.get(tender.id)).toEqual(tender);
    await expect(tenders.put({ ...tender, contentHash: hash('other') })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await tenders.get(tender.id)).toEqual(tender);
    await expect(tenders.get('t-missing-000')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses records that do not fit the schema or name documents outside their prefix', async () => {
    await expect(tenders.put(record({ owner: 'with space' }))).rejects.toMatchObject({ issues: [{ path: 'owner' }] });
    const stray = record();
    stray.documents[0]!.key = 'tenders/another-tender/cctp.pdf';
    await expect(tenders.put(stray)).rejects.toMatchObject({ issues: [{ path: 'documents' }] });
    const huge = TenderRequestSchema.parse({
      ...example(),
      lots: [{ ...example().lots[0], customRequirements: Array.from({ length: 20 }, () => ({ label: 'Exigence', requirement: 'x'.repeat(20_000), level: 'minimum' })) }],
    });
    await expect(tenders.put(record({ request: huge }))).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'request' }] });
  });

  it("lists a caller's tenders newest first, page by page, and nobody else's", async () => {
    const mine = [];
    for (let day = 1; day <= 5; day++) {
      const tender = record({ createdAt: `2026-10-0${day}T09:00:00.000Z` });
      await tenders.put(tender);
      mine.push(tender);
    }
    await tenders.put(record({ owner: 'buyer-2' }));

    const seen: TenderRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await tenders.listByOwner('buyer-1', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.cursor;
    } while (cursor);

    expect(seen.map((t) => t.id)).toEqual(mine.reverse().map((t) => t.id));
    const { cursor: foreign } = await tenders.listByOwner('buyer-1', { limit: 1 });
    await expect(tenders.listByOwner('buyer-2', { cursor: foreign! })).rejects.toBeInstanceOf(ValidationError);
    expect(await tenders.listByOwner('nobody')).toEqual({ items: [] });
  });

  it('returns the first tender to a retry under the same idempotency key, and writes nothing', async () => {
    const first = record({ idempotencyKey: 'key-1' });
    await tenders.put(first);
    calls.reset();

    const retry = await tenders.put(record({ idempotencyKey: 'key-1' }));

    expect(retry).toEqual({ record: first, created: false });
    expect(calls.counts.get('PutItem')).toBe(1); // the refused claim
    expect((await tenders.listByOwner('buyer-1')).items.map((t) => t.id)).toEqual([first.id]);
    expect(await tenders.findByIdempotencyKey('buyer-1', 'key-1')).toEqual(first);
    expect(await tenders.findByIdempotencyKey('buyer-1', 'key-2')).toBeUndefined();
  });

  it('refuses a reused idempotency key with a different request', async () => {
    const first = record({ idempotencyKey: 'key-1' });
    await tenders.put(first);

    const error = await tenders.put(record({ idempotencyKey: 'key-1', requestHash: hash('another request') })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
    expect(error).toMatchObject({ code: 'CONFLICT', tenderId: first.id });
  });

  it('scopes idempotency keys by caller, even when owner and key contain "#"', async () => {
    const a = record({ owner: 'a#b', idempotencyKey: 'c' });
    const b = record({ owner: 'a', idempotencyKey: 'b#c' });
    const c = record({ owner: 'buyer-2', idempotencyKey: 'c' });

    for (const tender of [a, b, c]) expect((await tenders.put(tender)).created).toBe(true);

    expect(await tenders.findByIdempotencyKey('a#b', 'c')).toEqual(a);
    expect(await tenders.findByIdempotencyKey('a', 'b#c')).toEqual(b);
  });

  it('records one tender when ten retries race with the same key', async () => {
    const attempts = Array.from({ length: 10 }, () => record({ idempotencyKey: 'race' }));

    const results = await Promise.all(attempts.map((attempt) => tenders.put(attempt)));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!.record;
    for (const result of results) expect(result.record).toEqual(winner);
    expect((await tenders.listByOwner('buyer-1')).items).toEqual([winner]);
    expect(await tenders.findExisting(attempts.map((a) => a.id))).toEqual(new Set([winner.id]));
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
