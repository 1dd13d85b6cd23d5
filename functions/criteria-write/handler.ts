import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createCriteriaComposition } from '#src/entry/criteria-composition.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { criteriaWriteOperations } from '#src/adapters/http/operations/criteria-write.ts';

/** Editors' writes: PUT /criteria/{id}, PUT /items/{id}, PUT /offers/{id}, POST /frameworks/{id}/versions, POST /frameworks/{id}/criteria-import. */
export const handler = createFunctionHandler('criteria-write', criteriaWriteOperations(compositionFromEnv(process.env, createCriteriaComposition)));
