import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createCatalogueComposition } from '#src/entry/catalogue-composition.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { catalogueReadOperations } from '#src/adapters/http/operations/catalogue-read.ts';

/** Catalogue GETs. The environment is validated here, at cold start: a bad variable fails the init, not a request. */
export const handler = createFunctionHandler('catalogue-read', catalogueReadOperations(compositionFromEnv(process.env, createCatalogueComposition)));
