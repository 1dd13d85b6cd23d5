import { describe, expect, it } from 'vitest';
import { FileCatalogueReader } from '#src/adapters/files/file-catalogue-reader.ts';
import { MemoryDocumentStore } from '#src/adapters/memory/memory-document-store.ts';
import { ManualClock, SequentialIds } from '#src/adapters/memory/system.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import type { StoredCatalogue } from '#src/core/model/stored-catalogue.ts';
import type { CatalogueRecords } from '#src/app/ports/catalogue-records.ts';
import type { DocumentStore } from '#src/app/ports/document-store.ts';
import { deleteStoredCatalogue, storeCatalogue, type RenderCatalogueReports, type StoredCatalogueDeps } from '#src/app/stored-catalogues.ts';
import { repositoryCatalogue } from './world.ts';

/** Records in a Map, enough for the write order (the DynamoDB adapter is tested through the API). */
class MapRecords implements CatalogueRecords {
  readonly items = new Map<string, StoredCatalogue>();
  failPut = false;
  async put(record: StoredCatalogue) {
    if (this.failPut) throw new Error('simulated failure recording the catalogue');
    this.items.set(record.id, structuredClone(record));
  }
  async get(id: string) {
    const found = this.items.get(id);
    if (!found) throw new NotFoundError('catalogue', id);
    return structuredClone(found);
  }
  async list(owner: string | undefined) {
    return { items: [...this.items.values()].filter((r) => owner === undefined || r.owner === owner) };
  }
  async delete(id: string) {
    this.items.delete(id);
  }
}

/** The store, failing at its `failAt`-th put or at any delete when asked. */
function failing(store: DocumentStore, options: { failAt?: number; failDeletes?: boolean }): DocumentStore {
  let puts = 0;
  return Object.assign(Object.create(store) as DocumentStore, {
    put: (key: string, content: Uint8Array, type: string) => (++puts === options.failAt ? Promise.reject(new Error(`simulated failure at put ${puts}`)) : store.put(key, content, type)),
    delete: (key: string) => (options.failDeletes ? Promise.reject(new Error('simulated failure deleting')) : store.delete(key)),
  });
}

const CSV = 'reference;fournisseur;marque;modele;article;tablet.storage.user (Go)\nT-1;F;M;X;tablet;64\nT-2;F;M;Y;tablet;16\n';
const renders: string[] = [];
const fakeReports: RenderCatalogueReports = async (checked, generatedAt) => {
  renders.push(generatedAt);
  const text = (format: string) => new TextEncoder().encode(`${format} ${checked.entries.map((e) => `${e.reference}:${e.verdict}`).join(',')}`);
  return { json: text('json'), csv: text('csv'), xlsx: text('xlsx'), pdf: text('pdf') };
};

async function deps(documents: DocumentStore, records = new MapRecords()): Promise<StoredCatalogueDeps & { records: MapRecords }> {
  return {
    catalogue: new FileCatalogueReader(await repositoryCatalogue()),
    catalogueRecords: records,
    records,
    documents,
    clock: new ManualClock('2026-12-07T03:00:00.000Z'),
    ids: new SequentialIds('catalogue'),
    urlTtlSeconds: 300,
  };
}

const input = { owner: 'manager-1', name: 'Tablettes', framework: { id: 'carmo-education', version: 2 }, file: { format: 'csv' as const, text: CSV }, bytes: new TextEncoder().encode(CSV) };

async function keys(store: DocumentStore): Promise<string[]> {
  const found: string[] = [];
  for await (const o of store.list('catalogues/')) found.push(o.key);
  return found;
}

describe('storeCatalogue', () => {
  it('writes the file, then the four reports, then the record that names them all', async () => {
    const store = new MemoryDocumentStore();
    const d = await deps(store);
    const record = await storeCatalogue(input, d, fakeReports);
    expect(await keys(store)).toEqual([record.file.key, ...record.reports.map((r) => r.key)].sort());
    // T-1 declares only its storage (the other minimum criteria are undeclared), T-2 too little of it.
    expect(record.totals).toMatchObject({ total: 2, conform: 0, 'not-conform': 1, undeclared: 1, shareConform: 0 });
    expect(d.records.items.get(record.id)).toEqual(record);
  });

  it.each([1, 2, 3, 4, 5])('leaves no record when the %i-th object fails to store (objects first, record last)', async (failAt) => {
    const store = new MemoryDocumentStore();
    const d = await deps(failing(store, { failAt }));
    await expect(storeCatalogue(input, d, fakeReports)).rejects.toThrow(`simulated failure at put ${failAt}`);
    expect(d.records.items.size).toBe(0);
    expect(await keys(store)).toHaveLength(failAt - 1);
  });

  it('leaves objects no record names (orphans), never a record without its objects, when the record fails; a retry stores the file once', async () => {
    const store = new MemoryDocumentStore();
    const d = await deps(store);
    d.records.failPut = true;
    await expect(storeCatalogue(input, d, fakeReports)).rejects.toThrow('simulated failure recording');
    expect(d.records.items.size).toBe(0);
    d.records.failPut = false;
    const record = await storeCatalogue(input, d, fakeReports);
    for (const key of [record.file.key, ...record.reports.map((r) => r.key)]) expect(await store.exists(key)).toBe(true);
    expect((await keys(store)).filter((k) => k.startsWith('catalogues/files/'))).toEqual([record.file.key]);
  });

  it('refuses a malformed file before rendering or writing anything', async () => {
    const store = new MemoryDocumentStore();
    const d = await deps(store);
    const before = renders.length;
    const bad = 'reference;fournisseur;marque;modele;article;tablet.storage.user\nA;F;M;X;tablet;64 h\n';
    await expect(storeCatalogue({ ...input, file: { format: 'csv', text: bad }, bytes: new TextEncoder().encode(bad) }, d, fakeReports)).rejects.toBeInstanceOf(ValidationError);
    expect(renders.length).toBe(before);
    expect(await keys(store)).toEqual([]);
    expect(d.records.items.size).toBe(0);
  });
});

describe('deleteStoredCatalogue', () => {
  it('deletes the record before the reports: a failure deleting a report leaves no record naming it; the file stays', async () => {
    const store = new MemoryDocumentStore();
    const d = await deps(store);
    const record = await storeCatalogue(input, d, fakeReports);
    const broken = { ...d, documents: failing(store, { failDeletes: true }) };
    await expect(deleteStoredCatalogue(record.id, { owner: 'manager-1', readsAll: false }, broken)).rejects.toThrow('simulated failure deleting');
    expect(d.records.items.size).toBe(0);

    const second = await storeCatalogue(input, d, fakeReports);
    await deleteStoredCatalogue(second.id, { owner: 'editor-1', readsAll: true }, d);
    expect(await keys(store)).not.toContain(second.reports[0]!.key);
    expect(await store.exists(second.file.key)).toBe(true);
  });

  it('hides another owner’s catalogue from a catalogue manager (not found) and deletes nothing', async () => {
    const store = new MemoryDocumentStore();
    const d = await deps(store);
    const record = await storeCatalogue(input, d, fakeReports);
    await expect(deleteStoredCatalogue(record.id, { owner: 'manager-2', readsAll: false }, d)).rejects.toBeInstanceOf(NotFoundError);
    expect(d.records.items.size).toBe(1);
    expect(await keys(store)).toHaveLength(5);
  });
});
