/**
 * Item and offer versions on fakes (issue #18): an editor's write is the next version under the
 * version read, refused whole with field paths when it names what does not exist, recorded in the
 * audit trail; a framework publication pins the latest item and offer versions and is refused
 * when no criterion, item, offer or field changed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { updateItem, updateOffer } from '#src/app/catalogue-entries-admin.ts';
import { publishFrameworkVersion } from '#src/app/criteria-admin.ts';
import { pendingPublication } from '#src/app/framework-changelog.ts';
import type { CatalogueItem, Offer } from '#src/core/model/catalogue.ts';
import { fakeWorld, type World } from './world.ts';

const editor = { actor: 'editor-ministere' };
let world: World;
let tablet: CatalogueItem & { version: number };
let offer: Offer & { version: number };
beforeEach(async () => {
  world = await fakeWorld();
  tablet = await world.criteria.items.getLatest('tablet');
  offer = await world.criteria.offers.getLatest('classe-mobile-16');
});

/** What an editor sends back: the entry read, changed, without its version, with a reason. */
function body<T extends { version: number }>(read: T, patch: Partial<T>): Record<string, unknown> {
  const { version: _version, ...rest } = { ...read, ...patch };
  return { ...rest, reason: 'Relecture du catalogue' };
}

describe('updateItem and updateOffer', () => {
  it('write the next version under the version read, and record who, when, why and each field changed', async () => {
    const item = await updateItem('tablet', body(tablet, { label: 'Tablette tactile de l’élève', unit: 'appareil' }), 1, world, editor);
    const composed = await updateOffer('classe-mobile-16', body(offer, { items: offer.items.slice(0, -1) }), 1, world, editor);

    expect(item).toEqual({ ...tablet, label: 'Tablette tactile de l’élève', unit: 'appareil', version: 2 });
    expect(composed.version).toBe(2);
    expect(await world.criteria.items.listVersions('tablet')).toEqual([tablet, item]);
    const [entry] = await world.audit.history('item', 'tablet');
    expect(entry).toEqual({
      target: { kind: 'item', id: 'tablet', version: 2 },
      actor: editor.actor,
      at: '2026-05-04T09:00:00.000Z',
      reason: 'Relecture du catalogue',
      changes: [
        { field: 'label', before: 'Tablette élève', after: 'Tablette tactile de l’élève' },
        { field: 'unit', before: 'unité', after: 'appareil' },
      ],
    });
    expect((await world.audit.history('offer', 'classe-mobile-16'))[0]!.changes).toEqual([
      { field: 'items', before: expect.stringContaining('teacher-training × 6'), after: expect.not.stringContaining('teacher-training') },
    ]);
  });

  it('refuse, with the field path and writing nothing, a body without reason, an unknown or repeated criterion, an unknown or repeated item, another id', async () => {
    const { reason: _reason, ...unexplained } = body(tablet, {});
    const refusals = await Promise.all([
      updateItem('tablet', unexplained, 1, world, editor),
      updateItem('tablet', body(tablet, { criteria: [...tablet.criteria, 'tablet.inconnu', tablet.criteria[0]!] }), 1, world, editor),
      updateItem('tablet', body(tablet, { id: 'laptop' }), 1, world, editor),
      updateItem('tablet', body(tablet, { label: 'TB' }), 1, world, editor),
      updateOffer('classe-mobile-16', body(offer, { items: [...offer.items, { itemId: 'phablet', quantity: 2 }, offer.items[0]!] }), 1, world, editor),
    ].map((p) => p.then(() => undefined, (e: unknown) => e as { name: string; issues: Array<{ path: string }> })));

    expect(refusals.map((e) => [e?.name, e?.issues.map((i) => i.path)])).toEqual([
      ['ValidationError', ['reason']],
      ['ValidationError', [`criteria.${tablet.criteria.length + 1}`, `criteria.${tablet.criteria.length}`]],
      ['ValidationError', ['id']],
      ['ValidationError', ['label']],
      ['ValidationError', [`items.${offer.items.length}.itemId`, `items.${offer.items.length + 1}.itemId`]],
    ]);
    expect(await world.criteria.items.listVersions('tablet')).toHaveLength(1);
    expect(await world.criteria.offers.listVersions('classe-mobile-16')).toHaveLength(1);
    expect(await world.audit.recent(100)).toEqual([]);
  });

  it('refuse a stale version with a conflict naming the latest, create with 0, and answer 404 for an id no entry can have', async () => {
    await updateItem('tablet', body(tablet, { label: 'Première édition' }), 1, world, editor);

    await expect(updateItem('tablet', body(tablet, { label: 'Seconde édition' }), 1, world, editor)).rejects.toMatchObject({ name: 'VersionConflictError', actualVersion: 2 });
    const created = await updateItem('tablet-12', body(tablet, { id: 'tablet-12', label: 'Tablette 12 pouces' }), 0, world, editor);
    expect(created.version).toBe(1);
    await expect(updateItem('Pas Un Id', body(tablet, {}), 0, world, editor)).rejects.toMatchObject({ name: 'NotFoundError', resource: 'item' });
    expect((await world.criteria.items.getLatest('tablet')).label).toBe('Première édition');
  });
});

