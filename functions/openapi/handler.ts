import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { openApiOperations } from '#src/adapters/http/operations/openapi.ts';

/** GET /openapi.json: the document written beside this bundle at bundling time (src/adapters/http/operations/openapi.ts). */
export const handler = createFunctionHandler('openapi', openApiOperations());
