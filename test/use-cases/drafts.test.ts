/**
 * A buyer's named drafts on the in-memory fake: versions and dates move with each save, a stale
 * save or delete changes nothing, the listing searches and filters, a buyer keeps a bounded number
 * of drafts, and a failed write leaves the draft as it was.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createDraft, deleteDraft, getDraft, listDrafts, replaceDraft, TooManyDraftsError, type DraftDeps } from '#src/app/drafts.ts';
import { VersionConflictError } from '#src/app/errors.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { MemoryDraftRepository } from '#src/adapters/memory/memory-draft-repository.ts';
import { ManualClock, SequentialIds } from '#src/adapters/memory/system.ts';
import { v2Example } from '../support/pipeline.ts';

let deps: DraftDeps & { drafts: MemoryDraftRepository; clock: ManualClock };
beforeEach(() => {
  deps = { drafts: new MemoryDraftRepository(), clock: new ManualClock('2026-12-06T09:00:00.000Z'), ids: new SequentialIds('draft'), maxDrafts: 3 };
});

const complete = () => v2Example('commune');
const started = () => ({ schemaVersion: 2, title: 'Classe mobile de l’école', lots: [] });

describe('named drafts', () => {
  it('saves the next version with the time of the save, and says whether the request is complete', async () => {
    const first = await createDraft('buyer-1', { name: 'École 2027', request: started() }, deps);
    deps.clock.advance(60_000);
    const second = await replaceDraft('buyer-1', first.id, { name: 'École 2027', request: complete() }, 1, deps);

    expect(first).toMatchObject({ version: 1, status: 'incomplete', createdAt: '2026-12-06T09:00:00.000Z', updatedAt: '2026-12-06T09:00:00.000Z' });
    expect(second).toMatchObject({ version: 2, status: 'ready', createdAt: '2026-12-06T09:00:00.000Z', updatedAt: '2026-12-06T09:01:00.000Z' });
    expect(await getDraft('buyer-1', first.id, deps)).toEqual(second);
  });

  it('changes nothing on a stale save or delete, nor on a failed write', async () => {
    const draft = await createDraft('buyer-1', { name: 'École 2027', request: started() }, deps);
    await replaceDraft('buyer-1', draft.id, { name: 'Renommé', request: started() }, 1, deps);

    await expect(replaceDraft('buyer-1', draft.id, { name: 'Perdu', request: started() }, 1, deps)).rejects.toBeInstanceOf(VersionConflictError);
    await expect(deleteDraft('buyer-1', draft.id, 1, deps)).rejects.toBeInstanceOf(VersionConflictError);
    deps.drafts.faults.failNext('draft');
    await expect(replaceDraft('buyer-1', draft.id, { name: 'Panne', request: started() }, 2, deps)).rejects.toThrow(/simulated failure/);
    expect(await getDraft('buyer-1', draft.id, deps)).toMatchObject({ name: 'Renommé', version: 2 });
  });

  it('refuses a wrong body before reading or writing anything, and an id no draft can have is not found', async () => {
    await expect(createDraft('buyer-1', { name: 'x', request: { schemaVersion: 2, lots: 'aucun' } }, deps)).rejects.toBeInstanceOf(ValidationError);
    await expect(createDraft('buyer-1', { name: 'x', request: started(), status: 'ready' }, deps)).rejects.toBeInstanceOf(ValidationError);
    await expect(getDraft('buyer-1', '../tenders', deps)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listDrafts('buyer-1', {}, deps)).toEqual([]);
  });

  it('lists the buyer’s drafts, newest save first, by words of the name or title and by status', async () => {
    const a = await createDraft('buyer-1', { name: 'Écrans des collèges', request: started() }, deps);
    deps.clock.advance(1_000);
    const b = await createDraft('buyer-1', { name: 'Tablettes', request: complete() }, deps);
    await createDraft('buyer-2', { name: 'Écrans', request: started() }, deps);

    expect((await listDrafts('buyer-1', {}, deps)).map((d) => d.id)).toEqual([b.id, a.id]);
    expect((await listDrafts('buyer-1', { q: 'ecrans COLLÈGES' }, deps)).map((d) => d.id)).toEqual([a.id]);
    expect((await listDrafts('buyer-1', { q: 'mobile l’école' }, deps)).map((d) => d.id)).toEqual([a.id]);
    expect((await listDrafts('buyer-1', { status: 'ready' }, deps)).map((d) => d.id)).toEqual([b.id]);
  });

  it('keeps at most the limit of drafts per buyer; deleting one makes room', async () => {
    const made = [];
    for (const name of ['Un', 'Deux', 'Trois']) made.push(await createDraft('buyer-1', { name, request: started() }, deps));

    await expect(createDraft('buyer-1', { name: 'Quatre', request: started() }, deps)).rejects.toBeInstanceOf(TooManyDraftsError);
    await createDraft('buyer-2', { name: 'Autre acheteur', request: started() }, deps);
    await deleteDraft('buyer-1', made[0]!.id, 1, deps);
    await createDraft('buyer-1', { name: 'Quatre', request: started() }, deps);
    expect((await listDrafts('buyer-1', {}, deps)).map((d) => d.name).sort()).toEqual(['Deux', 'Quatre', 'Trois']);
  });
});
