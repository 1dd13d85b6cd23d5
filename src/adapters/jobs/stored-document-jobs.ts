import type { DocumentStore } from '#src/app/ports/document-store.ts';
import { documentJobKey, type DocumentJobs } from '#src/app/ports/document-jobs.ts';

/**
 * Deferred renderings in AWS: a job is a small object `document-jobs/<tenderId>.json` in the
 * documents bucket. The bucket sends its object-created events to EventBridge, and a rule
 * (infra/constructs/documents-function.ts) invokes the documents function asynchronously for that
 * prefix, with retries. Why an event rather than `lambda:InvokeFunction`: the tenders function
 * needs no Lambda client (its bundle stays as it is) and no permission beyond PutObject on that
 * one prefix, and a job outlives a throttled or failed invocation (EventBridge retries it).
 */
export class StoredDocumentJobs implements DocumentJobs {
  constructor(private readonly documents: Pick<DocumentStore, 'put'>) {}

  async submit(tenderId: string): Promise<void> {
    await this.documents.put(documentJobKey(tenderId), new TextEncoder().encode(`${JSON.stringify({ tenderId })}\n`), 'application/json');
  }
}
