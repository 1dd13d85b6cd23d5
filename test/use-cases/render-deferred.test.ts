/**
 * Deferred renderings (issue #19): a generation with an Office format is recorded pending by the
 * tenders side and rendered from its record by the documents side's job. What a caller sees at
 * each step, that the job writes the same bytes the inline path writes, and that a failed job
 * stores nothing and says so.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DocumentNotReadyError } from '#src/app/errors.ts';
import { generateTender, getTender, regenerateTender, tenderDocumentLink, REPORT_DOCUMENT, type DeferredRendering } from '#src/app/generate-tender.ts';
import { renderDeferredDocuments } from '#src/app/render-deferred.ts';
import { documentStatuses } from '#src/app/tender-record.ts';
import { InProcessDocumentJobs } from '#src/adapters/jobs/in-process-document-jobs.ts';
import { cahierOutputRegistry } from '#src/adapters/render/registry.ts';
import { OFFICE_FORMATS } from '#src/adapters/render/formats.ts';
import { RulesBlockedError } from '#src/core/model/errors.ts';
import { example, fakeWorld, storedObjects, type World } from './world.ts';

const buyer = { owner: 'buyer-1', readsAllTenders: false };
const FILES = ['cctp.pdf', 'cctp.docx', 'cadre-de-reponse.xlsx', 'bordereau-des-prix.xlsx', REPORT_DOCUMENT];

/** Jobs that wait to be run by the test, so that each step can be observed. */
function queuedJobs(): DeferredRendering & { queued: string[] } {
  const queued: string[] = [];
  return { formats: OFFICE_FORMATS, queued, jobs: { submit: async (id) => void queued.push(id) } };
}

let world: World;
beforeEach(async () => {
  world = await fakeWorld();
});

