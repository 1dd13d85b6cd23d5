/**
 * The repository catalogue reader keeps what a framework version pins (immutable once written):
 * the framework and its criterion versions are read once, the item and offer versions once when
 * the framework pins them and at every snapshot when it does not (a set editors may extend);
 * each snapshot is a copy, failures are not kept, and the number of framework versions kept is bounded.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { publishFrameworkVersion, updateCriterion } from '#src/app/criteria-admin.ts';
import { RepositoryCatalogueReader } from '#src/adapters/stores/repository-catalogue-reader.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import { fakeWorld, type World } from './world.ts';

let world: World;
type Spy = { mock: { calls: unknown[][] }; mockClear(): void };
let reads: { framework: Spy; criteria: Spy; items: Spy; offers: Spy };
beforeEach(async () => {
  world = await fakeWorld();
  reads = {
    framework: vi.spyOn(world.criteria, 'getFramework'),
    criteria: vi.spyOn(world.criteria, 'batchGetVersions'),
    items: vi.spyOn(world.criteria.items, 'listAll'),
    offers: vi.spyOn(world.criteria.offers, 'listAll'),
  };
});
/** Version 4 of the framework, published through the editors' path: it pins its items and offers. */
async function publishV4(): Promise<void> {
  const [pinned] = (await world.criteria.getFramework('carmo-education', 3)).criteria;
  const current = await world.criteria.getVersion(pinned!.id, pinned!.version);
  await updateCriterion(pinned!.id, { ...current, label: `${current.label} (révisé)`, version: undefined, reason: 'Libellé révisé' }, pinned!.version, world);
  await publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 4 }, world);
  reads.framework.mockClear();
  reads.criteria.mockClear();
  reads.items.mockClear();
  reads.offers.mockClear();
}
const counts = () => ({
  framework: reads.framework.mock.calls.length,
  criteria: reads.criteria.mock.calls.length,
  items: reads.items.mock.calls.length,
  offers: reads.offers.mock.calls.length,
});

describe('RepositoryCatalogueReader', () => {
  it('reads a framework version and its criteria once, and the items and offers of a framework that pins none at each snapshot', async () => {
    const reader = new RepositoryCatalogueReader(world.criteria);
    const first = await reader.snapshot('carmo-education', 3);
    expect(first.framework.items).toBeUndefined();

    // An editor creates an item: a framework without item pins resolves version 1 of every item, this one included.
    const tablet = await world.criteria.items.getLatest('tablet');
    await world.criteria.items.putNewVersion({ ...tablet, id: 'tablet-rugged', label: 'Tablette durcie' }, 0);
    const second = await reader.snapshot('carmo-education', 3);

    expect(counts()).toEqual({ framework: 1, criteria: 1, items: 2, offers: 2 });
    expect(second.items.get('tablet-rugged')?.label).toBe('Tablette durcie');
    expect(first.items.has('tablet-rugged')).toBe(false);
    expect(second.framework).toEqual(first.framework);
    expect([...second.criteria]).toEqual([...first.criteria]);
    expect(second).toEqual(await new RepositoryCatalogueReader(world.criteria).snapshot('carmo-education', 3));
  });

  it('reads nothing again for a framework that pins its items and offers', async () => {
    await publishV4();
    const reader = new RepositoryCatalogueReader(world.criteria);
    const first = await reader.snapshot('carmo-education', 4);
    expect(first.framework.items).toBeDefined();
    expect(first.framework.offers).toBeDefined();

    const second = await reader.snapshot('carmo-education', 4);

    expect(counts()).toEqual({ framework: 1, criteria: 1, items: 1, offers: 1 });
    expect(second).toEqual(first);
    expect(second).toEqual(await new RepositoryCatalogueReader(world.criteria).snapshot('carmo-education', 4));
  });

  it('hands out copies: a caller that changes its snapshot changes nothing the next one reads', async () => {
    await publishV4();
    for (const version of [3, 4]) {
      const reader = new RepositoryCatalogueReader(world.criteria);
      const expected = await new RepositoryCatalogueReader(world.criteria).snapshot('carmo-education', version);
      for (let i = 0; i < 2; i++) {
        const snapshot = await reader.snapshot('carmo-education', version);
        expect(snapshot).toEqual(expected);
        snapshot.framework.title = 'Changé';
        snapshot.framework.criteria.pop();
        [...snapshot.criteria.values()][0]!.label = 'Changé';
        (snapshot.criteria as Map<string, unknown>).clear();
        [...snapshot.items.values()][0]!.label = 'Changé';
        (snapshot.offers as Map<string, unknown>).clear();
      }
    }
  });

  it('keeps no failure: a framework version that does not exist yet is read again', async () => {
    const reader = new RepositoryCatalogueReader(world.criteria);
    await expect(reader.snapshot('carmo-education', 4)).rejects.toBeInstanceOf(NotFoundError);
    await publishV4();

    expect((await reader.snapshot('carmo-education', 4)).framework.version).toBe(4);
    expect(reads.framework.mock.calls.length).toBe(1);
  });

  it('keeps at most maxFrameworks versions, least recently used evicted first', async () => {
    const reader = new RepositoryCatalogueReader(world.criteria, 2);
    for (const version of [1, 2, 1, 3, 1, 2]) await reader.snapshot('carmo-education', version);

    // 1, 2 read; 1 kept; 3 evicts 2; 1 kept; 2 read again.
    expect(reads.framework.mock.calls.map((call) => call[1])).toEqual([1, 2, 3, 2]);
  });
});
