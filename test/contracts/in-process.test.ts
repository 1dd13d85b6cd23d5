/**
 * The contract suites on every adapter that needs no server: the in-memory fakes
 * (src/adapters/memory/), the catalogue read from files, the machine's clock and ids. The same
 * suites run on DynamoDB and S3 in test/integration/.
 */
import { describe, expect, it } from 'vitest';
import { FileCatalogueReader } from '#src/adapters/files/file-catalogue-reader.ts';
import { MemoryAuditLog } from '#src/adapters/memory/memory-audit-log.ts';
import { MemoryCriteriaRepository } from '#src/adapters/memory/memory-criteria-repository.ts';
import { MemoryDraftRepository } from '#src/adapters/memory/memory-draft-repository.ts';
import { MemoryDocumentStore } from '#src/adapters/memory/memory-document-store.ts';
import { MemoryTenderRepository } from '#src/adapters/memory/memory-tender-repository.ts';
import { ManualClock, SequentialIds } from '#src/adapters/memory/system.ts';
import { RepositoryCatalogueReader } from '#src/adapters/stores/repository-catalogue-reader.ts';
import { randomIds, systemClock } from '#src/adapters/system.ts';
import { seedCatalogue } from '#src/app/seed-catalogue.ts';
import { auditLogContract } from './audit-log.contract.ts';
import { catalogueReaderContract } from './catalogue-reader.contract.ts';
import { catalogueVersionsContract } from './catalogue-versions.contract.ts';
import { criteriaRepositoryContract } from './criteria-repository.contract.ts';
import { draftRepositoryContract } from './draft-repository.contract.ts';
import { documentStoreContract } from './document-store.contract.ts';
import { systemContract } from './system.contract.ts';
import { tenderRepositoryContract } from './tender-repository.contract.ts';

criteriaRepositoryContract('MemoryCriteriaRepository', async () => new MemoryCriteriaRepository());
tenderRepositoryContract('MemoryTenderRepository', async () => new MemoryTenderRepository());
documentStoreContract('MemoryDocumentStore', async ({ listPageSize }) => new MemoryDocumentStore({ listPageSize }));
catalogueReaderContract('RepositoryCatalogueReader over MemoryCriteriaRepository', async (catalogue) => {
  const criteria = new MemoryCriteriaRepository();
  await seedCatalogue({ criteria }, catalogue);
  return new RepositoryCatalogueReader(criteria);
});
catalogueReaderContract('FileCatalogueReader', async (catalogue) => new FileCatalogueReader(catalogue));
systemContract('ManualClock and SequentialIds', () => ({ clock: new ManualClock(), ids: new SequentialIds('tender') }));
systemContract('systemClock and randomIds', () => ({ clock: systemClock, ids: randomIds }));
auditLogContract('MemoryAuditLog', async () => new MemoryAuditLog());
draftRepositoryContract('MemoryDraftRepository', async () => new MemoryDraftRepository());
catalogueVersionsContract('Memory stores', async () => ({
  criteria: new MemoryCriteriaRepository(),
  tenders: new MemoryTenderRepository(),
  documents: new MemoryDocumentStore(),
  audit: new MemoryAuditLog(),
}));

describe('MemoryDocumentStore', () => {
  it('refuses bytes whose SHA-256 is not the one given, writing nothing, as S3 refuses them', async () => {
    const store = new MemoryDocumentStore();

    await expect(store.put('tenders/t-hash/cctp.pdf', new Uint8Array([1, 2, 3]), 'application/pdf', '0'.repeat(64))).rejects.toThrow(/SHA-256/);

    expect(await store.exists('tenders/t-hash/cctp.pdf')).toBe(false);
  });
});
