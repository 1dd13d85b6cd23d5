/**
 * What every DraftRepository does (src/app/ports/draft-repository.ts): run on the in-memory fake
 * (test/contracts/in-process.test.ts) and on DynamoDB (test/integration/dynamodb-draft-repository.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { StoredDraft } from '#src/core/model/draft.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import type { DraftRepository } from '#src/app/ports/draft-repository.ts';

export function storedDraft(patch: Partial<StoredDraft> = {}): StoredDraft {
  return {
    id: 'draft-00000001',
    owner: 'buyer-1',
    name: 'Collèges 2027 — tablettes',
    request: { schemaVersion: 2, title: 'Équipement numérique des collèges', lots: [] },
    status: 'incomplete',
    version: 1,
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z',
    ...patch,
  };
}

export function draftRepositoryContract(name: string, create: () => Promise<DraftRepository>): void {
  describe(`${name} (DraftRepository contract)`, () => {
    it('stores a draft and gives it back whole to its owner only', async () => {
      const repo = await create();
      await repo.create(storedDraft());
      expect(await repo.get('buyer-1', 'draft-00000001')).toEqual(storedDraft());
      await expect(repo.get('buyer-2', 'draft-00000001')).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo.get('buyer-1', 'draft-00000002')).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo.list('buyer-2')).toEqual([]);
    });

    it('keeps owners apart even when their names share a prefix or a "#"', async () => {
      const repo = await create();
      await repo.create(storedDraft({ owner: 'a#b' }));
      await repo.create(storedDraft({ owner: 'a', name: 'Autre' }));
      expect((await repo.list('a#b')).map((d) => d.name)).toEqual(['Collèges 2027 — tablettes']);
      expect((await repo.list('a')).map((d) => d.name)).toEqual(['Autre']);
    });

    it('refuses a second draft under the same id, and keeps the first', async () => {
      const repo = await create();
      await repo.create(storedDraft());
      await expect(repo.create(storedDraft({ name: 'Écrase' }))).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await repo.get('buyer-1', 'draft-00000001')).name).toBe('Collèges 2027 — tablettes');
    });

    it('refuses a draft that does not fit its schema, writing nothing', async () => {
      const repo = await create();
      await expect(repo.create(storedDraft({ name: '' }))).rejects.toBeInstanceOf(ValidationError);
      await expect(repo.create(storedDraft({ updatedAt: '2026-12-05T10:00:00.000Z' }))).rejects.toBeInstanceOf(ValidationError);
      expect(await repo.list('buyer-1')).toEqual([]);
    });

    it('lists summaries without requests, most recently updated first', async () => {
      const repo = await create();
      await repo.create(storedDraft());
      await repo.create(storedDraft({ id: 'draft-00000002', name: 'Écrans', request: { schemaVersion: 2 }, updatedAt: '2026-12-06T11:00:00.000Z' }));
      const list = await repo.list('buyer-1');
      expect(list).toEqual([
        { id: 'draft-00000002', name: 'Écrans', status: 'incomplete', version: 1, createdAt: '2026-12-06T10:00:00.000Z', updatedAt: '2026-12-06T11:00:00.000Z' },
        { id: 'draft-00000001', name: 'Collèges 2027 — tablettes', title: 'Équipement numérique des collèges', status: 'incomplete', version: 1, createdAt: '2026-12-06T10:00:00.000Z', updatedAt: '2026-12-06T10:00:00.000Z' },
      ]);
    });

    it('replaces a draft only from the version the caller read; a stale writer changes nothing', async () => {
      const repo = await create();
      await repo.create(storedDraft());
      const renamed = storedDraft({ name: 'Renommé', version: 2, updatedAt: '2026-12-06T12:00:00.000Z' });
      await repo.replace(renamed, 1);
      const stale = repo.replace(storedDraft({ name: 'Perdu', version: 2, updatedAt: '2026-12-06T12:01:00.000Z' }), 1);
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({ actualVersion: 2 });
      expect(await repo.get('buyer-1', 'draft-00000001')).toEqual(renamed);
      await expect(repo.replace(storedDraft({ id: 'draft-00000009', version: 2 }), 1)).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo.replace(storedDraft({ owner: 'buyer-2', version: 2 }), 1)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lets one of two concurrent writers of the same version win', async () => {
      const repo = await create();
      await repo.create(storedDraft());
      const results = await Promise.allSettled(['A', 'B'].map((n) => repo.replace(storedDraft({ name: n, version: 2 }), 1)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(VersionConflictError);
      expect((await repo.get('buyer-1', 'draft-00000001')).version).toBe(2);
    });

    it('deletes a draft only at the version read, and only its owner’s', async () => {
      const repo = await create();
      await repo.create(storedDraft());
      await expect(repo.delete('buyer-1', 'draft-00000001', 2)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(repo.delete('buyer-2', 'draft-00000001', 1)).rejects.toBeInstanceOf(NotFoundError);
      expect((await repo.get('buyer-1', 'draft-00000001')).version).toBe(1);
      await repo.delete('buyer-1', 'draft-00000001', 1);
      await expect(repo.get('buyer-1', 'draft-00000001')).rejects.toBeInstanceOf(NotFoundError);
      await expect(repo.delete('buyer-1', 'draft-00000001', 1)).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo.list('buyer-1')).toEqual([]);
    });

    it('counts the drafts of every owner that pin a framework version, per status, as they are saved and deleted', async () => {
      const repo = await create();
      const pin = { id: 'carmo-education', version: 2 };
      const on = (version: number) => ({ schemaVersion: 2, title: 'Tablettes', framework: { id: 'carmo-education', version } });
      await repo.create(storedDraft({ id: 'draft-pin-0001', owner: 'buyer-1', request: on(2) }));
      await repo.create(storedDraft({ id: 'draft-pin-0002', owner: 'buyer-2', request: on(2), status: 'ready' }));
      await repo.create(storedDraft({ id: 'draft-pin-0003', owner: 'buyer-2', request: on(1) }));
      await repo.create(storedDraft({ id: 'draft-pin-0004', owner: 'buyer-3', request: { schemaVersion: 2, framework: { id: 'carmo-education' } } }));
      await repo.create(storedDraft({ id: 'draft-pin-0005', owner: 'buyer-3' }));

      expect(await repo.countPinning(pin)).toEqual({ incomplete: 1, ready: 1 });
      expect(await repo.countPinning({ id: 'carmo-education', version: 1 })).toEqual({ incomplete: 1, ready: 0 });
      expect(await repo.countPinning({ id: 'carmo-education', version: 3 })).toEqual({ incomplete: 0, ready: 0 });

      // A draft moved to another version, or made ready, or deleted, is counted where it now is.
      await repo.replace(storedDraft({ id: 'draft-pin-0003', owner: 'buyer-2', request: on(2), status: 'ready', version: 2 }), 1);
      await repo.replace(storedDraft({ id: 'draft-pin-0001', owner: 'buyer-1', request: on(3), version: 2 }), 1);
      await repo.delete('buyer-2', 'draft-pin-0002', 1);
      expect(await repo.countPinning(pin)).toEqual({ incomplete: 0, ready: 1 });
      expect(await repo.countPinning({ id: 'carmo-education', version: 1 })).toEqual({ incomplete: 0, ready: 0 });
      expect(await repo.countPinning({ id: 'carmo-education', version: 3 })).toEqual({ incomplete: 1, ready: 0 });
    });
  });
}
