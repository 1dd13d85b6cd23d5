import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { openApiOperations } from '#src/adapters/http/operations/openapi.ts';

/** GET /openapi.json: generated from the route table and the zod schemas, once per container. */
export const handler = createFunctionHandler('openapi', openApiOperations());