describe('publishing with items and offers', () => {
  it('refuses a version when nothing changed, items and offers included, and publishes one when only an item changed', async () => {
    const nothing = await publishFrameworkVersion('carmo-education', { version: 4, reason: 'Republier' }, world, editor).catch((e: unknown) => e);
    expect(nothing).toMatchObject({ name: 'ValidationError', issues: [{ path: 'criteria', message: expect.stringContaining('nothing changed since version 3') }] });
    expect(await pendingPublication('carmo-education', world)).toMatchObject({ changes: [], items: [], offers: [] });

    await updateItem('tablet', body(tablet, { label: 'Tablette tactile de l’élève' }), 1, world, editor);
    const preview = await pendingPublication('carmo-education', world);
    // Pinning the items explicitly at the versions already in force changes nothing either.
    const firstVersions = async (store: World['criteria']['items'] | World['criteria']['offers']) => (await store.listLatest()).map((e) => ({ id: e.id, version: 1 }));
    const pinnedOld = await publishFrameworkVersion('carmo-education', { version: 4, reason: 'Republier', items: await firstVersions(world.criteria.items), offers: await firstVersions(world.criteria.offers) }, world, editor).catch(
      (e: unknown) => e,
    );
    const v4 = await publishFrameworkVersion('carmo-education', { version: 4, reason: 'Libellé de la tablette' }, world, editor);

    expect(preview.items).toEqual([{ id: 'tablet', label: 'Tablette tactile de l’élève', before: 1, after: 2, fields: [{ field: 'label', before: 'Tablette élève', after: 'Tablette tactile de l’élève' }] }]);
    expect(preview.changes).toEqual([]);
    expect(pinnedOld).toMatchObject({ name: 'ValidationError', issues: [{ path: 'criteria', message: expect.stringContaining('nothing changed') }] });
    expect(v4.items).toContainEqual({ id: 'tablet', version: 2 });
    const [entry] = (await world.audit.history('framework', 'carmo-education')).filter((e) => e.target.version === 4);
    expect(entry!.changes).toEqual([{ field: 'items.tablet', before: 'v1', after: 'v2' }]);
    expect(await pendingPublication('carmo-education', world)).toMatchObject({ changes: [], items: [], offers: [] });
    await expect(publishFrameworkVersion('carmo-education', { version: 5, reason: 'Republier' }, world, editor)).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('names an unknown item or offer version in the publication, and publishes nothing', async () => {
    await updateItem('tablet', body(tablet, { label: 'Tablette tactile de l’élève' }), 1, world, editor);

    await expect(
      publishFrameworkVersion('carmo-education', { version: 4, reason: 'Relecture', items: [{ id: 'tablet', version: 7 }, { id: 'phablet' }], offers: [{ id: 'classe-mobile-99' }] }, world, editor),
    ).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'items.0.version' }, { path: 'items.1.id' }, { path: 'offers.0.id' }] });
    expect((await world.criteria.getLatestFramework('carmo-education')).version).toBe(3);
  });
});
