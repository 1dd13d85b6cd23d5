import { createHash } from 'node:crypto';
import { NotFoundError } from '#src/core/model/errors.ts';
import { STORED_REPORT_FORMATS, StoredCatalogueSchema, type StoredCatalogue, type StoredReportFormat } from '#src/core/model/stored-catalogue.ts';
import type { ReportEntry, ReportSummary } from '#src/core/products/catalogue-report.ts';
import { checkCatalogueStream, type ProductFile, type ProductSource } from './check-catalogue.ts';
import type { CatalogueReader } from './ports/catalogue-reader.ts';
import type { CatalogueRecords } from './ports/catalogue-records.ts';
import type { DocumentStore } from './ports/document-store.ts';
import type { Page, PageRequest } from './ports/page.ts';
import type { Clock, IdGenerator } from './ports/system.ts';
import { CATALOGUE_FILES_PREFIX, CATALOGUE_REPORTS_PREFIX } from './catalogue-keys.ts';

/**
 * Stored catalogues (issue #18): a product file checked against a framework version, kept with
 * its reports so that a catalogue manager, and the ministry's editors, can read them again.
 *
 * Write order, as for tenders: the uploaded file, then the reports, then the record. A refused
 * file throws before anything is written; a failure after the first object leaves orphans
 * (objects no record names), never a record that points at a missing object. The daily gc
 * (collectGarbage) deletes the reports no record names once older than a day; it never deletes an
 * uploaded file (see findOrphanCatalogueReports).
 *
 * Objects (bucket prefix `catalogues/`):
 *   catalogues/files/<sha256>.<csv|json|xlsx>   the uploaded bytes, never replaced; kept when a
 *                                               record is deleted (another record may share them)
 *   catalogues/reports/<id>/conformity.<format> the reports of one record, deleted with it
 */

export { CATALOGUES_PREFIX } from './catalogue-keys.ts';

export const REPORT_MEDIA_TYPES: Record<StoredReportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

const FILE_MEDIA_TYPES: Record<ProductFile['format'], string> = { csv: 'text/csv; charset=utf-8', json: 'application/json', xlsx: REPORT_MEDIA_TYPES.xlsx };

export const uploadedFileKey = (sha256: string, format: ProductFile['format']) => `${CATALOGUE_FILES_PREFIX}${sha256}.${format}`;
export const reportKey = (id: string, format: StoredReportFormat) => `${CATALOGUE_REPORTS_PREFIX}${id}/conformity.${format}`;

/** A checked catalogue, ready to render: what the CLI writes to a folder and the API stores. */
export interface CheckedCatalogue {
  summary: ReportSummary;
  columns: ReadonlyArray<{ id: string; label: string }>;
  entries: readonly ReportEntry[];
}

/** The reports of a checked catalogue, each format's bytes (the same renderers as `cahier conformity`). */
export type RenderCatalogueReports = (checked: CheckedCatalogue, generatedAt: string) => Promise<Record<StoredReportFormat, Uint8Array>>;

export interface StoredCatalogueDeps {
  catalogue: CatalogueReader;
  catalogueRecords: CatalogueRecords;
  documents: DocumentStore;
  clock: Clock;
  ids: IdGenerator;
  urlTtlSeconds: number;
}

/** Who reads: a catalogue manager reads their own catalogues, an editor every one. */
export interface CatalogueViewer {
  owner: string;
  readsAll: boolean;
}

