import { compositionFromEnv } from '../../src/http/composition.ts';
import { createFunctionHandler } from '../../src/http/lambda.ts';
import { catalogueReadOperations } from '../../src/http/operations/catalogue-read.ts';

/** Catalogue GETs. The environment is validated here, at cold start: a bad variable fails the init, not a request. */
export const handler = createFunctionHandler('catalogue-read', catalogueReadOperations(compositionFromEnv(process.env)));
