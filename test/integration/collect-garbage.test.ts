/**
 * collectGarbage and `cahier gc` against dynalite and s3rver (issue 11, defects 7 and 11): a claim
 * whose tender item a crash left unwritten is completed before anything is deleted, expired
 * claims are forgotten, and orphan objects are found and deleted beyond one listing page (1 000
 * keys, continuation tokens), with --dry-run writing nothing.
 */
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCatalogueRecords } from '#src/adapters/dynamodb/dynamodb-catalogue-records.ts';
import { DynamoDbTenderRepository } from '#src/adapters/dynamodb/dynamodb-tender-repository.ts';
import { keys, TTL_ATTRIBUTE } from '#src/adapters/dynamodb/table.ts';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import { findOrphanDocuments } from '#src/app/find-orphans.ts';
import { collectGarbage, IDEMPOTENCY_KEY_LIFETIME_SECONDS, ORPHAN_MIN_AGE_SECONDS, type GarbageReport } from '#src/app/collect-garbage.ts';
import { STALLED_RENDERING_REASON } from '#src/app/fail-stalled-renderings.ts';
import { tenderDocumentKey, type TenderRecord } from '#src/app/tender-record.ts';
import { runCli } from '#src/entry/cli.ts';
import { reportKey, uploadedFileKey } from '#src/app/stored-catalogues.ts';
import type { StoredCatalogue } from '#src/core/model/stored-catalogue.ts';
import { startLocalAws, type LocalAws } from '../support/local-aws.ts';
import { captureTelemetry } from '../support/telemetry.ts';
import { createGcHandler, RENDERINGS_SWEEP_EVENT } from '#src/adapters/schedule/gc-handler.ts';
import { METRICS } from '#src/adapters/observability/metric-names.ts';

let aws: LocalAws;
let tableName: string;
let tenders: DynamoDbTenderRepository;
let documents: S3DocumentStore;
let catalogueRecords: DynamoDbCatalogueRecords;

beforeAll(async () => {
  aws = await startLocalAws();
  tableName = await aws.newTable();
  tenders = new DynamoDbTenderRepository({ db: aws.document, tableName });
  documents = new S3DocumentStore(aws.s3, aws.bucket);
  catalogueRecords = new DynamoDbCatalogueRecords({ db: aws.document, tableName });
});
afterAll(async () => {
  await aws?.stop();
});

const HASH = 'a'.repeat(64);

function record(id: string, options: { key?: string; createdAt?: string } = {}): TenderRecord {
  return {
    id,
    owner: 'buyer-1',
    createdAt: options.createdAt ?? new Date().toISOString(),
    ...(options.key ? { idempotencyKey: options.key } : {}),
    requestHash: HASH,
    request: {
      buyer: { name: 'Commune de Test', type: 'municipality' },
      title: 'Tablettes',
      framework: { id: 'carmo-education', version: 1 },
      procedure: 'adapted',
      contract: { form: 'ordinary' },
      consultationDate: '2026-05-01',
      lots: [{ title: 'Lot', items: [{ itemId: 'tablet', quantity: 1 }], estimatedUnitPrices: {}, overrides: [], customRequirements: [], deliverySites: [] }],
      awardCriteria: [],
      variants: { allowed: false },
      options: [],
    },
    framework: { id: 'carmo-education', version: 1 },
    criteria: [],
    documents: [{ name: 'cctp.pdf', mediaType: 'application/pdf', key: tenderDocumentKey(id, 'cctp.pdf'), bytes: 3, sha256: HASH }],
    contentHash: HASH,
  };
}

function storedCatalogue(id: string, fileKey: string, reportKeys: string[]): StoredCatalogue {
  return {
    id,
    owner: 'manager-1',
    name: 'Catalogue',
    framework: { id: 'carmo-education', version: 1, reference: '' },
    file: { sha256: 'b'.repeat(64), bytes: 3, format: 'csv', key: fileKey },
    totals: { total: 0, conform: 0, 'not-conform': 0, undeclared: 0, 'needs-evidence': 0, shareConform: 0 },
    reports: reportKeys.map((key) => ({ format: key.endsWith('.pdf') ? ('pdf' as const) : ('json' as const), key, bytes: 3, sha256: HASH })),
    createdAt: new Date().toISOString(),
  };
}

