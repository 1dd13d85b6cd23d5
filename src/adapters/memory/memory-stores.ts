import { RepositoryCatalogueReader } from '../stores/repository-catalogue-reader.ts';
import { MemoryAuditLog } from './memory-audit-log.ts';
import { MemoryCriteriaRepository } from './memory-criteria-repository.ts';
import { MemoryDocumentStore } from './memory-document-store.ts';
import { MemoryTenderRepository } from './memory-tender-repository.ts';
import { ManualClock, SequentialIds } from './system.ts';

/** Every store port in memory, wired as the stack wires DynamoDB and S3: the catalogue reader reads the criteria repository, documents are dated by the clock. */
export interface MemoryStores {
  criteria: MemoryCriteriaRepository;
  audit: MemoryAuditLog;
  tenders: MemoryTenderRepository;
  documents: MemoryDocumentStore;
  catalogue: RepositoryCatalogueReader;
  clock: ManualClock;
  ids: SequentialIds;
}

export function createMemoryStores(options: { now?: Date | string; listPageSize?: number } = {}): MemoryStores {
  const clock = new ManualClock(options.now);
  const criteria = new MemoryCriteriaRepository();
  return {
    criteria,
    audit: new MemoryAuditLog(),
    tenders: new MemoryTenderRepository(),
    documents: new MemoryDocumentStore({ clock, ...(options.listPageSize ? { listPageSize: options.listPageSize } : {}) }),
    catalogue: new RepositoryCatalogueReader(criteria),
    clock,
    ids: new SequentialIds('tender'),
  };
}
