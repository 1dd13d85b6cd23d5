/**
 * collectGarbage and findOrphanDocuments on fakes, with the clock moved instead of waiting: claims
 * left without their tender are completed before anything is deleted, expired claims are
 * forgotten, old orphans deleted across listing pages, young objects kept, a dry run writes nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { collectGarbage, IDEMPOTENCY_KEY_LIFETIME_SECONDS, ORPHAN_MIN_AGE_SECONDS } from '#src/app/collect-garbage.ts';
import { findOrphanDocuments } from '#src/app/find-orphans.ts';
import { generateTender } from '#src/app/generate-tender.ts';
import { tenderDocumentKey } from '#src/app/tender-record.ts';
import { allTenders, example, fakeWorld, NO_STORED_CATALOGUES, storedObjects, type World } from './world.ts';

const DAY = 86_400_000;

let world: World;
beforeEach(async () => {
  // Three keys per listing page, so that every listing here crosses pages.
  world = await fakeWorld({ listPageSize: 3 });
});

const gc = (dryRun: boolean) => collectGarbage({ ...world, catalogueRecords: NO_STORED_CATALOGUES }, { now: world.clock.now(), dryRun });

async function orphan(tenderId: string, bytes = 3): Promise<string> {
  const key = tenderDocumentKey(tenderId, 'cctp.pdf');
  await world.documents.put(key, new Uint8Array(bytes), 'application/pdf');
  return key;
}

describe('collectGarbage', () => {
  it('completes a claim a crash left without its tender, forgets expired keys and deletes old orphans; a dry run only counts', async () => {
    const live = await generateTender({ request: example('commune'), owner: 'buyer-1' }, world);
    world.tenders.faults.failNext('tender');
    await expect(generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'order-1' }, world)).rejects.toThrow(/simulated failure/);
    const orphans = await Promise.all(Array.from({ length: 7 }, (_, i) => orphan(`orphan-${String(i).padStart(4, '0')}`, i + 1)));
    expect(await allTenders(world, 'buyer-1')).toEqual([live.record.id]);
    world.clock.advance(2 * DAY);

    const dry = await gc(true);

    expect(dry).toEqual({ dryRun: true, claims: 1, claimsCompleted: 1, claimsExpired: 1, orphanObjects: 7, orphanBytes: 28, orphansDeleted: 0, renderingsStalled: 0, renderingsFailed: 0 });
    expect(await allTenders(world, 'buyer-1')).toEqual([live.record.id]);
    expect(await storedObjects(world)).toHaveLength(live.record.documents.length * 2 + 7);

    const done = await gc(false);

    expect(done).toEqual({ ...dry, dryRun: false, orphansDeleted: 7 });
    const crashed = (await allTenders(world, 'buyer-1')).find((id) => id !== live.record.id)!;
    expect((await world.tenders.get(crashed)).idempotencyKey).toBe('order-1');
    expect(await world.tenders.findByIdempotencyKey('buyer-1', 'order-1')).toBeUndefined();
    for (const key of orphans) expect(await world.documents.exists(key)).toBe(false);
    expect((await storedObjects(world)).map((o) => o.key)).toEqual(
      [...live.record.documents, ...(await world.tenders.get(crashed)).documents].map((d) => d.key).sort(),
    );
    expect(await gc(false)).toEqual({ dryRun: false, claims: 0, claimsCompleted: 0, claimsExpired: 0, orphanObjects: 0, orphanBytes: 0, orphansDeleted: 0, renderingsStalled: 0, renderingsFailed: 0 });
  });

  it('keeps objects younger than a day, claims within their lifetime, and the documents of a claim whose tender is not recorded yet', async () => {
    world.tenders.faults.failNext('tender');
    await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k' }, world).catch(() => undefined);
    const young = await orphan('young-000001');
    world.clock.advance(ORPHAN_MIN_AGE_SECONDS * 1000 - 1_000);

    const report = await gc(false);

    expect(report).toMatchObject({ claims: 1, claimsCompleted: 1, claimsExpired: 0, orphanObjects: 0 });
    expect(await world.documents.exists(young)).toBe(true);
    expect(await world.tenders.findByIdempotencyKey('buyer-1', 'k')).toBeDefined();
  });

  it('expires a claim exactly a key lifetime after its tender, and a retry after that makes the same tender again, as a replay', async () => {
    const first = await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k' }, world);
    world.clock.advance(IDEMPOTENCY_KEY_LIFETIME_SECONDS * 1000 - 1);
    expect((await gc(false)).claimsExpired).toBe(0);
    world.clock.advance(1);
    expect((await gc(false)).claimsExpired).toBe(1);

    const again = await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k' }, world);

    expect(again.created).toBe(false);
    expect(again.record.id).toBe(first.record.id);
    expect(again.record.createdAt).toBe(first.record.createdAt);
    expect(await allTenders(world, 'buyer-1')).toEqual([first.record.id]);
  });
});

describe('findOrphanDocuments', () => {
  it('lists, in key order, the objects older than the limit that no tender names, and deletes nothing', async () => {
    const recorded = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['pdf', 'docx'] }, world);
    const keys = [await orphan('zz-orphan-1'), await orphan('aa-orphan-2')];
    world.clock.advance(10_000);
    await orphan('later-orphan');

    const orphans = await findOrphanDocuments(world, { olderThan: new Date(world.clock.now().getTime() - 5_000) });

    expect(orphans.map((o) => o.key)).toEqual([...keys].sort());
    expect(orphans.map((o) => o.bytes)).toEqual([3, 3]);
    expect(await findOrphanDocuments(world, { olderThan: new Date('2026-01-01') })).toEqual([]);
    for (const document of recorded.record.documents) expect(await world.documents.exists(document.key)).toBe(true);
    expect(await storedObjects(world)).toHaveLength(recorded.record.documents.length + 3);
  });
});
