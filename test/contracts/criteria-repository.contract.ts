/**
 * What every CriteriaRepository does (src/app/ports/criteria-repository.ts), whatever holds the
 * data: run on the DynamoDB adapter (test/integration/dynamodb-criteria-repository.test.ts) and on
 * the fake (test/contracts/fakes.test.ts). `create` gives an empty repository for each test.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Category, Criterion } from '#src/core/model/criterion.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import type { CatalogueEntryVersions, CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import { CRITERIA, ITEMS, makeFramework, OFFERS } from '../support/fixtures.ts';

export function criterionDraft(id: string, patch: Partial<Criterion> = {}): Omit<Criterion, 'version'> {
  return {
    id,
    category: 'tablet',
    kind: 'technical',
    label: `Critère ${id}`,
    requirement: `Exigence de référence pour ${id}.`,
    metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 32 },
    level: 'minimum',
    authority: { type: 'ministry', reference: 'CARMO 3.0.1' },
    proof: ['datasheet'],
    ...patch,
  };
}

/** Every version of the fixture criteria (src: test/support/fixtures.ts), in order. */
export async function createFixtureCriteria(repo: CriteriaRepository): Promise<void> {
  for (const criterion of CRITERIA) {
    for (let version = 1; version <= criterion.version; version++) await repo.putNewVersion({ ...criterion, version }, version - 1);
  }
}

