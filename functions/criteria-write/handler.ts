import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createCatalogueComposition } from '#src/entry/catalogue-composition.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { criteriaWriteOperations } from '#src/adapters/http/operations/criteria-write.ts';

/** Editors' writes: PUT /criteria/{id}, PUT /items/{id}, PUT /offers/{id}, POST /frameworks/{id}/versions. */
export const handler = createFunctionHandler('criteria-write', criteriaWriteOperations(compositionFromEnv(process.env, createCatalogueComposition)));
