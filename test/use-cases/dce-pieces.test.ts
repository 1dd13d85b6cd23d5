/**
 * The pieces of a DCE, each stored apart beside the zip so that GET /tenders/{id}/dce links them:
 * written once, by the documents job that renders the zip, and never again by a reading; a tender
 * whose zip was stored before the job did has them written at its first reading only.
 */
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { dcePieceKey, tenderDcePieces } from '#src/app/dce-pieces.ts';
import { generateTender, getTender } from '#src/app/generate-tender.ts';
import { createOutputRegistry } from '#src/app/outputs.ts';
import { renderDeferredDocuments } from '#src/app/render-deferred.ts';
import { DEFAULT_FORMATS, FORMATS, OFFICE_FORMATS, OUTPUTS } from '#src/adapters/render/formats.ts';
import { recordingKeys } from '../support/recorded-calls.ts';
import { example, fakeRender, fakeWorld, storedObjects, type World } from './world.ts';

const buyer = { owner: 'buyer-1', readsAllTenders: false };
const PIECES: Record<string, { bytes: Uint8Array; mediaType: string }> = {
  '01_RC.pdf': { bytes: strToU8('%PDF-1.7 règlement de la consultation'), mediaType: 'application/pdf' },
  '06_DPGF.xlsx': { bytes: strToU8('PK décomposition du prix'), mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
};
const manifestOf = (pieces: typeof PIECES) => ({
  files: Object.entries(pieces).map(([name, { bytes, mediaType }]) => ({
    name,
    title: name,
    role: 'contractual',
    mediaType,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  })),
});

/** The fake renderers, but a real small DCE: a zip of PIECES and its manifest (`manifest` may lie about them). */
function dceOutputs(manifest = manifestOf(PIECES)) {
  const zip = zipSync(Object.fromEntries(Object.entries(PIECES).map(([name, p]) => [name, p.bytes])));
  const adapters = OUTPUTS.map((o) => {
    if (o.fileName === 'dce.zip') return { ...o, render: async () => zip };
    if (o.fileName === 'dce-manifest.json') return { ...o, render: async () => strToU8(JSON.stringify(manifest)) };
    return { ...o, render: fakeRender(o.fileName) };
  });
  return createOutputRegistry(FORMATS, adapters, DEFAULT_FORMATS);
}

let world: World;
beforeEach(async () => {
  world = { ...(await fakeWorld()), outputs: dceOutputs() };
});

/** Each link's piece, read back from the key it names. */
async function linkedBytes(links: Array<{ name: string; url: string }>, id: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const link of links) {
    expect(link.url, link.name).toContain(`documents/tenders/${id}/dce/${encodeURIComponent(link.name)}?`);
    out[link.name] = Buffer.from(await world.documents.get(dcePieceKey(id, link.name))).toString('utf8');
  }
  return out;
}
const expectedBytes = Object.fromEntries(Object.entries(PIECES).map(([name, p]) => [name, Buffer.from(p.bytes).toString('utf8')]));

describe('tenderDcePieces', () => {
  it('links the pieces the documents job stored with the zip, and two readings write nothing', async () => {
    const deferred = { formats: OFFICE_FORMATS, jobs: { submit: async () => undefined } };
    const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['dce'] }, { ...world, deferred });
    expect(await renderDeferredDocuments(record.id, world)).toBe('ready');
    expect((await getTender(record.id, buyer, world)).dcePieces).toBe('stored');
    const counted = recordingKeys(world.documents, 'put');

    const first = await tenderDcePieces(record.id, buyer, { ...world, documents: counted.documents }, world.unzip);
    const second = await tenderDcePieces(record.id, buyer, { ...world, documents: counted.documents }, world.unzip);

    expect(counted.keys).toEqual([]);
    expect(first.map((p) => p.name)).toEqual(Object.keys(PIECES));
    expect(second).toEqual(first);
    expect(await linkedBytes(first, record.id)).toEqual(expectedBytes);
  });

  it('stores the pieces of a tender rendered before the job stored them at its first reading only, and marks it', async () => {
    // Rendered inline, as the CLI does and as tenders were before: the zip and its manifest, no piece apart.
    const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['dce'] }, world);
    expect(record.dcePieces).toBeUndefined();
    expect((await storedObjects(world, `tenders/${record.id}/dce/`)).map((o) => o.key)).toEqual([]);
    const counted = recordingKeys(world.documents, 'put');

    const first = await tenderDcePieces(record.id, buyer, { ...world, documents: counted.documents }, world.unzip);
    const afterFirst = [...counted.keys];
    const second = await tenderDcePieces(record.id, buyer, { ...world, documents: counted.documents }, world.unzip);

    expect(afterFirst.sort()).toEqual(Object.keys(PIECES).map((name) => dcePieceKey(record.id, name)));
    expect(counted.keys).toEqual(afterFirst);
    expect((await getTender(record.id, buyer, world)).dcePieces).toBe('stored');
    expect(await linkedBytes(first, record.id)).toEqual(expectedBytes);
    expect(second.map((p) => p.sha256)).toEqual(first.map((p) => p.sha256));
  });

  it('fails the job and stores nothing when a piece does not match its manifest', async () => {
    world = { ...world, outputs: dceOutputs({ files: manifestOf(PIECES).files.map((f, i) => (i === 1 ? { ...f, sha256: '0'.repeat(64) } : f)) }) };
    const deferred = { formats: OFFICE_FORMATS, jobs: { submit: async () => undefined } };
    const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['dce'] }, { ...world, deferred });

    expect(await renderDeferredDocuments(record.id, world)).toBe('failed');
    expect(await storedObjects(world)).toEqual([]);
    expect((await getTender(record.id, buyer, world)).dcePieces).toBeUndefined();
  });

  it('fails the job and leaves nothing when a piece cannot be stored, its other writes settled first', async () => {
    const deferred = { formats: OFFICE_FORMATS, jobs: { submit: async () => undefined } };
    const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['dce'] }, { ...world, deferred });
    const store = world.documents;
    const failing = new Proxy(store, {
      get(target, property) {
        if (property === 'put') {
          return async (key: string, content: Uint8Array, type: string) => {
            if (key.endsWith('/dce/06_DPGF.xlsx')) throw new Error('simulated: the bucket refused the piece');
            return target.put(key, content, type);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

    expect(await renderDeferredDocuments(record.id, { ...world, documents: failing })).toBe('failed');
    expect(await storedObjects(world)).toEqual([]);
    expect((await getTender(record.id, buyer, world)).rendering?.status).toBe('failed');
  });
});
