import type { DocumentStore } from '#src/app/ports/document-store.ts';
import type { IdempotencyClaim, TenderRepository } from '#src/app/ports/tender-repository.ts';
import { TENDER_DOCUMENTS_PREFIX } from '#src/app/tender-ids.ts';
import { failStalledRenderings } from './fail-stalled-renderings.ts';
import type { CatalogueRecords } from '#src/app/ports/catalogue-records.ts';
import { findOrphanCatalogueReports, findOrphanDocuments } from './find-orphans.ts';

/** How long an Idempotency-Key is remembered: a retry after that is a new request. */
export const IDEMPOTENCY_KEY_LIFETIME_SECONDS = 24 * 3600;

/** Objects younger than this are never orphans: their generation may still be recording its tender. */
export const ORPHAN_MIN_AGE_SECONDS = 24 * 3600;

export interface GarbageReport {
  dryRun: boolean;
  /** Idempotency claims read. */
  claims: number;
  /** Claims whose tender item was missing (a crash between the two writes): the tender is recorded from the claim. */
  claimsCompleted: number;
  /** Claims past their lifetime: deleted (in AWS, DynamoDB's TTL deletes them too). */
  claimsExpired: number;
  /**
   * Objects older than ORPHAN_MIN_AGE_SECONDS under tenders/ that no tender record names, and
   * under catalogues/reports/<id>/ whose stored catalogue is not recorded (uploaded files under
   * catalogues/files/ are never collected: see findOrphanCatalogueReports).
   */
  orphanObjects: number;
  orphanBytes: number;
  /** Orphans deleted (0 on a dry run). */
  orphansDeleted: number;
  /** Deferred renderings pending for longer than the bound (failStalledRenderings). */
  renderingsStalled: number;
  /** Those recorded failed (0 on a dry run); the others finished between the listing and the write. */
  renderingsFailed: number;
}

/**
 * The cleanup a crash or a lost idempotency race can leave behind, in the order that keeps every
 * tender whole:
 * 1. every idempotency claim whose tender item is missing is completed (the claim holds the whole
 *    record, and its documents exist), so that step 3 never takes its documents for orphans;
 * 2. claims past their lifetime are deleted, after their tender is recorded;
 * 3. objects under tenders/ older than a day that no tender record names are deleted, and the
 *    reports under catalogues/reports/<id>/ older than a day whose record CATREPORT#<id> is missing;
 * 4. deferred renderings pending for longer than `pendingRenderingMaxAgeSeconds` are recorded
 *    failed and their partial files deleted (failStalledRenderings).
 * `dryRun` counts and writes nothing. Listings are paged by the adapters (continuation tokens),
 * so any number of claims and objects is covered.
 */
export async function collectGarbage(
  ports: { tenders: TenderRepository; documents: DocumentStore; catalogueRecords: Pick<CatalogueRecords, 'get'> },
  options: { now: Date; dryRun: boolean; pendingRenderingMaxAgeSeconds?: number | undefined },
): Promise<GarbageReport> {
  const report: GarbageReport = {
    dryRun: options.dryRun,
    claims: 0,
    claimsCompleted: 0,
    claimsExpired: 0,
    orphanObjects: 0,
    orphanBytes: 0,
    orphansDeleted: 0,
    renderingsStalled: 0,
    renderingsFailed: 0,
  };
  /** Tenders a claim names are never orphans, even on a dry run that completes nothing. */
  const claimed = new Set<string>();
  let batch: IdempotencyClaim[] = [];
  const flush = async () => {
    const recorded = await ports.tenders.findExisting(batch.map((c) => c.tenderId));
    for (const claim of batch) {
      if (!recorded.has(claim.tenderId)) {
        report.claimsCompleted++;
        if (!options.dryRun) await ports.tenders.findByIdempotencyKey(claim.owner, claim.key);
      }
      if (claim.expiresAt.getTime() <= options.now.getTime()) {
        report.claimsExpired++;
        if (!options.dryRun) await ports.tenders.deleteClaim(claim.owner, claim.key);
      }
    }
    batch = [];
  };
  for await (const claim of ports.tenders.listClaims()) {
    report.claims++;
    claimed.add(claim.tenderId);
    batch.push(claim);
    if (batch.length === 100) await flush();
  }
  if (batch.length > 0) await flush();

  const olderThan = new Date(options.now.getTime() - ORPHAN_MIN_AGE_SECONDS * 1000);
  const orphans = [
    ...(await findOrphanDocuments(ports, { olderThan })).filter((o) => !claimed.has(tenderIdOfKey(o.key))),
    ...(await findOrphanCatalogueReports(ports, { olderThan })),
  ];
  report.orphanObjects = orphans.length;
  report.orphanBytes = orphans.reduce((sum, o) => sum + o.bytes, 0);
  if (!options.dryRun) {
    for (const orphan of orphans) {
      await ports.documents.delete(orphan.key);
      report.orphansDeleted++;
    }
  }

  const renderings = await failStalledRenderings(ports, {
    now: options.now,
    dryRun: options.dryRun,
    maxAgeSeconds: options.pendingRenderingMaxAgeSeconds,
  });
  report.renderingsStalled = renderings.stalled;
  report.renderingsFailed = renderings.failed;
  return report;
}

function tenderIdOfKey(key: string): string {
  return key.slice(TENDER_DOCUMENTS_PREFIX.length).split('/')[0] ?? '';
}