async function putAll(keysToPut: string[]): Promise<void> {
  for (let i = 0; i < keysToPut.length; i += 25) {
    await Promise.all(keysToPut.slice(i, i + 25).map((k) => documents.put(k, new Uint8Array([1, 2, 3]), 'application/pdf')));
  }
}

async function count(prefix = 'tenders/'): Promise<number> {
  let n = 0;
  for await (const _ of documents.list(prefix)) n++;
  return n;
}

describe('collectGarbage', () => {
  it('completes claims, forgets expired keys and deletes orphans beyond one listing page; a dry run writes nothing', async () => {
    // A tender recorded normally, and one whose tender item a crash left unwritten (claim only).
    await putAll([tenderDocumentKey('livetender01', 'cctp.pdf'), tenderDocumentKey('crashedclaim01', 'cctp.pdf')]);
    await tenders.put(record('livetender01'));
    await tenders.put(record('crashedclaim01', { key: 'order-1' }));
    await aws.document.send(new DeleteCommand({ TableName: tableName, Key: keys.tender('crashedclaim01') }));
    // A deferred rendering whose job never finished, one of its files stored by a dead attempt.
    const stalled = { ...record('pendingrender01'), documents: [], rendering: { status: 'pending' as const, files: [{ name: 'cctp.docx', mediaType: 'application/octet-stream' }] } };
    delete (stalled as Partial<TenderRecord>).contentHash;
    await tenders.put(stalled);
    await putAll([tenderDocumentKey('pendingrender01', 'cctp.docx')]);
    // 1 001 orphans: more than the 1 000 keys of one ListObjectsV2 page.
    const orphanKeys = Array.from({ length: 1_001 }, (_, i) => tenderDocumentKey(`orphan${String(i).padStart(5, '0')}`, 'cctp.pdf'));
    await putAll(orphanKeys);
    expect(await count()).toBe(1_004);
    // The claim carries its TTL attribute, a key lifetime after the tender's date.
    const claim = await aws.document.send(new GetCommand({ TableName: tableName, Key: keys.idempotency('buyer-1', 'order-1') }));
    expect(claim.Item?.[TTL_ATTRIBUTE]).toBe(Math.floor(Date.parse(claim.Item!.data.createdAt) / 1000) + IDEMPOTENCY_KEY_LIFETIME_SECONDS);

    // Two days later, every object is older than a day and the claim has expired.
    const later = new Date(Date.now() + 2 * 86_400_000);
    const dry = await collectGarbage({ tenders, documents, catalogueRecords }, { now: later, dryRun: true });
    expect(dry).toEqual({ dryRun: true, claims: 1, claimsCompleted: 1, claimsExpired: 1, orphanObjects: 1_001, orphanBytes: 3_003, orphansDeleted: 0, renderingsStalled: 1, renderingsFailed: 0 });
    expect(await count()).toBe(1_004);
    expect((await tenders.get('pendingrender01')).rendering?.status).toBe('pending');
    expect(await tenders.findExisting(['crashedclaim01'])).toEqual(new Set());

    const done = await collectGarbage({ tenders, documents, catalogueRecords }, { now: later, dryRun: false });
    expect(done).toEqual({ dryRun: false, claims: 1, claimsCompleted: 1, claimsExpired: 1, orphanObjects: 1_001, orphanBytes: 3_003, orphansDeleted: 1_001, renderingsStalled: 1, renderingsFailed: 1 });
    expect(await count()).toBe(2);
    expect((await tenders.get('pendingrender01')).rendering).toMatchObject({ status: 'failed', reason: STALLED_RENDERING_REASON, cause: 'stalled', finishedAt: later.toISOString() });
    expect((await tenders.get('crashedclaim01')).idempotencyKey).toBe('order-1');
    expect(await tenders.findByIdempotencyKey('buyer-1', 'order-1')).toBeUndefined();
    expect(await collectGarbage({ tenders, documents, catalogueRecords }, { now: later, dryRun: false })).toMatchObject({ claims: 0, orphanObjects: 0, renderingsStalled: 0 });
    // About 2 000 s3rver requests (puts, paged listings, deletes): seconds on a quiet machine, more on a loaded one.
  }, 240_000);

  it('keeps objects younger than a day, and the documents of a claim whose tender is not recorded yet', async () => {
    await putAll([tenderDocumentKey('inflight0001', 'cctp.pdf')]);
    const report = await collectGarbage({ tenders, documents, catalogueRecords }, { now: new Date(), dryRun: false });
    expect(report.orphansDeleted).toBe(0);
    expect(await count('tenders/inflight0001/')).toBe(1);
  });

  it('deletes old catalogue reports whose record is missing, keeps recorded and young ones, and never an uploaded file', async () => {
    const reports = (id: string) => [reportKey(id, 'json'), reportKey(id, 'pdf')];
    const file = uploadedFileKey('b'.repeat(64), 'csv');
    await putAll([...reports('catrecorded1'), ...reports('catorphan001'), file]);
    await catalogueRecords.put(storedCatalogue('catrecorded1', file, reports('catrecorded1')));
    const later = new Date(Date.now() + 2 * 86_400_000);

    // Earlier cases may leave tender orphans in the shared bucket: counted apart.
    const tenderOrphans = (await findOrphanDocuments({ tenders, documents }, { olderThan: new Date(later.getTime() - ORPHAN_MIN_AGE_SECONDS * 1000) })).length;
    const dry = await collectGarbage({ tenders, documents, catalogueRecords }, { now: later, dryRun: true });
    expect(dry).toMatchObject({ orphanObjects: tenderOrphans + 2, orphanBytes: (tenderOrphans + 2) * 3, orphansDeleted: 0 });
    expect(await count('catalogues/')).toBe(5);
    // Fresh (an upload may still be writing its record): kept, whatever its record.
    expect(await collectGarbage({ tenders, documents, catalogueRecords }, { now: new Date(), dryRun: false })).toMatchObject({ orphansDeleted: 0 });
    expect(await count('catalogues/')).toBe(5);

    const done = await collectGarbage({ tenders, documents, catalogueRecords }, { now: later, dryRun: false });
    expect(done).toMatchObject({ orphanObjects: tenderOrphans + 2, orphansDeleted: tenderOrphans + 2 });
    expect(await count('catalogues/reports/catorphan001/')).toBe(0);
    expect(await count('catalogues/reports/catrecorded1/')).toBe(2);
    // The uploaded file stays even once no record names it: files are shared by hash.
    await catalogueRecords.delete('catrecorded1');
    await collectGarbage({ tenders, documents, catalogueRecords }, { now: later, dryRun: false });
    expect(await documents.exists(file)).toBe(true);
    expect(await count('catalogues/reports/')).toBe(0);
  });

  it('an identical request after its key expired gets the tender recorded then, as a replay', async () => {
    const first = record('replayed0001', { key: 'order-2', createdAt: '2026-01-01T10:00:00.000Z' });
    expect((await tenders.put(first)).created).toBe(true);
    await tenders.deleteClaim('buyer-1', 'order-2');
    const again = await tenders.put({ ...first, createdAt: '2026-03-01T10:00:00.000Z' });
    expect(again.created).toBe(false);
    expect(again.record.createdAt).toBe('2026-01-01T10:00:00.000Z');
  });
});

