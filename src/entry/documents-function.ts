import type { Composition } from './composition.ts';
import type { Pipeline } from './pipeline.ts';
import { offerOperations } from '#src/adapters/http/operations/offers.ts';
import { frameworkFileOperations } from '#src/adapters/http/operations/framework-files.ts';
import { tenderOperations } from '#src/adapters/http/operations/tenders.ts';
import { createDocumentJobHandler, type DocumentJobHandler } from '#src/adapters/jobs/document-job-handler.ts';
import type { Telemetry } from '#src/adapters/observability/telemetry.ts';
import { renderDeferredDocuments } from '#src/app/render-deferred.ts';
import { unzipOwnArchive } from '#src/adapters/files/safe-zip.ts';
import { offerDeps } from './offers-composition.ts';

/**
 * The documents function's API operations, shared by its Lambda (functions/documents/handler.ts,
 * which loads this module on its first request) and the local server (api-handlers.ts): regenerate
 * and the offers of a tender, every renderer, nothing deferred; and a framework's criteria sheet and changelog PDF.
 */
export function documentsFunctionOperations(c: Composition, pipeline: Pipeline) {
  return { ...tenderOperations({ ...c, ...pipeline }), ...offerOperations(offerDeps(c, pipeline)), ...frameworkFileOperations(c) };
}

/**
 * Its job, renderDeferredDocuments over the composition and pipeline, as the local server runs it
 * in-process. The Lambda wraps the same call with the module loaded on first use, so that its cold
 * start imports neither the renderers nor the offers.
 */
export function documentsJobHandler(c: Composition, pipeline: Pipeline, telemetry?: Telemetry): DocumentJobHandler {
  return createDocumentJobHandler((tenderId) => renderDeferredDocuments(tenderId, { ...c, ...pipeline, unzip: unzipOwnArchive }), telemetry);
}
