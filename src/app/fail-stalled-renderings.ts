import type { DocumentStore } from '#src/app/ports/document-store.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import { tenderDocumentKey, type TenderRecord } from '#src/app/tender-record.ts';

/**
 * How long a deferred rendering may stay pending before the gc declares it failed, by default.
 * It must exceed the longest a job can still run: EventBridge delivers it for up to an hour, the
 * documents function's asynchronous queue keeps it for up to an hour more (both
 * DOCUMENT_JOB_MAX_AGE, infra/constructs/document-jobs.ts), and a run lasts under a minute. Three
 * hours leaves a margin; the stage config may set another bound (infra/config.ts checks it).
 */
export const PENDING_RENDERING_MAX_AGE_SECONDS = 3 * 3600;

/** The recorded reason, in English like every API error; the web app explains the `stalled` cause in French. */
export const STALLED_RENDERING_REASON = 'no rendering job finished in time; generate the documents again';

export interface StalledRenderingsReport {
  /** Tenders pending for longer than the bound. */
  stalled: number;
  /** Those recorded failed (0 on a dry run). */
  failed: number;
  /** Those whose rendering ended between the listing and the write: left as they were. */
  finishedMeanwhile: number;
}

/**
 * The tenders whose deferred rendering is still pending `maxAgeSeconds` after their creation: its
 * job was never written (a crash between recording the tender and queuing it) or every delivery
 * failed. Each is recorded failed, with a reason that tells the buyer to generate again, through
 * completeRendering, so a rendering that finished meanwhile is never overwritten; then the files
 * a dead attempt may have stored are deleted, as the documents function's failure path does. No
 * job can still be running past the bound, so nothing writes those files after the delete.
 * `dryRun` counts and writes nothing.
 */
export async function failStalledRenderings(
  ports: { tenders: Pick<TenderRepository, 'listPendingRenderings' | 'completeRendering'>; documents: Pick<DocumentStore, 'delete'> },
  options: { now: Date; dryRun: boolean; maxAgeSeconds?: number | undefined },
): Promise<StalledRenderingsReport> {
  const report: StalledRenderingsReport = { stalled: 0, failed: 0, finishedMeanwhile: 0 };
  const createdBefore = new Date(options.now.getTime() - (options.maxAgeSeconds ?? PENDING_RENDERING_MAX_AGE_SECONDS) * 1000);
  for await (const record of ports.tenders.listPendingRenderings(createdBefore)) {
    report.stalled++;
    if (options.dryRun) continue;
    if (!(await ports.tenders.completeRendering(failedRendering(record, options.now)))) {
      report.finishedMeanwhile++;
      continue;
    }
    report.failed++;
    await Promise.all(record.rendering!.files.map((file) => ports.documents.delete(tenderDocumentKey(record.id, file.name))));
  }
  return report;
}

function failedRendering(record: TenderRecord, now: Date): TenderRecord {
  return { ...record, rendering: { ...record.rendering!, status: 'failed', finishedAt: now.toISOString(), reason: STALLED_RENDERING_REASON, cause: 'stalled' } };
}
