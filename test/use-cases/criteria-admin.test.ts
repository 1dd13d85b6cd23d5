/**
 * Criteria editing and framework publication on fakes: an edit is written only under the version
 * the editor read (If-Match; 412 at the API), a framework version is published once with its
 * criteria pinned, and listings page through what was written.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { listCriteria, publishFrameworkVersion, updateCriterion } from '#src/app/criteria-admin.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { fakeWorld, type World } from './world.ts';

const ID = 'tablet.storage.user';

let world: World;
let read: Criterion;
beforeEach(async () => {
  world = await fakeWorld();
  read = await world.criteria.getLatest(ID);
});

/** The body an editor sends back: what they read, changed, without its version. */
function edited(patch: Partial<Criterion>): Record<string, unknown> {
  const { version: _version, ...body } = { ...read, ...patch };
  return { ...body, reason: 'Relecture du référentiel' };
}

describe('updateCriterion', () => {
  it('writes the next version under the version read, and makes it the latest', async () => {
    const written = await updateCriterion(ID, edited({ label: 'Stockage utilisateur minimal' }), read.version, world);

    expect(written).toEqual({ ...read, label: 'Stockage utilisateur minimal', version: read.version + 1 });
    expect(await world.criteria.getLatest(ID)).toEqual(written);
    expect(await world.criteria.getVersion(ID, read.version)).toEqual(read);
  });

  it('refuses an edit under a stale version (the second of two editors), naming the latest, and keeps the first edit', async () => {
    const first = await updateCriterion(ID, edited({ label: 'Première édition' }), read.version, world);

    const error = await updateCriterion(ID, edited({ label: 'Seconde édition' }), read.version, world).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expectedVersion: read.version, actualVersion: first.version });
    expect(await world.criteria.getLatest(ID)).toEqual(first);
    const retried = await updateCriterion(ID, edited({ label: 'Seconde édition' }), first.version, world);
    expect(retried.version).toBe(first.version + 1);
  });

  it('creates a criterion under version 0, once', async () => {
    const body = edited({ id: 'tablet.storage.spare', label: 'Nouveau critère de stockage' });
    const created = await updateCriterion('tablet.storage.spare', { ...body, id: undefined }, 0, world);

    expect(created).toMatchObject({ id: 'tablet.storage.spare', version: 1 });
    await expect(updateCriterion('tablet.storage.spare', body, 0, world)).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('refuses a body naming another id or version, an invalid body and an impossible id, writing nothing', async () => {
    await expect(updateCriterion(ID, edited({ id: 'tablet.other' }), read.version, world)).rejects.toMatchObject({ issues: [{ path: 'id' }] });
    await expect(updateCriterion(ID, { ...edited({}), version: read.version + 5 }, read.version, world)).rejects.toMatchObject({ issues: [{ path: 'version' }] });
    await expect(updateCriterion(ID, edited({ label: 'x' }), read.version, world)).rejects.toMatchObject({ name: 'ValidationError', issues: [{ path: 'label' }] });
    await expect(updateCriterion(ID, { ...edited({}), unexpected: true, level: 'optional' }, read.version, world)).rejects.toBeInstanceOf(ValidationError);
    await expect(updateCriterion('Pas Un Id', edited({}), read.version, world)).rejects.toBeInstanceOf(NotFoundError);
    const { reason: _reason, ...unexplained } = edited({ label: 'Sans motif' });
    await expect(updateCriterion(ID, unexplained, read.version, world)).rejects.toMatchObject({ issues: [{ path: 'reason', message: expect.stringContaining('audit trail') }] });

    expect((await world.criteria.listVersions(ID)).map((c) => c.version)).toEqual([...Array(read.version).keys()].map((i) => i + 1));
  });
});

