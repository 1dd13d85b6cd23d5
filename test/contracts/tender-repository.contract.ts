/**
 * What every TenderRepository does (src/app/ports/tender-repository.ts), whatever holds the
 * records: run on the DynamoDB adapter (test/integration/dynamodb-tender-repository.test.ts) and
 * on the fake (test/contracts/fakes.test.ts). `create` gives an empty repository for each test.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';
import { AlreadyExistsError, IdempotencyKeyReusedError } from '#src/app/errors.ts';
import { IDEMPOTENCY_KEY_LIFETIME_SECONDS } from '#src/app/collect-garbage.ts';
import { tenderSummary, type TenderRecord } from '#src/app/tender-record.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import { exampleRequest, sha256Of, tenderRecord as record } from '../support/tender-records.ts';

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

export function tenderRepositoryContract(name: string, create: () => Promise<TenderRepository>): void {
  describe(`${name} (TenderRepository contract)`, () => {
    let tenders: TenderRepository;
    beforeEach(async () => {
      tenders = await create();
    });

    it('records a tender once and reads it back', async () => {
      const tender = record();

      expect(await tenders.put(tender)).toEqual({ record: tender, created: true });
      expect(await tenders.get(tender.id)).toEqual(tender);
      await expect(tenders.put({ ...tender, contentHash: sha256Of('other') })).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await tenders.get(tender.id)).toEqual(tender);
      await expect(tenders.get('t-missing-000')).rejects.toBeInstanceOf(NotFoundError);
      await expect(tenders.get('no')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('completes a pending rendering once: ready or failed replaces the record, a second completion or a tender not pending is left alone', async () => {
      const done = record();
      const files = done.documents.map((d) => ({ name: d.name, mediaType: d.mediaType }));
      const pending: TenderRecord = { ...done, documents: [], contentHash: undefined, rendering: { status: 'pending', files } };
      delete pending.contentHash;
      const ready: TenderRecord = { ...done, rendering: { status: 'ready', files, finishedAt: '2026-05-04T09:01:00.000Z' } };
      const failed: TenderRecord = { ...pending, rendering: { status: 'failed', files, finishedAt: '2026-05-04T09:01:00.000Z', reason: 'simulated' } };
      await tenders.put(pending);

      expect(await tenders.completeRendering(ready)).toBe(true);
      expect(await tenders.get(done.id)).toEqual(ready);
      expect(await tenders.completeRendering(failed)).toBe(false);
      expect(await tenders.get(done.id)).toEqual(ready);
      const inline = record({ id: 't-inline-0001' });
      await tenders.put(inline);
      expect(await tenders.completeRendering({ ...inline, rendering: { status: 'ready', files } })).toBe(false);
      expect(await tenders.get(inline.id)).toEqual(inline);
      expect(await tenders.completeRendering({ ...ready, id: 't-absent-0001', documents: ready.documents.map((d) => ({ ...d, key: `tenders/t-absent-0001/${d.name}` })) })).toBe(false);
      await expect(tenders.get('t-absent-0001')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('marks a ready tender’s DCE pieces stored once; a pending tender, another owner’s or date, or a missing tender is left alone', async () => {
      const inline = record();
      const files = inline.documents.map((d) => ({ name: d.name, mediaType: d.mediaType }));
      const pending: TenderRecord = { ...inline, id: 't-pending-dce1', documents: [], rendering: { status: 'pending', files } };
      delete pending.contentHash;
      await tenders.put(inline);
      await tenders.put(pending);
      const marked: TenderRecord = { ...inline, dcePieces: 'stored' };

      expect(await tenders.recordDcePieces({ ...marked, owner: 'buyer-2' })).toBe(false);
      expect(await tenders.recordDcePieces({ ...marked, createdAt: '2026-05-04T10:00:00.000Z' })).toBe(false);
      expect(await tenders.get(inline.id)).toEqual(inline);
      expect(await tenders.recordDcePieces(marked)).toBe(true);
      expect(await tenders.get(inline.id)).toEqual(marked);
      expect(await tenders.recordDcePieces(marked)).toBe(false);
      const readyPending: TenderRecord = { ...inline, id: pending.id, documents: inline.documents.map((d) => ({ ...d, key: `tenders/${pending.id}/${d.name}` })), rendering: { status: 'ready', files }, dcePieces: 'stored' };
      expect(await tenders.recordDcePieces(readyPending)).toBe(false);
      expect(await tenders.get(pending.id)).toEqual(pending);
      expect(await tenders.recordDcePieces({ ...marked, id: 't-absent-0002', documents: inline.documents.map((d) => ({ ...d, key: `tenders/t-absent-0002/${d.name}` })) })).toBe(false);
      await expect(tenders.get('t-absent-0002')).rejects.toBeInstanceOf(NotFoundError);
      await expect(tenders.recordDcePieces(inline)).rejects.toThrow(/dcePieces/);
    });

    it('lists the pending renderings recorded before a date, oldest first, and no longer once they are over', async () => {
      const done = record();
      const files = done.documents.map((d) => ({ name: d.name, mediaType: d.mediaType }));
      const pendingAt = (id: string, createdAt: string): TenderRecord => {
        const r: TenderRecord = { ...done, id, createdAt, documents: [], rendering: { status: 'pending', files } };
        delete r.contentHash;
        return r;
      };
      const early = pendingAt('t-pending-early', '2026-05-04T08:00:00.000Z');
      const late = pendingAt('t-pending-late0', '2026-05-04T08:30:00.000Z');
      const recent = pendingAt('t-pending-recent', '2026-05-04T10:00:00.000Z');
      const finished = pendingAt('t-pending-ready', '2026-05-04T07:00:00.000Z');
      for (const r of [recent, late, early, finished, record({ id: 't-inline-0002', createdAt: '2026-05-04T06:00:00.000Z' })]) await tenders.put(r);
      expect(await tenders.completeRendering({ ...finished, documents: done.documents.map((d) => ({ ...d, key: `tenders/${finished.id}/${d.name}` })), contentHash: done.contentHash, rendering: { status: 'ready', files, finishedAt: '2026-05-04T07:01:00.000Z' } })).toBe(true);

      expect(await all(tenders.listPendingRenderings(new Date('2026-05-04T09:00:00.000Z')))).toEqual([early, late]);
      expect(await all(tenders.listPendingRenderings(new Date('2026-05-04T08:00:00.000Z')))).toEqual([]);
      const failed: TenderRecord = { ...early, rendering: { status: 'failed', files, finishedAt: '2026-05-04T11:00:00.000Z', reason: 'simulated' } };
      expect(await tenders.completeRendering(failed)).toBe(true);
      expect((await all(tenders.listPendingRenderings(new Date('2026-05-04T11:00:00.000Z')))).map((r) => r.id)).toEqual([late.id, recent.id]);
    });

    it('hands out copies: changing a record read or given does not change the stored one', async () => {
      const tender = record();
      await tenders.put(tender);
      tender.documents[0]!.bytes = 1;
      const read = await tenders.get(tender.id);
      read.owner = 'somebody-else';
      read.documents.pop();

      expect((await tenders.get(tender.id)).documents.map((d) => d.bytes)).toEqual([1234, 56]);
      expect((await tenders.get(tender.id)).owner).toBe('buyer-1');
    });

    it('refuses records that do not fit the schema, name documents outside their prefix or exceed the size limit', async () => {
      await expect(tenders.put(record({ owner: 'with space' }))).rejects.toMatchObject({ issues: [{ path: 'owner' }] });
      const stray = record();
      stray.documents[0]!.key = 'tenders/another-tender/cctp.pdf';
      await expect(tenders.put(stray)).rejects.toMatchObject({ issues: [{ path: 'documents' }] });
      const lot = exampleRequest().lots[0];
      const huge = TenderRequestSchema.parse({
        ...exampleRequest(),
        lots: [{ ...lot, customRequirements: Array.from({ length: 20 }, () => ({ label: 'Exigence', requirement: 'x'.repeat(20_000), level: 'minimum' })) }],
      });
      const tooBig = record({ request: huge });
      await expect(tenders.put(tooBig)).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'request' }] });
      expect(await tenders.findExisting([tooBig.id, stray.id])).toEqual(new Set());
    });

    it("lists a caller's tenders newest first, page by page, and nobody else's", async () => {
      const mine: TenderRecord[] = [];
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
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        cursor = page.cursor;
      } while (cursor);

      expect(seen.map((t) => t.id)).toEqual(mine.reverse().map((t) => t.id));
      expect((await tenders.listByOwner('buyer-1')).items).toHaveLength(5);
      const { cursor: foreign } = await tenders.listByOwner('buyer-1', { limit: 1 });
      await expect(tenders.listByOwner('buyer-2', { cursor: foreign! })).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'cursor' }] });
      await expect(tenders.listByOwner('buyer-1', { cursor: 'not a cursor' })).rejects.toMatchObject({ issues: [{ path: 'cursor' }] });
      await expect(tenders.listByOwner('buyer-1', { limit: 0 })).rejects.toMatchObject({ issues: [{ path: 'limit' }] });
      await expect(tenders.listByOwner('buyer-1', { limit: 101 })).rejects.toBeInstanceOf(ValidationError);
      expect(await tenders.listByOwner('nobody')).toEqual({ items: [] });
      expect(await tenders.listByOwner('with space')).toEqual({ items: [] });
    });

    it('lists the same pages summarised, without the requests: same tenders, same cursors, each as tenderSummary gives it', async () => {
      const ready = record({ createdAt: '2026-10-01T09:00:00.000Z' });
      const pending = record({ createdAt: '2026-10-02T09:00:00.000Z', documents: [], contentHash: undefined, rendering: { status: 'pending', files: [{ name: 'cctp.docx', mediaType: 'application/octet-stream' }] } });
      const third = record({ createdAt: '2026-10-03T09:00:00.000Z' });
      for (const tender of [ready, pending, third]) await tenders.put(tender);
      await tenders.put(record({ owner: 'buyer-2' }));

      const first = await tenders.listSummariesByOwner('buyer-1', { limit: 2 });
      const records = await tenders.listByOwner('buyer-1', { limit: 2 });
      const second = await tenders.listSummariesByOwner('buyer-1', { limit: 2, cursor: first.cursor! });

      expect(first).toEqual({ items: records.items.map(tenderSummary), cursor: records.cursor });
      expect(first.items.map((t) => t.id)).toEqual([third.id, pending.id]);
      expect(first.items[1]).toEqual(tenderSummary(pending));
      expect(second).toEqual({ items: [tenderSummary(ready)] });
      expect(first.items[0]).not.toHaveProperty('criteria');
      expect(await tenders.listSummariesByOwner('nobody')).toEqual({ items: [] });
      await expect(tenders.listSummariesByOwner('buyer-2', { cursor: first.cursor! })).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'cursor' }] });
    });

    it('orders tenders of the same instant by id, newest first as well', async () => {
      const same = '2026-10-02T09:00:00.000Z';
      for (const id of ['t-same-b', 't-same-a', 't-same-c']) await tenders.put(record({ id, createdAt: same }));
      await tenders.put(record({ id: 't-same-z', createdAt: '2026-10-01T09:00:00.000Z' }));

      const listed = (await tenders.listByOwner('buyer-1')).items.map((t) => t.id);

      expect(listed).toEqual(['t-same-c', 't-same-b', 't-same-a', 't-same-z']);
    });

    it('returns the first tender to a retry under the same idempotency key, and records nothing new', async () => {
      const first = record({ idempotencyKey: 'key-1' });
      await tenders.put(first);

      const retry = await tenders.put(record({ idempotencyKey: 'key-1' }));

      expect(retry).toEqual({ record: first, created: false });
      expect((await tenders.listByOwner('buyer-1')).items.map((t) => t.id)).toEqual([first.id]);
      expect(await tenders.findByIdempotencyKey('buyer-1', 'key-1')).toEqual(first);
      expect(await tenders.findByIdempotencyKey('buyer-1', 'key-2')).toBeUndefined();
      expect(await tenders.findByIdempotencyKey('with space', 'key-1')).toBeUndefined();
      expect(await tenders.findByIdempotencyKey('buyer-1', '')).toBeUndefined();
    });

    it('refuses a reused idempotency key with a different request, naming the first tender', async () => {
      const first = record({ idempotencyKey: 'key-1' });
      await tenders.put(first);
      const other = record({ idempotencyKey: 'key-1', requestHash: sha256Of('another request') });

      const error = await tenders.put(other).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
      expect(error).toMatchObject({ code: 'CONFLICT', tenderId: first.id });
      expect(await tenders.findExisting([first.id, other.id])).toEqual(new Set([first.id]));
    });

    it('scopes idempotency keys by caller, even when owner and key contain "#"', async () => {
      const a = record({ owner: 'a#b', idempotencyKey: 'c' });
      const b = record({ owner: 'a', idempotencyKey: 'b#c' });
      const c = record({ owner: 'buyer-2', idempotencyKey: 'c' });

      for (const tender of [a, b, c]) expect((await tenders.put(tender)).created).toBe(true);

      expect(await tenders.findByIdempotencyKey('a#b', 'c')).toEqual(a);
      expect(await tenders.findByIdempotencyKey('a', 'b#c')).toEqual(b);
      expect(await tenders.findByIdempotencyKey('buyer-2', 'c')).toEqual(c);
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

    it('finds which ids are recorded, ignoring malformed and repeated ones', async () => {
      const a = record();
      const b = record();
      await tenders.put(a);
      await tenders.put(b);

      expect(await tenders.findExisting([a.id, 'x', a.id, 't-never-recorded', b.id])).toEqual(new Set([a.id, b.id]));
      expect(await tenders.findExisting([])).toEqual(new Set());
    });

    it('lists every claim with its expiry a key lifetime after the tender, and forgets a claim without touching its tender', async () => {
      const keyed = record({ idempotencyKey: 'order-1', createdAt: '2026-10-01T09:00:00.000Z' });
      await tenders.put(keyed);
      await tenders.put(record());

      expect(await all(tenders.listClaims())).toEqual([
        { owner: 'buyer-1', key: 'order-1', tenderId: keyed.id, expiresAt: new Date(Date.parse(keyed.createdAt) + IDEMPOTENCY_KEY_LIFETIME_SECONDS * 1000) },
      ]);

      await tenders.deleteClaim('buyer-1', 'order-1');
      await tenders.deleteClaim('buyer-1', 'never-claimed');

      expect(await all(tenders.listClaims())).toEqual([]);
      expect(await tenders.findByIdempotencyKey('buyer-1', 'order-1')).toBeUndefined();
      expect(await tenders.get(keyed.id)).toEqual(keyed);
    });

    it('answers an identical request after its key was forgotten with the tender recorded then, as a replay', async () => {
      const first = record({ idempotencyKey: 'order-2', createdAt: '2026-01-01T10:00:00.000Z' });
      expect((await tenders.put(first)).created).toBe(true);
      await tenders.deleteClaim('buyer-1', 'order-2');

      const again = await tenders.put({ ...first, createdAt: '2026-03-01T10:00:00.000Z' });

      expect(again).toEqual({ record: first, created: false });
      expect((await tenders.listByOwner('buyer-1')).items).toEqual([first]);
    });

    it('lists the tenders of every owner that pin a framework version, newest first, capped with truncated', async () => {
      const pin = { id: 'carmo-education', version: 2 };
      const older = record({ id: 't-pin-older-01', owner: 'buyer-1', createdAt: '2026-10-01T09:00:00.000Z', framework: pin });
      const newer = record({ id: 't-pin-newer-01', owner: 'buyer-2', createdAt: '2026-10-02T09:00:00.000Z', framework: pin });
      const files = newer.documents.map((d) => ({ name: d.name, mediaType: d.mediaType }));
      const pending: TenderRecord = { ...record({ id: 't-pin-pendi-01', owner: 'buyer-3', createdAt: '2026-10-03T09:00:00.000Z', framework: pin }), documents: [], rendering: { status: 'pending', files } };
      delete pending.contentHash;
      for (const tender of [older, newer, pending, record({ id: 't-pin-other-01', framework: { id: 'carmo-education', version: 1 } }), record({ id: 't-pin-elsew-01', framework: { id: 'carmo-education-bis', version: 2 } })]) {
        await tenders.put(tender);
      }

      expect(await tenders.listPinning(pin, 10)).toEqual({ items: [pending, newer, older], truncated: false });
      expect(await tenders.listPinning(pin, 3)).toEqual({ items: [pending, newer, older], truncated: false });
      expect(await tenders.listPinning(pin, 2)).toEqual({ items: [pending, newer], truncated: true });
      expect(await tenders.listPinning({ id: 'carmo-education', version: 3 }, 10)).toEqual({ items: [], truncated: false });
      // A rendering that ends keeps its tender in the listing, as it now is.
      const ready: TenderRecord = { ...newer, id: pending.id, owner: pending.owner, createdAt: pending.createdAt, documents: newer.documents.map((d) => ({ ...d, key: `tenders/${pending.id}/${d.name}` })), rendering: { status: 'ready', files, finishedAt: '2026-10-03T09:01:00.000Z' } };
      expect(await tenders.completeRendering(ready)).toBe(true);
      expect((await tenders.listPinning(pin, 10)).items).toEqual([ready, newer, older]);
      await expect(tenders.listPinning(pin, 0)).rejects.toBeInstanceOf(RangeError);
      await expect(tenders.listPinning(pin, 101)).rejects.toBeInstanceOf(RangeError);
    });
  });
}
