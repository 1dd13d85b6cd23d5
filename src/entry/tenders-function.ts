import type { Composition } from './composition.ts';
import type { Pipeline } from './pipeline.ts';
import { catalogueOperations } from '#src/adapters/http/operations/catalogues.ts';
import { tenderOperations } from '#src/adapters/http/operations/tenders.ts';
import { OFFICE_FORMATS } from '#src/adapters/render/formats.ts';
import type { DocumentJobs } from '#src/app/ports/document-jobs.ts';

/**
 * The operations of the tenders function: it renders PDF and JSON itself and hands the Office
 * formats to `jobs`. The Lambda (functions/tenders/handler.ts) loads this module on its first
 * request; the local server (api-handlers.ts) imports it with every other function's.
 */
export function tendersFunctionOperations(c: Composition, pipeline: Pipeline, jobs: DocumentJobs) {
  return {
    ...tenderOperations({ ...c, ...pipeline, deferred: { formats: OFFICE_FORMATS, jobs } }),
    ...catalogueOperations(c),
  };
}