export interface StoreCatalogueInput {
  owner: string;
  name: string;
  framework: { id: string; version: number };
  /** The file as checked, and the bytes as uploaded (hashed and stored as they are). */
  file: ProductFile;
  bytes: Uint8Array;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Checks a product file, stores it under its hash, stores its reports, then records it. A refused file stores nothing (ValidationError). */
export async function storeCatalogue(input: StoreCatalogueInput, deps: StoredCatalogueDeps, render: RenderCatalogueReports): Promise<StoredCatalogue> {
  const entries: ReportEntry[] = [];
  const source: ProductSource = input.file.format === 'xlsx' ? input.file : { format: input.file.format, read: singlePiece(input.file.text) };
  const { summary, columns } = await checkCatalogueStream(source, input.framework, deps, async (entry) => void entries.push(entry));
  const createdAt = deps.clock.now().toISOString();
  const id = deps.ids.newId();
  const reports = await render({ summary, columns, entries }, createdAt);

  const fileHash = sha256(input.bytes);
  const fileKey = uploadedFileKey(fileHash, input.file.format);
  // Content-addressed: the same bytes are the same object, never written twice.
  if (!(await deps.documents.exists(fileKey))) await deps.documents.put(fileKey, input.bytes, FILE_MEDIA_TYPES[input.file.format]);
  const stored = [];
  for (const format of STORED_REPORT_FORMATS) {
    const bytes = reports[format];
    await deps.documents.put(reportKey(id, format), bytes, REPORT_MEDIA_TYPES[format]);
    stored.push({ format, key: reportKey(id, format), bytes: bytes.byteLength, sha256: sha256(bytes) });
  }
  const record = StoredCatalogueSchema.parse({
    id,
    owner: input.owner,
    name: input.name,
    framework: summary.framework,
    file: { sha256: fileHash, bytes: input.bytes.byteLength, format: input.file.format, key: fileKey },
    totals: summary.totals,
    reports: stored,
    createdAt,
  });
  await deps.catalogueRecords.put(record);
  return record;
}

function singlePiece(text: string): () => AsyncIterable<string> {
  return async function* () {
    yield text;
  };
}

/** A stored catalogue its viewer may read; another manager's is not found (404), as a tender is. */
export async function getStoredCatalogue(id: string, viewer: CatalogueViewer, deps: Pick<StoredCatalogueDeps, 'catalogueRecords'>): Promise<StoredCatalogue> {
  const record = await deps.catalogueRecords.get(id);
  if (!viewer.readsAll && record.owner !== viewer.owner) throw new NotFoundError('catalogue', id);
  return record;
}

export function listStoredCatalogues(viewer: CatalogueViewer, page: PageRequest, deps: Pick<StoredCatalogueDeps, 'catalogueRecords'>): Promise<Page<StoredCatalogue>> {
  return deps.catalogueRecords.list(viewer.readsAll ? undefined : viewer.owner, page);
}

/** A short-lived link to one report of a stored catalogue. */
export async function catalogueReportLink(
  id: string,
  format: StoredReportFormat,
  viewer: CatalogueViewer,
  deps: Pick<StoredCatalogueDeps, 'catalogueRecords' | 'documents' | 'clock' | 'urlTtlSeconds'>,
): Promise<{ name: string; url: string; expiresAt: string }> {
  const record = await getStoredCatalogue(id, viewer, deps);
  const report = record.reports.find((r) => r.format === format);
  if (!report) throw new NotFoundError('report', `${id}/${format}`);
  const name = `conformite-${id}.${format}`;
  const url = await deps.documents.presignedGet(report.key, deps.urlTtlSeconds, { downloadName: name, ...(format === 'pdf' ? { inline: true } : {}) });
  return { name, url, expiresAt: new Date(deps.clock.now().getTime() + deps.urlTtlSeconds * 1000).toISOString() };
}

/** The stored JSON report of a catalogue, as stored (what the web page shows and filters). */
export async function storedCatalogueReport(id: string, viewer: CatalogueViewer, deps: Pick<StoredCatalogueDeps, 'catalogueRecords' | 'documents'>): Promise<Uint8Array> {
  const record = await getStoredCatalogue(id, viewer, deps);
  const report = record.reports.find((r) => r.format === 'json');
  if (!report) throw new NotFoundError('report', `${id}/json`);
  return deps.documents.get(report.key);
}

/**
 * Deletes a stored catalogue its viewer may read: the record first (so that no record ever names a
 * deleted report), then its reports. The uploaded file stays: it is content-addressed, so another
 * record may name the same bytes, and it is what the reports were computed from.
 */
export async function deleteStoredCatalogue(id: string, viewer: CatalogueViewer, deps: Pick<StoredCatalogueDeps, 'catalogueRecords' | 'documents'>): Promise<void> {
  const record = await getStoredCatalogue(id, viewer, deps);
  await deps.catalogueRecords.delete(record.id);
  await Promise.all(record.reports.map((r) => deps.documents.delete(r.key)));
}
