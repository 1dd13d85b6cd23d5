/**
 * regenerateTender on fakes: the audit rebuilds every document from the record alone and tells
 * intact, altered, missing and no-longer-reproducible files apart, without writing anything.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { generateTender, regenerateTender, REPORT_DOCUMENT, type TenderOutcome } from '#src/app/generate-tender.ts';
import { publishFrameworkVersion, updateCriterion } from '#src/app/criteria-admin.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import { example, fakeOutputs, fakeWorld, storedObjects, type World } from './world.ts';

const buyer = { owner: 'buyer-1', readsAllTenders: false };

let world: World;
let tender: TenderOutcome;
beforeEach(async () => {
  world = await fakeWorld();
  tender = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['pdf', 'json'] }, world);
});

async function statuses(): Promise<Record<string, string>> {
  const audit = await regenerateTender(tender.record.id, buyer, world);
  return Object.fromEntries(audit.comparison.map((c) => [c.name, c.status]));
}

describe('regenerateTender', () => {
  it('finds every stored document intact and byte-identical to a fresh render, and writes nothing', async () => {
    const before = await storedObjects(world);

    const audit = await regenerateTender(tender.record.id, buyer, world);

    expect(audit.identical).toBe(true);
    expect(audit.comparison.map((c) => [c.name, c.status])).toEqual([
      ['cctp.pdf', 'identical'],
      ['tender.ocds.json', 'identical'],
      [REPORT_DOCUMENT, 'identical'],
    ]);
    for (const c of audit.comparison) expect([c.storedSha256, c.regeneratedSha256]).toEqual([c.recordedSha256, c.recordedSha256]);
    expect(audit.documents.map((d) => d.name)).toEqual(tender.record.documents.map((d) => d.name));
    expect(await storedObjects(world)).toEqual(before);
  });

  it('stays identical after criteria change and a new framework version is published: the record pins its versions', async () => {
    const pinned = tender.record.criteria[0]!;
    const current = await world.criteria.getVersion(pinned.id, pinned.version);
    await updateCriterion(pinned.id, { ...current, label: `${current.label} (révisé)`, version: undefined, reason: 'Libellé révisé' }, pinned.version, world);
    await publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 4 }, world);

    expect(await statuses()).toEqual({ 'cctp.pdf': 'identical', 'tender.ocds.json': 'identical', [REPORT_DOCUMENT]: 'identical' });

    const renewed = await generateTender({ request: { ...example('commune'), framework: { id: 'carmo-education', version: 4 } }, owner: 'buyer-1' }, world);
    expect(renewed.record.criteria).toContainEqual({ id: pinned.id, version: pinned.version + 1 });
    expect(renewed.record.documents[0]!.sha256).not.toBe(tender.record.documents[0]!.sha256);
  });

  it('reports a document whose stored bytes changed as stored-altered, and one that vanished as missing', async () => {
    const [cctp, ocds] = tender.record.documents;
    const altered = await world.documents.get(cctp!.key);
    altered[0] = altered[0]! ^ 0xff;
    await world.documents.put(cctp!.key, altered, cctp!.mediaType);
    await world.documents.delete(ocds!.key);

    const audit = await regenerateTender(tender.record.id, buyer, world);

    expect(audit.identical).toBe(false);
    expect(audit.comparison.map((c) => [c.name, c.status])).toEqual([
      ['cctp.pdf', 'stored-altered'],
      ['tender.ocds.json', 'missing'],
      [REPORT_DOCUMENT, 'identical'],
    ]);
    expect(audit.comparison[1]!.storedSha256).toBe('');
    expect(await world.documents.exists(ocds!.key)).toBe(false);
  });

  it('reports intact documents that the current renderers no longer reproduce as not-reproducible', async () => {
    world.outputs = fakeOutputs({ edition: 2 }).outputs;

    const audit = await regenerateTender(tender.record.id, buyer, world);

    expect(audit.comparison.map((c) => c.status)).toEqual(['not-reproducible', 'not-reproducible', 'not-reproducible']);
    expect(audit.identical).toBe(false);
  });

  it("does not audit another buyer's tender", async () => {
    await expect(regenerateTender(tender.record.id, { owner: 'buyer-2', readsAllTenders: false }, world)).rejects.toBeInstanceOf(NotFoundError);
    expect((await regenerateTender(tender.record.id, { owner: 'editor', readsAllTenders: true }, world)).identical).toBe(true);
  });
});