export function criteriaRepositoryContract(name: string, create: () => Promise<CriteriaRepository>): void {
  let repo: CriteriaRepository;
  const draft = criterionDraft;
  const createCriterion = (id: string, patch: Partial<Criterion> = {}) => repo.putNewVersion(draft(id, patch), 0);
  async function createMany(count: number, category: Category, prefix: string = category): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${prefix}.c${String(i).padStart(3, '0')}`);
    await Promise.all(ids.map((id) => createCriterion(id, { category })));
    return ids;
  }

  describe(`${name} (CriteriaRepository contract)`, () => {
    beforeEach(async () => {
      repo = await create();
    });

    describe('versions', () => {
      it('creates a criterion at version 1 and reads it back as the latest and as version 1', async () => {
        const stored = await createCriterion('tablet.storage.user', { note: 'Guide' });

        expect(stored).toEqual({ ...draft('tablet.storage.user', { note: 'Guide' }), version: 1 });
        expect(await repo.getLatest('tablet.storage.user')).toEqual(stored);
        expect(await repo.getVersion('tablet.storage.user', 1)).toEqual(stored);
        expect(await repo.listVersions('tablet.storage.user')).toEqual([stored]);
      });

      it('keeps every version and makes the last one the latest', async () => {
        await createCriterion('tablet.storage.user');
        await repo.putNewVersion(draft('tablet.storage.user', { label: 'Version deux' }), 1);
        await repo.putNewVersion({ ...draft('tablet.storage.user', { label: 'Version trois' }), version: 3 }, 2);

        const history = await repo.listVersions('tablet.storage.user');
        expect(history.map((c) => [c.version, c.label])).toEqual([
          [1, 'Critère tablet.storage.user'],
          [2, 'Version deux'],
          [3, 'Version trois'],
        ]);
        expect((await repo.getLatest('tablet.storage.user')).label).toBe('Version trois');
        expect((await repo.getVersion('tablet.storage.user', 2)).label).toBe('Version deux');
      });

      it('hands out copies: changing a criterion read does not change the stored one', async () => {
        await createCriterion('tablet.storage.user');
        const read = await repo.getLatest('tablet.storage.user');
        read.label = 'Changé en mémoire';
        (await repo.listVersions('tablet.storage.user'))[0]!.proof.push('test-report');

        expect(await repo.getVersion('tablet.storage.user', 1)).toEqual({ ...draft('tablet.storage.user'), version: 1 });
      });

      it('reports a stale expected version as a conflict naming the latest version, and writes nothing', async () => {
        await createCriterion('tablet.storage.user');
        await repo.putNewVersion(draft('tablet.storage.user', { label: 'Version deux' }), 1);

        const error = await repo.putNewVersion(draft('tablet.storage.user', { label: 'Lost update?' }), 1).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, actualVersion: 2 });
        expect((await repo.listVersions('tablet.storage.user')).map((c) => c.label)).toEqual(['Critère tablet.storage.user', 'Version deux']);
      });

      it('refuses to create a criterion that exists, to skip versions and to edit one that does not exist', async () => {
        await createCriterion('tablet.storage.user');

        await expect(createCriterion('tablet.storage.user')).rejects.toMatchObject({ name: 'VersionConflictError', actualVersion: 1 });
        await expect(repo.putNewVersion(draft('tablet.storage.user'), 5)).rejects.toMatchObject({ name: 'VersionConflictError', actualVersion: 1 });
        await expect(repo.putNewVersion(draft('tablet.nothing'), 1)).rejects.toMatchObject({ name: 'VersionConflictError', actualVersion: 0 });
        expect((await repo.listVersions('tablet.storage.user')).map((c) => c.version)).toEqual([1]);
        expect(await repo.listVersions('tablet.nothing')).toEqual([]);
      });

      it('validates the draft and its version number before writing', async () => {
        await expect(repo.putNewVersion({ ...draft('tablet.storage.user'), version: 3 }, 0)).rejects.toMatchObject({
          name: 'ValidationError',
          issues: [{ path: 'version' }],
        });
        await expect(repo.putNewVersion(draft('tablet.storage.user', { label: 'x' }), 0)).rejects.toMatchObject({
          name: 'ValidationError',
          issues: [{ path: 'label' }],
        });
        await expect(repo.putNewVersion(draft('tablet.storage.user'), -1)).rejects.toBeInstanceOf(ValidationError);
        await expect(repo.putNewVersion(draft('tablet.storage.user'), 0.5)).rejects.toBeInstanceOf(ValidationError);
        await expect(repo.getLatest('tablet.storage.user')).rejects.toBeInstanceOf(NotFoundError);
      });

      it('answers NotFoundError for a missing criterion or version, and for ids no criterion can have', async () => {
        await createCriterion('tablet.storage.user');

        await expect(repo.getLatest('tablet.nothing')).rejects.toBeInstanceOf(NotFoundError);
        await expect(repo.getVersion('tablet.storage.user', 2)).rejects.toMatchObject({ name: 'NotFoundError', id: 'tablet.storage.user@2' });
        await expect(repo.getVersion('tablet.storage.user', 0)).rejects.toBeInstanceOf(NotFoundError);
        await expect(repo.getVersion('Not An Id', 1)).rejects.toBeInstanceOf(NotFoundError);
        await expect(repo.getLatest('Not An Id')).rejects.toBeInstanceOf(NotFoundError);
        expect(await repo.listVersions('tablet.nothing')).toEqual([]);
      });

      it('lets exactly one of 50 concurrent editors of the same version win, then chains edits without losing any', async () => {
        await createCriterion('tablet.storage.user');

        const outcomes = await Promise.allSettled(
          Array.from({ length: 50 }, (_, editor) => repo.putNewVersion(draft('tablet.storage.user', { label: `Édition ${editor}` }), 1)),
        );

        const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
        const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(49);
        for (const loser of losers) expect(loser).toMatchObject({ name: 'VersionConflictError', expectedVersion: 1, actualVersion: 2 });
        expect(await repo.getLatest('tablet.storage.user')).toEqual(winners[0]);

        for (let version = 2; version < 5; version++) {
          const latest = await repo.getLatest('tablet.storage.user');
          expect(latest.version).toBe(version);
          await repo.putNewVersion(draft('tablet.storage.user', { label: `Suite ${version}` }), latest.version);
        }
        const history = await repo.listVersions('tablet.storage.user');
        expect(history.map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
        expect(history[1]).toEqual(winners[0]);
      });
    });

    describe('listings', () => {
      it('pages through a category, visiting every latest criterion exactly once, by id', async () => {
        const tablets = await createMany(23, 'tablet');
        await createMany(5, 'laptop');
        await repo.putNewVersion(draft('tablet.c007', { label: 'Nouvelle version' }), 1);

        const seen: Criterion[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await repo.listByCategory('tablet', { limit: 4, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(4);
          seen.push(...page.items);
          cursor = page.cursor;
          pages++;
        } while (cursor);

        expect(seen.map((c) => c.id)).toEqual(tablets);
        expect(pages).toBeGreaterThanOrEqual(6);
        expect(seen.find((c) => c.id === 'tablet.c007')).toMatchObject({ version: 2, label: 'Nouvelle version' });
        expect((await repo.listByCategory('laptop', { limit: 100 })).items).toHaveLength(5);
        expect((await repo.listByCategory('tablet')).items).toHaveLength(23);
        expect(await repo.listByCategory('mdm')).toEqual({ items: [] });
      });

      it('moves a criterion to its new category when a version changes it', async () => {
        await createCriterion('device.screen', { category: 'tablet' });
        await repo.putNewVersion(draft('device.screen', { category: 'laptop' }), 1);

        expect((await repo.listByCategory('tablet')).items).toEqual([]);
        expect((await repo.listByCategory('laptop')).items.map((c) => [c.id, c.version])).toEqual([['device.screen', 2]]);
      });

      it('refuses malformed and foreign cursors, out-of-range limits and unknown categories', async () => {
        await createMany(3, 'tablet');
        await createMany(3, 'laptop');
        const { cursor } = await repo.listByCategory('tablet', { limit: 1 });
        const laptopCursor = (await repo.listByCategory('laptop', { limit: 1 })).cursor!;

        for (const bad of ['not a cursor', 'eyJ', Buffer.from('[1,2]').toString('base64url'), laptopCursor, 'A'.repeat(5000)]) {
          await expect(repo.listByCategory('tablet', { cursor: bad }), bad).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'cursor' }] });
        }
        await expect(repo.listByCategory('tablet', { limit: 0 })).rejects.toMatchObject({ issues: [{ path: 'limit' }] });
        await expect(repo.listByCategory('tablet', { limit: 101 })).rejects.toBeInstanceOf(ValidationError);
        await expect(repo.listByCategory('phones' as Category)).rejects.toMatchObject({ issues: [{ path: 'category' }] });
        expect((await repo.listByCategory('tablet', { cursor: cursor! })).items.map((c) => c.id)).toEqual(['tablet.c001', 'tablet.c002']);
      });

      it('reads versions in the order asked, duplicates included, and names the first missing one', async () => {
        const ids = await createMany(60, 'tablet');
        await Promise.all(ids.map((id) => repo.putNewVersion(draft(id, { label: `${id} v2` }), 1)));
        const refs = ids.flatMap((id) => [
          { id, version: 2 },
          { id, version: 1 },
        ]);

        const found = await repo.batchGetVersions(refs);

        expect(found.map((c) => `${c.id}@${c.version}`)).toEqual(refs.map((r) => `${r.id}@${r.version}`));
        expect(found[0]!.label).toBe(`${ids[0]} v2`);
        expect((await repo.batchGetVersions([refs[0]!, refs[0]!, refs[1]!])).map((c) => c.version)).toEqual([2, 2, 1]);
        expect(await repo.batchGetVersions([])).toEqual([]);
        await expect(repo.batchGetVersions([{ id: ids[0]!, version: 1 }, { id: ids[0]!, version: 3 }, { id: 'tablet.ghost', version: 1 }])).rejects.toMatchObject({
          name: 'NotFoundError',
          id: `${ids[0]}@3`,
        });
      });
    });

    describe('frameworks, items and offers', () => {
      it('publishes an immutable framework version, once', async () => {
        await createFixtureCriteria(repo);
        const framework = makeFramework();

        expect(await repo.publishFramework(framework)).toEqual(framework);
        expect(await repo.getFramework(framework.id, 1)).toEqual(framework);
        expect(await repo.getLatestFramework(framework.id)).toEqual(framework);

        const again = await repo.publishFramework({ ...framework, title: 'Autre titre' }).catch((e: unknown) => e);
        expect(again).toBeInstanceOf(AlreadyExistsError);
        expect(again).toMatchObject({ code: 'CONFLICT' });
        expect(await repo.getFramework(framework.id, 1)).toEqual(framework);
        await expect(repo.getFramework(framework.id, 2)).rejects.toMatchObject({ name: 'NotFoundError', resource: 'framework' });
        await expect(repo.getFramework('Pas Un Id', 1)).rejects.toBeInstanceOf(NotFoundError);
        await expect(repo.getLatestFramework('inconnu')).rejects.toMatchObject({ name: 'NotFoundError', resource: 'framework' });
      });

      it('pins the latest version of criteria named without a version', async () => {
        await createFixtureCriteria(repo);
        await repo.putNewVersion({ ...CRITERIA[1]!, version: 2, label: 'Enrôlement, v2' }, 1);
        const base = makeFramework();

        const published = await repo.publishFramework({ ...base, criteria: base.criteria.map((ref, i) => (i < 2 ? { id: ref.id } : ref)) });

        expect(published.criteria.slice(0, 2)).toEqual([
          { id: 'tablet.storage.user', version: 2 },
          { id: 'tablet.mdm.enrolment', version: 2 },
        ]);
        expect((await repo.getFramework(base.id, 1)).criteria).toEqual(published.criteria);
      });

      it('refuses unknown criterion versions, a skipped framework version and an unpublished status', async () => {
        await createFixtureCriteria(repo);
        const base = makeFramework();

        await expect(
          repo.publishFramework({ ...base, criteria: [...base.criteria.slice(1), { id: 'tablet.storage.user', version: 9 }, { id: 'tablet.ghost' }] }),
        ).rejects.toMatchObject({
          name: 'ValidationError',
          issues: [{ path: `criteria.${base.criteria.length}.id` }, { path: `criteria.${base.criteria.length - 1}.version` }],
        });
        await expect(repo.publishFramework({ ...base, version: 2 })).rejects.toMatchObject({ issues: [{ path: 'version' }] });
        await expect(repo.publishFramework({ ...base, status: 'draft' })).rejects.toMatchObject({ issues: [{ path: 'status' }] });
        await expect(repo.getFramework(base.id, 1)).rejects.toBeInstanceOf(NotFoundError);
        expect(await repo.listFrameworks()).toEqual([]);
      });

      it('lists frameworks by their latest version, and the criteria of a framework page by page', async () => {
        await createFixtureCriteria(repo);
        const v1 = makeFramework();
        await repo.publishFramework(v1);
        const v2 = await repo.publishFramework({ ...v1, version: 2, title: 'Socle numérique 2027' });
        const other = await repo.publishFramework({ ...v1, id: 'autre-cadre', criteria: v1.criteria.slice(0, 3) });

        expect(await repo.listFrameworks()).toEqual([other, v2]);
        expect(await repo.getLatestFramework(v1.id)).toEqual(v2);

        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await repo.listByFramework(v1.id, 1, { limit: 5, ...(cursor ? { cursor } : {}) });
          pages.push(page.items.map((c) => `${c.id}@${c.version}`));
          cursor = page.cursor;
        } while (cursor);
        expect(pages.map((p) => p.length)).toEqual([5, 5, 3]);
        expect(pages.flat()).toEqual(v1.criteria.map((r) => `${r.id}@${r.version}`));

        const first = await repo.listByFramework(v1.id, 1, { limit: 5 });
        await expect(repo.listByFramework(v1.id, 2, { cursor: first.cursor! })).rejects.toMatchObject({ issues: [{ path: 'cursor' }] });
        await expect(repo.listByFramework(v1.id, 1, { limit: 0 })).rejects.toMatchObject({ issues: [{ path: 'limit' }] });
        await expect(repo.listByFramework('inconnu', 1)).rejects.toBeInstanceOf(NotFoundError);
      });

      for (const kind of ['items', 'offers'] as const) {
        const fixtures: ReadonlyArray<{ id: string; label: string }> = kind === 'items' ? ITEMS : OFFERS;
        const put = (entry: { id: string; label: string }, expected: number) => (repo[kind] as CatalogueEntryVersions<{ id: string; label: string }>).putNewVersion(entry, expected);

        it(`keeps every version of ${kind}, contiguous from 1, behind the same optimistic lock as criteria`, async () => {
          for (const entry of fixtures) await put(entry, 0);
          const [first] = fixtures;
          const revised = await put({ ...first!, label: `${first!.label}, revu` }, 1);

          expect(revised.version).toBe(2);
          expect((await repo[kind].getLatest(first!.id)).label).toBe(`${first!.label}, revu`);
          expect((await repo[kind].listVersions(first!.id)).map((v) => [v.version, v.label])).toEqual([[1, first!.label], [2, `${first!.label}, revu`]]);
          const sorted = [...fixtures].sort((a, b) => (a.id < b.id ? -1 : 1));
          expect((await repo[kind].listAll()).map((v) => `${v.id}@${v.version}`)).toEqual(sorted.flatMap((e) => (e.id === first!.id ? [`${e.id}@1`, `${e.id}@2`] : [`${e.id}@1`])));
          expect((await repo[kind].listLatest()).map((v) => `${v.id}@${v.version}`)).toEqual(sorted.map((e) => `${e.id}@${e.id === first!.id ? 2 : 1}`));

          await expect(put({ ...first!, label: 'Perdu' }, 1)).rejects.toMatchObject({ name: 'VersionConflictError', actualVersion: 2 });
          await expect(put({ ...first!, label: 'Perdu' }, 0)).rejects.toBeInstanceOf(VersionConflictError);
          await expect(put({ ...first!, label: 'Perdu' }, 5)).rejects.toBeInstanceOf(VersionConflictError);
          await expect(put({ ...first!, label: '' }, 2)).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'label' }] });
          await expect(put({ ...first!, version: 7 } as never, 2)).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'version' }] });
          expect(await repo[kind].listVersions(first!.id)).toHaveLength(2);
          await expect(repo[kind].getLatest('inconnu')).rejects.toBeInstanceOf(NotFoundError);
          await expect(repo[kind].getLatest('Pas Un Id')).rejects.toBeInstanceOf(NotFoundError);
          expect(await repo[kind].listVersions('inconnu')).toEqual([]);
        });

        it(`lets exactly one of 20 concurrent editors of the same ${kind} version win`, async () => {
          const [first] = fixtures;
          await put(first!, 0);
          const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => put({ ...first!, label: `Version concurrente ${i}` }, 1)));

          expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
          for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) expect(o.reason).toBeInstanceOf(VersionConflictError);
          expect(await repo[kind].listVersions(first!.id)).toHaveLength(2);
        });
      }

      it('pins items and offers named without a version at their latest version, and refuses unknown ones', async () => {
        await createFixtureCriteria(repo);
        for (const item of ITEMS) await repo.items.putNewVersion(item, 0);
        for (const offer of OFFERS) await repo.offers.putNewVersion(offer, 0);
        await repo.items.putNewVersion({ ...ITEMS[0]!, label: 'Tablette, libellé revu' }, 1);
        const base = makeFramework();

        const unpinned = await repo.publishFramework(base);
        expect(unpinned.items).toBeUndefined();
        const published = await repo.publishFramework({ ...base, version: 2, items: ITEMS.map((i) => ({ id: i.id })), offers: [{ id: OFFERS[0]!.id, version: 1 }] });

        expect(published.items).toEqual(ITEMS.map((i) => ({ id: i.id, version: i.id === ITEMS[0]!.id ? 2 : 1 })));
        expect(published.offers).toEqual([{ id: OFFERS[0]!.id, version: 1 }]);
        expect(await repo.getFramework(base.id, 2)).toEqual(published);
        await expect(repo.publishFramework({ ...base, version: 3, items: [{ id: 'inconnu' }, { id: ITEMS[0]!.id, version: 3 }], offers: [{ id: 'autre' }] })).rejects.toMatchObject({
          name: 'ValidationError',
          issues: [{ path: 'items.0.id' }, { path: 'items.1.version' }, { path: 'offers.0.id' }],
        });
        await expect(repo.getFramework(base.id, 3)).rejects.toBeInstanceOf(NotFoundError);
      });
    });
  });
}
