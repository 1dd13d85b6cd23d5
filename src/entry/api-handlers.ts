import type { Composition } from './composition.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { NO_METRICS, powertoolsLog, type Telemetry } from '#src/adapters/observability/telemetry.ts';
import type { HttpApiHandler } from '#src/adapters/http/lambda-types.ts';
import { catalogueReadOperations } from '#src/adapters/http/operations/catalogue-read.ts';
import { catalogueOperations } from '#src/adapters/http/operations/catalogues.ts';
import { criteriaWriteOperations } from '#src/adapters/http/operations/criteria-write.ts';
import { healthOperations, openApiOperations } from '#src/adapters/http/operations/meta.ts';
import { tenderOperations } from '#src/adapters/http/operations/tenders.ts';
import { offerOperations } from '#src/adapters/http/operations/offers.ts';
import { draftOperations } from '#src/adapters/http/operations/drafts.ts';
import { offerDeps } from './offers-composition.ts';
import type { Pipeline } from './pipeline.ts';
import type { FunctionName } from '#src/adapters/http/routes.ts';

/**
 * The local stack's telemetry: the Lambdas' Powertools log lines on stdout (POWERTOOLS_LOG_LEVEL
 * sets the level; the tests default it to SILENT), no metrics.
 */
export function localTelemetry(): Telemetry {
  return { log: powertoolsLog(), metrics: NO_METRICS };
}

/**
 * Every function's handler over one composition: what the local server serves. Each Lambda
 * (functions/<name>/handler.ts) builds only its own, so its bundle holds only its code.
 */
export function createApiHandlers(c: Composition, pipeline: Pipeline, telemetry: Telemetry = localTelemetry()): Record<FunctionName, HttpApiHandler> {
  return {
    health: createFunctionHandler('health', healthOperations(), telemetry),
    openapi: createFunctionHandler('openapi', openApiOperations(), telemetry),
    'catalogue-read': createFunctionHandler('catalogue-read', catalogueReadOperations(c), telemetry),
    'criteria-write': createFunctionHandler('criteria-write', criteriaWriteOperations(c), telemetry),
    drafts: createFunctionHandler('drafts', draftOperations(c), telemetry),
    tenders: createFunctionHandler(
      'tenders',
      { ...tenderOperations({ ...c, ...pipeline }), ...catalogueOperations(c), ...offerOperations(offerDeps(c, pipeline)) },
      telemetry,
    ),
  };
}