describe('cahier gc', () => {
  it('--dry-run reports what it would clean, over the given endpoints', async () => {
    await putAll([tenderDocumentKey('orphanforcli', 'cctp.pdf')]);
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) };
    const env = { DYNAMODB_ENDPOINT: aws.config.dynamodbEndpoint, S3_ENDPOINT: aws.config.s3Endpoint, TABLE_NAME: tableName, BUCKET_NAME: aws.bucket, AWS_REGION: 'eu-west-3' };
    const code = await runCli(['gc', '--dry-run'], io, env);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('Nettoyage à blanc');
    expect(await count('tenders/orphanforcli/')).toBe(1);
    expect(await runCli(['gc', '--bogus'], io, env)).toBe(2);
  });
});

describe('the scheduled gc function', () => {
  it('deletes what collectGarbage finds and reports every count as a metric, zeros included, with one log line', async () => {
    await putAll([tenderDocumentKey('orphanforgcfn', 'cctp.pdf')]);
    const { telemetry, logs, metrics } = captureTelemetry();
    const later = new Date(Date.now() + 2 * 86_400_000);

    const report = (await createGcHandler({ tenders, documents, catalogueRecords, clock: { now: () => later } }, telemetry)({}, { awsRequestId: 'gc-1' })) as GarbageReport;

    expect(report.orphansDeleted).toBeGreaterThanOrEqual(1);
    expect(await count('tenders/orphanforgcfn/')).toBe(0);
    expect(Object.fromEntries(metrics.map((m) => [m.name, m.value]))).toEqual({
      [METRICS.gcOrphanObjects]: report.orphanObjects,
      [METRICS.gcOrphanBytes]: report.orphanBytes,
      [METRICS.gcOrphansDeleted]: report.orphansDeleted,
      [METRICS.gcClaimsCompleted]: report.claimsCompleted,
      [METRICS.gcClaimsExpired]: report.claimsExpired,
      [METRICS.gcRenderingsStalled]: report.renderingsStalled,
      [METRICS.gcRenderingsFailed]: report.renderingsFailed,
    });
    expect(logs).toEqual([expect.objectContaining({ level: 'info', message: 'gc', function: 'gc', lambdaRequestId: 'gc-1', orphansDeleted: report.orphansDeleted })]);
  });

  it('hourly, records failed the renderings pending past the stage bound and does nothing else', async () => {
    const stalled = { ...record('pendinghourly1'), documents: [], rendering: { status: 'pending' as const, files: [{ name: 'cctp.docx', mediaType: 'application/octet-stream' }] } };
    delete (stalled as Partial<TenderRecord>).contentHash;
    await tenders.put(stalled);
    await putAll([tenderDocumentKey('orphanhourly1', 'cctp.pdf')]);
    const { telemetry, logs, metrics } = captureTelemetry();
    const gc = createGcHandler({ tenders, documents, catalogueRecords, clock: { now: () => new Date(Date.now() + 600_000) } }, telemetry, { pendingRenderingMaxAgeSeconds: 300 });

    const report = await gc(RENDERINGS_SWEEP_EVENT, { awsRequestId: 'gc-2' });

    expect(report).toEqual({ sweep: 'renderings', renderingsStalled: 1, renderingsFailed: 1 });
    expect((await tenders.get('pendinghourly1')).rendering).toMatchObject({ status: 'failed', reason: STALLED_RENDERING_REASON, cause: 'stalled' });
    expect(await count('tenders/orphanhourly1/')).toBe(1);
    expect(Object.fromEntries(metrics.map((m) => [m.name, m.value]))).toEqual({ [METRICS.gcRenderingsStalled]: 1, [METRICS.gcRenderingsFailed]: 1 });
    expect(logs).toEqual([expect.objectContaining({ level: 'info', message: 'gc', sweep: 'renderings', lambdaRequestId: 'gc-2' })]);
  });

  it('logs and rethrows a failure, so that Lambda counts an error and EventBridge retries', async () => {
    const { telemetry, logs, metrics } = captureTelemetry();
    const failing = { ...documents, list: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('AccessDenied')) }) }) };

    await expect(createGcHandler({ tenders, documents: failing as unknown as S3DocumentStore, catalogueRecords, clock: { now: () => new Date() } }, telemetry)()).rejects.toThrow('AccessDenied');

    expect(logs).toEqual([expect.objectContaining({ level: 'error', message: 'fault', function: 'gc' })]);
    expect(metrics).toEqual([]);
  });
});
