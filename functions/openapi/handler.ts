import { createFunctionHandler } from '../../src/http/lambda.ts';
import { openApiOperations } from '../../src/http/operations/meta.ts';

/** GET /openapi.json: generated from the route table and the zod schemas, once per container. */
export const handler = createFunctionHandler('openapi', openApiOperations());
