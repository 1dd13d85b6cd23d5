import { TENDER_DOCUMENTS_PREFIX } from '#src/app/tender-ids.ts';
import type { DocumentStore, StoredObject } from '#src/app/ports/document-store.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import type { CatalogueRecords } from '#src/app/ports/catalogue-records.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import { CATALOGUE_REPORTS_PREFIX } from './catalogue-keys.ts';

/**
 * Objects under the tenders prefix that no tender record names: what a generation leaves when it
 * dies after storing its documents and before recording the tender, or when it loses an
 * idempotency race. Only objects older than `olderThan` are listed, so a generation still in
 * flight (documents stored, record not yet written) is never reported. Lists, never deletes: the
 * cleanup command decides.
 */
export async function findOrphanDocuments(
  ports: { documents: DocumentStore; tenders: TenderRepository },
  options: { olderThan: Date },
): Promise<StoredObject[]> {
  const byTender = new Map<string, StoredObject[]>();
  for await (const object of ports.documents.list(TENDER_DOCUMENTS_PREFIX)) {
    if (object.lastModified >= options.olderThan) continue;
    const tenderId = object.key.slice(TENDER_DOCUMENTS_PREFIX.length).split('/')[0] ?? '';
    byTender.set(tenderId, [...(byTender.get(tenderId) ?? []), object]);
  }
  const ids = [...byTender.keys()];
  const orphans: StoredObject[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const part = ids.slice(i, i + 100);
    const recorded = await ports.tenders.findExisting(part);
    for (const id of part) if (!recorded.has(id)) orphans.push(...byTender.get(id)!);
  }
  return orphans.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Reports under `catalogues/reports/<id>/` whose record `CATREPORT#<id>` does not exist: what an
 * upload leaves when it dies between its reports and its record (POST /catalogues writes the
 * record last), or a DELETE between the record and its reports. An id is reported only when every
 * object under it is older than `olderThan`, so an upload still writing is never touched. Uploaded
 * files (`catalogues/files/<sha256>`) are never listed: they are shared by hash, and an upload of
 * the same bytes reuses an existing file before writing its record, so no age tells that a file is
 * unreferenced (the README, « Nettoyage »).
 */
export async function findOrphanCatalogueReports(
  ports: { documents: DocumentStore; catalogueRecords: Pick<CatalogueRecords, 'get'> },
  options: { olderThan: Date },
): Promise<StoredObject[]> {
  const byId = new Map<string, StoredObject[]>();
  const young = new Set<string>();
  for await (const object of ports.documents.list(CATALOGUE_REPORTS_PREFIX)) {
    const id = object.key.slice(CATALOGUE_REPORTS_PREFIX.length).split('/')[0] ?? '';
    if (object.lastModified >= options.olderThan) young.add(id);
    byId.set(id, [...(byId.get(id) ?? []), object]);
  }
  const orphans: StoredObject[] = [];
  for (const [id, objects] of byId) {
    if (young.has(id) || id === '') continue;
    try {
      await ports.catalogueRecords.get(id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      orphans.push(...objects);
    }
  }
  return orphans.sort((a, b) => a.key.localeCompare(b.key));
}
