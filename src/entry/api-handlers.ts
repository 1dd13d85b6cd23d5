import type { Composition } from './composition.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { NO_METRICS, powertoolsLog, type Telemetry } from '#src/adapters/observability/telemetry.ts';
import type { HttpApiHandler } from '#src/adapters/http/lambda-types.ts';
import { catalogueReadOperations } from '#src/adapters/http/operations/catalogue-read.ts';
import { criteriaWriteOperations } from '#src/adapters/http/operations/criteria-write.ts';
import { healthOperations } from '#src/adapters/http/operations/health.ts';
import { openApiOperations } from '#src/adapters/http/operations/openapi.ts';
import { draftOperations } from '#src/adapters/http/operations/drafts.ts';
import { InProcessDocumentJobs } from '#src/adapters/jobs/in-process-document-jobs.ts';
import type { Pipeline } from './pipeline.ts';
import { documentsFunctionOperations, documentsJobHandler } from './documents-function.ts';
import { tendersFunctionOperations } from './tenders-function.ts';
import { cataloguesFunctionOperations } from './catalogues-function.ts';
import { DynamoDbCatalogueRecords } from '#src/adapters/dynamodb/dynamodb-catalogue-records.ts';
import type { FunctionName } from '#src/adapters/http/routes.ts';

/**
 * The local stack's telemetry: the Lambdas' Powertools log lines on stdout (POWERTOOLS_LOG_LEVEL
 * sets the level; the tests default it to SILENT), no metrics.
 */
export function localTelemetry(): Telemetry {
  return { log: powertoolsLog(), metrics: NO_METRICS };
}

export type ApiHandlers = Record<FunctionName, HttpApiHandler> & {
  /** The deferred renderings, run in this process by the documents function's job handler. */
  documentJobs: InProcessDocumentJobs;
};

/**
 * Every function's handler over one composition: what the local server serves. Each Lambda
 * (functions/<name>/handler.ts) builds only its own, so its bundle holds only its code. The
 * tenders handler defers the Office formats as in AWS; the job, instead of an object whose event
 * invokes the documents function, runs the documents function's job handler in this process
 * once the request has answered.
 */
export function createApiHandlers(c: Composition, pipeline: Pipeline, telemetry: Telemetry = localTelemetry()): ApiHandlers {
  const jobHandler = documentsJobHandler(c, pipeline, telemetry);
  const documentJobs = new InProcessDocumentJobs((tenderId) => jobHandler({ tenderId }), (error, tenderId) =>
    telemetry.log('error', 'document job failed', { function: 'documents', tenderId, error: error instanceof Error ? error.message : String(error) }),
  );
  return {
    health: createFunctionHandler('health', healthOperations(), telemetry),
    openapi: createFunctionHandler('openapi', openApiOperations(), telemetry),
    'catalogue-read': createFunctionHandler('catalogue-read', catalogueReadOperations(c), telemetry),
    'criteria-write': createFunctionHandler('criteria-write', criteriaWriteOperations(c), telemetry),
    drafts: createFunctionHandler('drafts', draftOperations(c), telemetry),
    tenders: createFunctionHandler('tenders', tendersFunctionOperations(c, pipeline, documentJobs), telemetry),
    documents: createFunctionHandler('documents', documentsFunctionOperations(c, pipeline), telemetry),
    catalogues: createFunctionHandler('catalogues', cataloguesFunctionOperations(c, new DynamoDbCatalogueRecords({ db: c.clients.document, tableName: c.tableName })), telemetry),
    documentJobs,
  };
}