describe('a generation with an Office format', () => {
  it('is checked and recorded pending with the files it will have, writes no document, and queues one job', async () => {
    const deferred = queuedJobs();

    const outcome = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['xlsx', 'docx', 'pdf'] }, { ...world, deferred });

    expect(outcome.created).toBe(true);
    expect(outcome.report).toBeUndefined();
    expect(outcome.links).toEqual([]);
    expect(deferred.queued).toEqual([outcome.record.id]);
    expect(world.rendered).toEqual([]);
    expect(await storedObjects(world)).toEqual([]);
    const record = await getTender(outcome.record.id, buyer, world);
    expect(record.documents).toEqual([]);
    expect(record.contentHash).toBeUndefined();
    expect(documentStatuses(record).map((f) => [f.name, f.status])).toEqual(FILES.map((n) => [n, 'pending']));
    await expect(tenderDocumentLink(record.id, 'cctp.docx', buyer, world)).rejects.toThrow(DocumentNotReadyError);
    await expect(regenerateTender(record.id, buyer, world)).rejects.toThrow(DocumentNotReadyError);
  });

  it('fault injection: a job that cannot be queued leaves the tender failed with cause not-queued, and the caller sees the error', async () => {
    const refused = new Error('queue unavailable');
    const deferred: DeferredRendering = { formats: OFFICE_FORMATS, jobs: { submit: async () => Promise.reject(refused) } };

    const error = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['docx'] }, { ...world, deferred }).catch((e: unknown) => e);

    expect(error).toBe(refused);
    const [stored] = (await world.tenders.listByOwner('buyer-1')).items;
    expect((await getTender(stored!.id, buyer, world)).rendering).toMatchObject({ status: 'failed', reason: 'the rendering could not be queued', cause: 'not-queued' });
    expect(await storedObjects(world)).toEqual([]);
  });

  it('is refused as on the inline path when the rules block it: nothing recorded, no job', async () => {
    const deferred = queuedJobs();
    const blocked = example('commune');
    blocked.awardCriteria[0].weight += 7;

    const error = await generateTender({ request: blocked, owner: 'buyer-1', formats: ['docx'] }, { ...world, deferred }).catch((e: unknown) => e);

    expect((error as RulesBlockedError).findings.map((f) => f.code)).toContain('AWARD_WEIGHTS_SUM');
    expect(deferred.queued).toEqual([]);
    expect(await storedObjects(world)).toEqual([]);
  });

  it('stays inline when no format asked for needs the Office writers', async () => {
    const deferred = queuedJobs();

    const outcome = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['pdf', 'json'] }, { ...world, deferred });

    expect(deferred.queued).toEqual([]);
    expect(outcome.record.rendering).toBeUndefined();
    expect(outcome.record.documents.map((d) => d.name)).toEqual(['cctp.pdf', 'tender.ocds.json', REPORT_DOCUMENT]);
  });

  it('is rendered by the job from its record, every file stored and recorded ready; a second delivery does nothing', async () => {
    const deferred = queuedJobs();
    const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['docx', 'xlsx', 'pdf'] }, { ...world, deferred });

    expect(await renderDeferredDocuments(record.id, world)).toBe('ready');
    expect(await renderDeferredDocuments(record.id, world)).toBe('skipped');

    const ready = await getTender(record.id, buyer, world);
    expect(ready.rendering).toMatchObject({ status: 'ready', finishedAt: '2026-05-04T09:00:00.000Z' });
    expect(ready.documents.map((d) => d.name)).toEqual(FILES);
    expect((await storedObjects(world)).map((o) => o.key)).toEqual(ready.documents.map((d) => d.key).sort());
    expect(world.rendered).toEqual(FILES.filter((f) => f !== REPORT_DOCUMENT));
    expect((await tenderDocumentLink(record.id, 'cctp.docx', buyer, world)).key).toBe(`tenders/${record.id}/cctp.docx`);
  });

  it('fault injection: a write that fails stores nothing (the files written are deleted) and records the rendering failed', async () => {
    const deferred = queuedJobs();
    const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['docx', 'pdf'] }, { ...world, deferred });
    world.documents.faults.failNext('put');

    expect(await renderDeferredDocuments(record.id, world)).toBe('failed');

    expect(await storedObjects(world)).toEqual([]);
    const failed = await getTender(record.id, buyer, world);
    expect(failed.rendering).toMatchObject({ status: 'failed', reason: 'the documents could not be rendered or stored', cause: 'error' });
    expect(failed.documents).toEqual([]);
    expect(documentStatuses(failed).map((f) => f.status)).toEqual(['failed', 'failed', 'failed']);
    await expect(tenderDocumentLink(record.id, 'cctp.pdf', buyer, world)).rejects.toThrow(/rendering failed/);
    // A late delivery of the same job leaves a failed rendering alone.
    expect(await renderDeferredDocuments(record.id, world)).toBe('skipped');
  });

  it('fault injection: a renderer that throws stores nothing and records the rendering failed with its reason when it is the buyer’s to read', async () => {
    const deferred = queuedJobs();
    const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['docx'] }, { ...world, deferred });
    const broken = { ...world, outputs: { ...world.outputs, outputsFor: (f: readonly string[]) => world.outputs.outputsFor(f).map((o) => ({ ...o, render: async () => { throw new RulesBlockedError([]); } })) } };

    expect(await renderDeferredDocuments(record.id, broken)).toBe('failed');

    expect(await storedObjects(world)).toEqual([]);
    expect((await getTender(record.id, buyer, world)).rendering).toMatchObject({ status: 'failed', reason: new RulesBlockedError([]).message, cause: 'invalid' });
  });

  it('runs through the in-process adapter after the request, as the local stack does, and a replay then reads the rendered tender', async () => {
    const jobs = new InProcessDocumentJobs((id) => renderDeferredDocuments(id, world));
    const deps = { ...world, deferred: { formats: OFFICE_FORMATS, jobs } };
    const command = { request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k-1', formats: ['docx'] };

    const first = await generateTender(command, deps);
    await jobs.settled();
    const replay = await generateTender(command, deps);

    expect(first.record.rendering?.status).toBe('pending');
    expect(replay.created).toBe(false);
    expect(replay.record.rendering?.status).toBe('ready');
    expect(replay.report?.documents.map((d) => d.name)).toEqual(['cctp.docx']);
    expect(replay.links.map((l) => l.name)).toEqual(['cctp.docx', REPORT_DOCUMENT]);
  });
});

describe('the deferred path, real renderers', () => {
  it('writes byte for byte what the inline path writes for the same request, id and date (every format)', async () => {
    const real = cahierOutputRegistry();
    const formats = ['pdf', 'rc', 'docx', 'xlsx', 'json', 'note', 'ccap', 'ae', 'dpa', 'dce'];
    const inlineWorld = { ...(await fakeWorld()), outputs: real };
    const deferredWorld = { ...(await fakeWorld()), outputs: real };

    const inline = await generateTender({ request: example('commune'), owner: 'buyer-1', formats }, inlineWorld);
    const pending = await generateTender({ request: example('commune'), owner: 'buyer-1', formats }, { ...deferredWorld, deferred: queuedJobs() });
    expect(await renderDeferredDocuments(pending.record.id, deferredWorld)).toBe('ready');
    const rendered = await getTender(pending.record.id, buyer, deferredWorld);

    expect(rendered.id).toBe(inline.record.id);
    expect(rendered.documents).toEqual(inline.record.documents);
    expect(rendered.contentHash).toBe(inline.record.contentHash);
    expect(rendered.criteria).toEqual(inline.record.criteria);
    expect(rendered.framework).toEqual(inline.record.framework);
    for (const d of inline.record.documents) {
      expect(Buffer.compare(Buffer.from(await deferredWorld.documents.get(d.key)), Buffer.from(await inlineWorld.documents.get(d.key))), d.name).toBe(0);
    }
  }, 120_000);
});
