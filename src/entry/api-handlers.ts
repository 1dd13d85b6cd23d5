import type { Composition } from './composition.ts';
import { createFunctionHandler, jsonLog, type Log } from '#src/adapters/http/lambda.ts';
import type { HttpApiHandler } from '#src/adapters/http/lambda-types.ts';
import { catalogueReadOperations } from '#src/adapters/http/operations/catalogue-read.ts';
import { criteriaWriteOperations } from '#src/adapters/http/operations/criteria-write.ts';
import { healthOperations, openApiOperations } from '#src/adapters/http/operations/meta.ts';
import { tenderOperations } from '#src/adapters/http/operations/tenders.ts';
import type { Pipeline } from './pipeline.ts';
import type { FunctionName } from '#src/adapters/http/routes.ts';

/**
 * Every function's handler over one composition: what the local server serves. Each Lambda
 * (functions/<name>/handler.ts) builds only its own, so its bundle holds only its code.
 */
export function createApiHandlers(c: Composition, pipeline: Pipeline, log: Log = jsonLog): Record<FunctionName, HttpApiHandler> {
  return {
    health: createFunctionHandler('health', healthOperations(), log),
    openapi: createFunctionHandler('openapi', openApiOperations(), log),
    'catalogue-read': createFunctionHandler('catalogue-read', catalogueReadOperations(c), log),
    'criteria-write': createFunctionHandler('criteria-write', criteriaWriteOperations(c), log),
    tenders: createFunctionHandler('tenders', tenderOperations({ ...c, ...pipeline }), log),
  };
}
