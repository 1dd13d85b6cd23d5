import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { CatalogueTally, catalogueReport, productChecker, type CatalogueReport, type ReportEntry, type ReportSummary } from '#src/core/products/catalogue-report.ts';
import { applyDraft, catalogueImpact, DraftChangesSchema, type CatalogueImpact } from '#src/core/products/impact.ts';
import { importProducts, importProductSheet, ProductFileReader, type ImportOptions } from '#src/core/products/import-products.ts';
import type { Product } from '#src/core/products/product.ts';
import { FileLimitError, type SheetTable } from '#src/core/products/read-table.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import type { Clock } from '#src/app/ports/system.ts';

/**
 * Use cases of catalogue conformity: check a product file against a framework version, and
 * preview what a framework change would do to a catalogue. Neither writes anything.
 */

/** Longest time spent reading one product file before it is refused (HTTP 422, CLI exit 2). */
export const IMPORT_TIME_BUDGET_MS = 20_000;

/** A product file: CSV or JSON text, or the first sheet of an .xlsx workbook that an adapter read within its bounds. */
export type ProductFile = { text: string; format: 'csv' | 'json' } | { table: SheetTable; format: 'xlsx' };

/** « carmo-education@2 » into its id and version. */
export function parseFrameworkRef(text: string): { id: string; version: number } | undefined {
  const match = /^([a-z0-9][a-z0-9-]*)@([1-9]\d{0,5})$/.exec(text.trim());
  return match ? { id: match[1]!, version: Number(match[2]) } : undefined;
}

async function snapshotOf(reader: CatalogueReader, id: string, version: number, path: string): Promise<CatalogueSnapshot> {
  try {
    return await reader.snapshot(id, version);
  } catch (error) {
    if (error instanceof NotFoundError && error.resource === 'framework') throw new ValidationError([{ path, message: `unknown framework ${id} version ${version}` }]);
    throw error;
  }
}

/** The time budget of one reading, from now. */
function budget(clock: Clock): () => boolean {
  const started = clock.now().getTime();
  return () => clock.now().getTime() - started > IMPORT_TIME_BUDGET_MS;
}

/** A bound other than the size (checked before reading) is an issue of the file, answered like any other. */
async function refusingLimits<T>(read: () => T | Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof FileLimitError && error.limit !== 'bytes') throw new ValidationError([{ path: '', message: error.message }]);
    throw error;
  }
}

/** The products of a file, read against `snapshot` within the time budget (ValidationError otherwise). */
export function readProductFile(file: ProductFile, snapshot: CatalogueSnapshot, clock: Clock, onProgress?: (rows: number) => void): Promise<Product[]> {
  const options: ImportOptions = { outOfTime: budget(clock), ...(onProgress ? { onProgress } : {}) };
  return refusingLimits(() => (file.format === 'xlsx' ? importProductSheet(file.table, snapshot, options) : importProducts(file.text, file.format, snapshot, options)));
}

/** The conformity report of a product file against one framework version. */
export async function checkCatalogue(
  file: ProductFile,
  framework: { id: string; version: number },
  deps: { catalogue: CatalogueReader; clock: Clock },
  onProgress?: (rows: number) => void,
): Promise<CatalogueReport> {
  const snapshot = await snapshotOf(deps.catalogue, framework.id, framework.version, 'framework');
  return catalogueReport(await readProductFile(file, snapshot, deps.clock, onProgress), snapshot);
}

/** A product file too large to hold, read from its start each time `read` is called (a file on disk). */
export type ProductSource = { format: 'csv' | 'json'; read: () => AsyncIterable<string> } | { format: 'xlsx'; table: SheetTable };

/** The products of a source as a reader validates them (for JSON, the whole text is parsed: its size is bounded before). */
async function* productsOf(source: ProductSource, reader: ProductFileReader): AsyncGenerator<Product> {
  if (source.format === 'xlsx') {
    yield* reader.sheet(source.table);
    return;
  }
  if (source.format === 'json') {
    let text = '';
    for await (const piece of source.read()) text += piece;
    yield* reader.json(text);
    return;
  }
  for await (const piece of source.read()) yield* reader.csv(piece);
  yield* reader.csvEnd();
}

/**
 * The conformity report of a large product file, in bounded memory. A first reading validates
 * every product and keeps only the issues (the first ones), the references and the bundles: a
 * refused file throws its ValidationError before `write` is ever called, so a caller that stores
 * only from `write` stores nothing. When bundles name components, a second reading keeps those
 * products. The last reading checks each product in the order of the file and gives its report
 * entry to `write`; the counts come back at the end with the criterion columns the entries used.
 */
export async function checkCatalogueStream(
  source: ProductSource,
  framework: { id: string; version: number },
  deps: { catalogue: CatalogueReader; clock: Clock },
  write: (entry: ReportEntry) => Promise<void>,
  progress: { read?: (rows: number) => void; checked?: (rows: number) => void } = {},
): Promise<{ summary: ReportSummary; columns: Array<{ id: string; label: string }> }> {
  const snapshot = await snapshotOf(deps.catalogue, framework.id, framework.version, 'framework');
  const reading = (options: ImportOptions = {}) => new ProductFileReader(snapshot, source.format, options);
  const first = reading({ outOfTime: budget(deps.clock), ...(progress.read ? { onProgress: progress.read } : {}) });
  await refusingLimits(async () => {
    for await (const _ of productsOf(source, first));
  });
  first.refuseIfInvalid();
  const wanted = first.componentReferences();
  const components: Product[] = [];
  if (wanted.size > 0) for await (const product of productsOf(source, reading())) if (wanted.has(product.reference)) components.push(product);
  const check = productChecker(components, snapshot);
  const tally = new CatalogueTally(snapshot);
  let count = 0;
  for await (const product of productsOf(source, reading())) {
    await write(tally.add(check(product)));
    if (++count % 1000 === 0) progress.checked?.(count);
  }
  return { summary: tally.summary(), columns: tally.columns() };
}

/**
 * What a framework change does to a catalogue: either a version already published (`compareTo`)
 * or a draft of threshold and level edits (`changes`) on top of `version`.
 */
export const ImpactRequestSchema = z
  .strictObject({
    framework: SlugSchema,
    version: z.number().int().positive().describe('The version the catalogue is checked against today'),
    compareTo: z.number().int().positive().optional().describe('A published version to compare with'),
    changes: DraftChangesSchema.optional().describe('Draft edits of thresholds and levels, not yet published'),
  })
  .refine((r) => (r.compareTo === undefined) !== (r.changes === undefined), { message: 'give either compareTo or changes', path: ['changes'] });
export type ImpactRequest = z.infer<typeof ImpactRequestSchema>;

export async function previewImpact(
  request: ImpactRequest,
  file: ProductFile,
  deps: { catalogue: CatalogueReader; clock: Clock },
): Promise<CatalogueImpact> {
  const base = await snapshotOf(deps.catalogue, request.framework, request.version, 'version');
  const candidate = request.changes ? applyDraft(base, request.changes) : await snapshotOf(deps.catalogue, request.framework, request.compareTo!, 'compareTo');
  // Values are read against every criterion either side knows, so an attribute of a criterion the candidate adds is not refused.
  const products = await readProductFile(file, { ...base, criteria: new Map([...base.criteria, ...candidate.criteria]) }, deps.clock);
  return catalogueImpact(products, base, candidate, request.changes !== undefined);
}
