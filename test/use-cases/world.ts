/**
 * A whole Cahier on fakes, for the use-case tests: every store port in memory
 * (src/adapters/memory/), seeded with the repository's catalogue as `cahier seed` would, the
 * shipped templates, and the real output registry's descriptors (formats, file names, media
 * types, audiences) with fast fake renderers in place of PDFKit, docx and exceljs: what a use case
 * decides is tested here in milliseconds; what a renderer writes is tested in test/pdf/ and
 * test/exports/.
 */
import { NotFoundError } from '#src/core/model/errors.ts';
import { createMemoryStores, type MemoryStores } from '#src/adapters/memory/memory-stores.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { DEFAULT_FORMATS, FORMATS, OUTPUTS } from '#src/adapters/render/formats.ts';
import { createOutputRegistry } from '#src/app/outputs.ts';
import type { OutputAdapter, OutputRegistry, RenderInput } from '#src/app/ports/outputs.ts';
import type { TenderDeps } from '#src/app/generate-tender.ts';
import { seedCatalogue } from '#src/app/seed-catalogue.ts';
import type { Unzip } from '#src/app/dce-pieces.ts';
import { unzipOwnArchive } from '#src/adapters/files/safe-zip.ts';
import type { StoredObject } from '#src/app/ports/document-store.ts';
import type { Catalogue } from '#src/core/model/catalogue.ts';
import { canonicalJson } from '#src/core/model/canonical-json.ts';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { defaultTemplateEngine } from '#src/entry/pipeline.ts';

export { example } from '../support/pipeline.ts';

let catalogue: Promise<Catalogue> | undefined;

/** The repository's catalogue, read once per test file. */
export function repositoryCatalogue(): Promise<Catalogue> {
  catalogue ??= loadCatalogue(CATALOGUE_DIR);
  return catalogue;
}

/**
 * Bytes that stand for a rendered file: its name, a renderer edition, and what the real renderer
 * reads (the request, the pinned criteria through the CCTP's model, the findings), so that any
 * change of input or edition changes them, and the same input gives the same bytes.
 */
export function fakeRender(fileName: string, edition = 1): (input: RenderInput) => Promise<Uint8Array> {
  return async (input) =>
    Buffer.from(`${fileName} (fake renderer, edition ${edition})\n${canonicalJson({ request: input.tender.request, findings: input.rules.findings, cctp: input.document('cctp') })}`);
}

/** Cahier's formats and files, each rendered by fakeRender; `extra` adapters are registered after them. */
export function fakeOutputs(options: { edition?: number; extra?: readonly OutputAdapter[]; formats?: OutputRegistry['formats'] } = {}): {
  outputs: OutputRegistry;
  rendered: string[];
} {
  const rendered: string[] = [];
  const adapters = [...OUTPUTS.map((o) => ({ ...o, render: fakeRender(o.fileName, options.edition) })), ...(options.extra ?? [])].map((o) => ({
    ...o,
    render: (input: RenderInput) => (rendered.push(o.fileName), o.render(input)),
  }));
  return { outputs: createOutputRegistry(options.formats ?? FORMATS, adapters, DEFAULT_FORMATS), rendered };
}

export type World = MemoryStores & TenderDeps & { rendered: string[]; unzip: Unzip };

/** Fresh fakes, seeded with the repository's catalogue, on 4 May 2026 at 09:00 UTC. */
export async function fakeWorld(options: { outputs?: ReturnType<typeof fakeOutputs>; listPageSize?: number } = {}): Promise<World> {
  const stores = createMemoryStores({ now: '2026-05-04T09:00:00.000Z', ...(options.listPageSize ? { listPageSize: options.listPageSize } : {}) });
  await seedCatalogue({ criteria: stores.criteria }, await repositoryCatalogue());
  const { outputs, rendered } = options.outputs ?? fakeOutputs();
  return { ...stores, templates: defaultTemplateEngine(), outputs, rendered, urlTtlSeconds: 300, unzip: unzipOwnArchive };
}

/** Every object of the document store, with its bytes read back. */
export async function storedObjects(world: Pick<World, 'documents'>, prefix = ''): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const object of world.documents.list(prefix)) out.push(object);
  return out;
}

/** Every tender of an owner, all pages. */
export async function allTenders(world: Pick<World, 'tenders'>, owner: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await world.tenders.listByOwner(owner, { limit: 100, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((t) => t.id));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

/** No stored catalogue recorded: what collectGarbage reads for catalogue reports in these tests. */
export const NO_STORED_CATALOGUES = { get: (id: string) => Promise.reject(new NotFoundError('catalogue', id)) };
