import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createCriteriaComposition } from '#src/entry/criteria-composition.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { catalogueReadOperations } from '#src/adapters/http/operations/catalogue-read.ts';

/**
 * Catalogue GETs, from the criteria and the audit trail alone: DynamoDB only, like criteria-write
 * (the function has no bucket, so no S3 client is built or bundled). The environment is validated
 * here, at cold start: a bad variable fails the init, not a request.
 */
export const handler = createFunctionHandler('catalogue-read', catalogueReadOperations(compositionFromEnv(process.env, createCriteriaComposition)));
