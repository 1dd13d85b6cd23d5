/**
 * failStalledRenderings on fakes (issue #19 follow-up), with the clock moved instead of waiting:
 * a deferred rendering whose job never ran is recorded failed, with a reason for the buyer, once
 * it has been pending longer than the bound, and the files a dead attempt stored are deleted; a
 * rendering that finished between the gc's listing and its write is left as it finished.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '#src/app/collect-garbage.ts';
import { failStalledRenderings, PENDING_RENDERING_MAX_AGE_SECONDS, STALLED_RENDERING_REASON } from '#src/app/fail-stalled-renderings.ts';
import { generateTender, getTender, type DeferredRendering } from '#src/app/generate-tender.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import { renderDeferredDocuments } from '#src/app/render-deferred.ts';
import { documentStatuses, tenderDocumentKey } from '#src/app/tender-record.ts';
import { OFFICE_FORMATS } from '#src/adapters/render/formats.ts';
import { example, fakeWorld, NO_STORED_CATALOGUES, storedObjects, type World } from './world.ts';

const buyer = { owner: 'buyer-1', readsAllTenders: false };
/** Jobs that are never delivered: the rendering stays pending until the gc ends it. */
const lostJobs: DeferredRendering = { formats: OFFICE_FORMATS, jobs: { submit: async () => undefined } };

let world: World;
beforeEach(async () => {
  world = await fakeWorld();
});

async function pendingTender(): Promise<string> {
  const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['docx', 'pdf'] }, { ...world, deferred: lostJobs });
  expect(record.rendering?.status).toBe('pending');
  return record.id;
}

const sweep = (dryRun = false, ports: Parameters<typeof failStalledRenderings>[0] = world) => failStalledRenderings(ports, { now: world.clock.now(), dryRun });

describe('failStalledRenderings', () => {
  it('leaves a rendering pending up to the bound, then records it failed with the cause stalled (the web app explains it in French) and deletes what a dead attempt stored', async () => {
    const id = await pendingTender();
    const partial = tenderDocumentKey(id, 'cctp.docx');
    await world.documents.put(partial, new Uint8Array(5), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    world.clock.advance(PENDING_RENDERING_MAX_AGE_SECONDS * 1000);

    expect(await sweep()).toEqual({ stalled: 0, failed: 0, finishedMeanwhile: 0 });
    expect((await getTender(id, buyer, world)).rendering?.status).toBe('pending');
    world.clock.advance(1);
    expect(await sweep(true)).toEqual({ stalled: 1, failed: 0, finishedMeanwhile: 0 });
    expect((await getTender(id, buyer, world)).rendering?.status).toBe('pending');
    expect(await world.documents.exists(partial)).toBe(true);

    expect(await sweep()).toEqual({ stalled: 1, failed: 1, finishedMeanwhile: 0 });

    const failed = await getTender(id, buyer, world);
    expect(failed.rendering).toMatchObject({ status: 'failed', finishedAt: world.clock.now().toISOString(), reason: STALLED_RENDERING_REASON, cause: 'stalled' });
    expect(documentStatuses(failed).map((f) => f.status)).toEqual(['failed', 'failed', 'failed']);
    expect(await storedObjects(world)).toEqual([]);
    expect(await sweep()).toEqual({ stalled: 0, failed: 0, finishedMeanwhile: 0 });
  });

  it('leaves alone a rendering that finishes between the listing and the write: not overwritten, its files kept', async () => {
    const id = await pendingTender();
    world.clock.advance(PENDING_RENDERING_MAX_AGE_SECONDS * 1000 + 1);
    // The late job finishes after the gc has read the tender as pending, before the gc writes.
    const racing: Pick<TenderRepository, 'listPendingRenderings' | 'completeRendering'> = {
      listPendingRenderings: async function* (before) {
        for await (const record of world.tenders.listPendingRenderings(before)) {
          expect(await renderDeferredDocuments(record.id, world)).toBe('ready');
          yield record;
        }
      },
      completeRendering: (record) => world.tenders.completeRendering(record),
    };

    expect(await sweep(false, { tenders: racing, documents: world.documents })).toEqual({ stalled: 1, failed: 0, finishedMeanwhile: 1 });

    const ready = await getTender(id, buyer, world);
    expect(ready.rendering?.status).toBe('ready');
    expect(ready.rendering?.reason).toBeUndefined();
    expect((await storedObjects(world)).map((o) => o.key)).toEqual(ready.documents.map((d) => d.key).sort());
    for (const document of ready.documents) expect(await world.documents.exists(document.key)).toBe(true);
  });

  it('leaves tenders rendered inline, ready or already failed as they are', async () => {
    const inline = await generateTender({ request: example('commune'), owner: 'buyer-1' }, world);
    const id = await pendingTender();
    await renderDeferredDocuments(id, world);
    const before = await storedObjects(world);
    world.clock.advance(10 * PENDING_RENDERING_MAX_AGE_SECONDS * 1000);

    expect(await sweep()).toEqual({ stalled: 0, failed: 0, finishedMeanwhile: 0 });
    expect(await storedObjects(world)).toEqual(before);
    expect((await getTender(inline.record.id, buyer, world)).rendering).toBeUndefined();
  });

  it('runs in collectGarbage, with the bound it is given', async () => {
    const id = await pendingTender();
    world.clock.advance(600_001);

    expect(await collectGarbage({ ...world, catalogueRecords: NO_STORED_CATALOGUES }, { now: world.clock.now(), dryRun: false })).toMatchObject({ renderingsStalled: 0, renderingsFailed: 0 });
    expect(await collectGarbage({ ...world, catalogueRecords: NO_STORED_CATALOGUES }, { now: world.clock.now(), dryRun: false, pendingRenderingMaxAgeSeconds: 600 })).toMatchObject({ renderingsStalled: 1, renderingsFailed: 1 });
    expect((await getTender(id, buyer, world)).rendering?.status).toBe('failed');
  });
});
