import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { catalogueReport, type CatalogueReport } from '#src/core/products/catalogue-report.ts';
import { applyDraft, catalogueImpact, DraftChangesSchema, type CatalogueImpact } from '#src/core/products/impact.ts';
import { importProducts, type ProductFileFormat } from '#src/core/products/import-products.ts';
import type { Product } from '#src/core/products/product.ts';
import { FileLimitError } from '#src/core/products/read-table.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import type { Clock } from '#src/app/ports/system.ts';

/**
 * Use cases of catalogue conformity: check a product file against a framework version, and
 * preview what a framework change would do to a catalogue. Neither writes anything.
 */

/** Longest time spent reading one product file before it is refused (HTTP 422, CLI exit 2). */
export const IMPORT_TIME_BUDGET_MS = 20_000;

export interface ProductFile {
  text: string;
  format: ProductFileFormat;
}

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

/** The products of a file, read against `snapshot` within the time budget (ValidationError otherwise). */
export function readProductFile(file: ProductFile, snapshot: CatalogueSnapshot, clock: Clock, onProgress?: (rows: number) => void): Product[] {
  const started = clock.now().getTime();
  try {
    return importProducts(file.text, file.format, snapshot, { outOfTime: () => clock.now().getTime() - started > IMPORT_TIME_BUDGET_MS, ...(onProgress ? { onProgress } : {}) });
  } catch (error) {
    if (error instanceof FileLimitError && error.limit !== 'bytes') throw new ValidationError([{ path: '', message: error.message }]);
    throw error;
  }
}

/** The conformity report of a product file against one framework version. */
export async function checkCatalogue(
  file: ProductFile,
  framework: { id: string; version: number },
  deps: { catalogue: CatalogueReader; clock: Clock },
  onProgress?: (rows: number) => void,
): Promise<CatalogueReport> {
  const snapshot = await snapshotOf(deps.catalogue, framework.id, framework.version, 'framework');
  return catalogueReport(readProductFile(file, snapshot, deps.clock, onProgress), snapshot);
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
  const products = readProductFile(file, { ...base, criteria: new Map([...base.criteria, ...candidate.criteria]) }, deps.clock);
  return catalogueImpact(products, base, candidate, request.changes !== undefined);
}
