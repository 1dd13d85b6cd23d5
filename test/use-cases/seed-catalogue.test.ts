/**
 * seedCatalogue on the fake criteria store: everything once, nothing on a second run, never an
 * immutable version rewritten, concurrent seeders agreeing, a run cut short completed by the next.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCriteriaRepository } from '#src/adapters/memory/memory-criteria-repository.ts';
import { SeedMismatchError, seedCatalogue } from '#src/app/seed-catalogue.ts';
import type { Catalogue } from '#src/core/model/catalogue.ts';
import { repositoryCatalogue } from './world.ts';

let catalogue: Catalogue;
let criteria: MemoryCriteriaRepository;
beforeAll(async () => {
  catalogue = await repositoryCatalogue();
});
beforeEach(() => {
  criteria = new MemoryCriteriaRepository();
});

const everything = (c: Catalogue) => ({
  criterionVersionsWritten: c.criteria.length,
  frameworksPublished: c.frameworks.length,
  itemsWritten: c.items.length,
  offersWritten: c.offers.length,
});
const nothing = { criterionVersionsWritten: 0, frameworksPublished: 0, itemsWritten: 0, offersWritten: 0 };

async function contents(repo: MemoryCriteriaRepository): Promise<unknown> {
  const ids = [...new Set(catalogue.criteria.map((c) => c.id))].sort();
  return {
    criteria: await Promise.all(ids.map((id) => repo.listVersions(id))),
    frameworks: await repo.listFrameworks(),
    items: await repo.items.listAll(),
    offers: await repo.offers.listAll(),
  };
}

describe('seedCatalogue', () => {
  it('writes every criterion version, item, offer and framework once, and nothing on a second run', async () => {
    expect(await seedCatalogue({ criteria }, catalogue)).toEqual(everything(catalogue));
    for (const criterion of catalogue.criteria) expect(await criteria.getVersion(criterion.id, criterion.version)).toEqual(criterion);
    for (const framework of catalogue.frameworks) expect(await criteria.getFramework(framework.id, framework.version)).toEqual(framework);
    const seeded = await contents(criteria);

    expect(await seedCatalogue({ criteria }, catalogue)).toEqual(nothing);
    expect(await contents(criteria)).toEqual(seeded);
  });

  it('refuses to rewrite a stored criterion or framework version that differs, and leaves the stored one', async () => {
    await seedCatalogue({ criteria }, catalogue);
    const [first] = catalogue.criteria;
    const criterionChanged: Catalogue = { ...catalogue, criteria: catalogue.criteria.map((c) => (c === first ? { ...c, label: `${c.label} (modifié)` } : c)) };
    const frameworkChanged: Catalogue = { ...catalogue, frameworks: catalogue.frameworks.map((f) => ({ ...f, title: `${f.title} (modifié)` })) };

    await expect(seedCatalogue({ criteria }, criterionChanged)).rejects.toBeInstanceOf(SeedMismatchError);
    await expect(seedCatalogue({ criteria }, frameworkChanged)).rejects.toMatchObject({ name: 'SeedMismatchError', what: expect.stringMatching(/^framework /) });
    expect(await criteria.getVersion(first!.id, first!.version)).toEqual(first);
    expect(await criteria.getFramework(catalogue.frameworks[0]!.id, catalogue.frameworks[0]!.version)).toEqual(catalogue.frameworks[0]);
  });

  it('writes the files’ items and offers as their version 1, and refuses to rewrite one that differs: a change is a new version', async () => {
    await seedCatalogue({ criteria }, catalogue);
    const [item] = catalogue.items;
    const [offer] = catalogue.offers;
    const itemChanged: Catalogue = { ...catalogue, items: catalogue.items.map((i) => (i === item ? { ...i, label: `${i.label} (révisé)` } : i)) };
    const offerChanged: Catalogue = { ...catalogue, offers: catalogue.offers.map((o) => (o === offer ? { ...o, items: o.items.slice(1) } : o)) };

    expect(await criteria.items.listVersions(item!.id)).toEqual([{ ...item, version: 1 }]);
    await expect(seedCatalogue({ criteria }, itemChanged)).rejects.toMatchObject({ name: 'SeedMismatchError', what: `item ${item!.id}@1` });
    await expect(seedCatalogue({ criteria }, offerChanged)).rejects.toMatchObject({ name: 'SeedMismatchError', what: `offer ${offer!.id}@1` });
    expect(await criteria.items.listVersions(item!.id)).toEqual([{ ...item, version: 1 }]);
    expect(await criteria.offers.listVersions(offer!.id)).toEqual([{ ...offer, version: 1 }]);
  });

  it('adds new criterion versions, and leaves item versions an editor wrote since', async () => {
    await seedCatalogue({ criteria }, catalogue);
    const [item] = catalogue.items;
    await criteria.items.putNewVersion({ ...item!, label: `${item!.label} (révisé)` }, 1);
    const [criterion] = catalogue.criteria.filter((c) => !catalogue.criteria.some((o) => o.id === c.id && o.version > c.version));
    const next = { ...criterion!, version: criterion!.version + 1, label: `${criterion!.label}, révisé` };

    expect(await seedCatalogue({ criteria }, { ...catalogue, criteria: [...catalogue.criteria, next] })).toEqual({ ...nothing, criterionVersionsWritten: 1 });
    expect(await criteria.getLatest(criterion!.id)).toEqual(next);
    expect((await criteria.items.getLatest(item!.id)).label).toBe(`${item!.label} (révisé)`);
  });

  it('lets two seeders run at once: together they write each version once, and both succeed', async () => {
    const [a, b] = await Promise.all([seedCatalogue({ criteria }, catalogue), seedCatalogue({ criteria }, catalogue)]);

    expect(a.criterionVersionsWritten + b.criterionVersionsWritten).toBe(catalogue.criteria.length);
    expect(a.frameworksPublished + b.frameworksPublished).toBe(catalogue.frameworks.length);
    expect(await seedCatalogue({ criteria }, catalogue)).toEqual(nothing);
  });

  it('completes on the next run what a failed run left unwritten', async () => {
    criteria.faults.failNext('offer-version', new Error('throttled'));
    await expect(seedCatalogue({ criteria }, catalogue)).rejects.toThrow('throttled');
    expect(await criteria.offers.listAll()).toEqual([]);
    expect(await criteria.listFrameworks()).toEqual([]);

    expect(await seedCatalogue({ criteria }, catalogue)).toEqual({ ...nothing, offersWritten: catalogue.offers.length, frameworksPublished: catalogue.frameworks.length });
    const fresh = new MemoryCriteriaRepository();
    await seedCatalogue({ criteria: fresh }, catalogue);
    expect(await contents(criteria)).toEqual(await contents(fresh));
  });
});