describe('publishFrameworkVersion', () => {
  it('publishes the next version with the previous fields, today’s date and each criterion at its latest version', async () => {
    const v3 = await world.criteria.getFramework('carmo-education', 3);
    const changed = await updateCriterion(ID, edited({ label: 'Stockage, révisé' }), read.version, world);
    world.clock.set('2026-09-01T07:30:00.000Z');

    const v4 = await publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 4, title: 'Cadre CARMO, rentrée 2026' }, world);

    expect(v4).toEqual({
      ...v3,
      version: 4,
      title: 'Cadre CARMO, rentrée 2026',
      publishedAt: '2026-09-01',
      criteria: v3.criteria.map((ref) => (ref.id === ID ? { id: ID, version: changed.version } : ref)),
      // Version 3 pins no item or offer (version 1 of each): version 4 pins every one, at its latest version.
      items: (await world.criteria.items.listLatest()).map((i) => ({ id: i.id, version: 1 })),
      offers: (await world.criteria.offers.listLatest()).map((o) => ({ id: o.id, version: 1 })),
    });
    expect(v3.items).toBeUndefined();
    expect(v4.programmes).toEqual(v3.programmes);
    expect(await world.criteria.getLatestFramework('carmo-education')).toEqual(v4);
    expect(await world.criteria.getFramework('carmo-education', 3)).toEqual(v3);
    expect((await world.catalogue.snapshot('carmo-education', 4)).criteria.get(ID)).toEqual(changed);
    expect((await world.catalogue.snapshot('carmo-education', 3)).criteria.get(ID)).toEqual(read);
  });

  it('carries the programmes a framework serves forward, replaces them when given, and refuses an unknown one with its path', async () => {
    const v4 = await publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 4, programmes: ['tne'] }, world);
    expect(v4.programmes).toEqual(['tne']);
    expect((await publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 5, title: 'Cadre CARMO, relu' }, world)).programmes).toEqual(['tne']);
    await expect(publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 6, programmes: ['tne', 'plan-imaginaire'] }, world)).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'programmes.1' }],
    });
    expect((await world.criteria.getLatestFramework('carmo-education')).version).toBe(5);
  });

  it('publishes a version once, never skips one, and needs every field for a first version', async () => {
    await publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 4, title: 'Cadre CARMO, relu' }, world);

    await expect(publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 4, title: 'Encore' }, world)).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 6 }, world)).rejects.toMatchObject({ issues: [{ path: 'version' }] });
    await expect(publishFrameworkVersion('nouveau-cadre', { reason: 'Relecture du référentiel', version: 1, title: 'Nouveau cadre' }, world)).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'reference' }, { path: 'description' }, { path: 'fundingRule' }, { path: 'criteria' }],
    });
    await expect(publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 5, criteria: [{ id: 'tablet.ghost' }] }, world)).rejects.toMatchObject({
      issues: [{ path: 'criteria.0.id' }],
    });
    await expect(publishFrameworkVersion('Pas Un Id', { reason: 'Relecture du référentiel', version: 1 }, world)).rejects.toBeInstanceOf(NotFoundError);
    await expect(publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 5, extra: 1 }, world)).rejects.toBeInstanceOf(ValidationError);
    await expect(publishFrameworkVersion('carmo-education', { version: 5 }, world)).rejects.toMatchObject({ issues: [{ path: 'reason' }] });
    expect((await world.criteria.listFrameworks()).map((f) => `${f.id}@${f.version}`)).toEqual(['carmo-education@4']);
  });

  it('refuses a version that changes nothing (same fields, every criterion at the version already pinned), and accepts it once a criterion moved', async () => {
    const same = { reason: 'Republier sans changement', version: 4 };
    await expect(publishFrameworkVersion('carmo-education', same, world)).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'criteria', message: expect.stringContaining('nothing changed since version 3') }],
    });
    const v3 = await world.criteria.getFramework('carmo-education', 3);
    await expect(publishFrameworkVersion('carmo-education', { ...same, criteria: v3.criteria }, world)).rejects.toMatchObject({ issues: [{ path: 'criteria' }] });
    expect((await world.criteria.getLatestFramework('carmo-education')).version).toBe(3);

    await updateCriterion(ID, edited({ label: 'Stockage, révisé' }), read.version, world);
    expect((await publishFrameworkVersion('carmo-education', same, world)).version).toBe(4);
  });
});

describe('listCriteria', () => {
  it('pages through a category, and through the versions a framework pins (its latest by default)', async () => {
    const tablets: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCriteria({ category: 'tablet', limit: 3, ...(cursor ? { cursor } : {}) }, world);
      tablets.push(...page.items.map((c) => c.id));
      cursor = page.cursor;
    } while (cursor);
    expect(tablets).toEqual([...tablets].sort());
    expect(tablets).toContain(ID);

    const latest = await world.criteria.getFramework('carmo-education', 3);
    const pinned = await listCriteria({ framework: 'carmo-education', limit: 100 }, world);
    expect(pinned.items.map((c) => `${c.id}@${c.version}`)).toEqual(latest.criteria.map((r) => `${r.id}@${r.version}`));

    await expect(listCriteria({ framework: 'inconnu' }, world)).rejects.toMatchObject({ issues: [{ path: 'framework' }] });
    await expect(listCriteria({ framework: 'carmo-education', version: 7 }, world)).rejects.toMatchObject({ issues: [{ path: 'framework' }] });
  });
});
