import { TENDER_DOCUMENTS_PREFIX } from '#src/app/tender-ids.ts';
import type { DocumentStore, StoredObject } from '#src/app/ports/document-store.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';

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
