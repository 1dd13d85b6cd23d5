import { TenderIdSchema } from '#src/app/tender-ids.ts';
/**
 * Deferred renderings (issue #19): the tenders function records a tender whose documents include
 * an Office format and hands its rendering to the documents function through this port. In AWS
 * the job is an object under `document-jobs/` whose creation EventBridge delivers to the
 * documents function (src/adapters/jobs/stored-document-jobs.ts); locally and in tests, the same
 * use case runs in-process (src/adapters/jobs/in-process-document-jobs.ts).
 */
export interface DocumentJobs {
  /** Queues the rendering of a recorded tender whose rendering is pending. Resolves once queued, not once rendered. */
  submit(tenderId: string): Promise<void>;
}

/** Where the job objects live in the documents bucket: one per deferred tender. */
export const DOCUMENT_JOBS_PREFIX = 'document-jobs/';
export function documentJobKey(tenderId: string): string {
  return `${DOCUMENT_JOBS_PREFIX}${tenderId}.json`;
}
/** The tender id a job object's key names; undefined for any other key. */
export function tenderIdOfJobKey(key: string): string | undefined {
  if (!key.startsWith(DOCUMENT_JOBS_PREFIX) || !key.endsWith('.json')) return undefined;
  const id = key.slice(DOCUMENT_JOBS_PREFIX.length, -'.json'.length);
  return TenderIdSchema.safeParse(id).success ? id : undefined;
}
