import { createFunctionHandler } from '../../src/http/lambda.ts';
import { healthOperations } from '../../src/http/operations/meta.ts';

/** GET /health: no configuration, no AWS access. */
export const handler = createFunctionHandler('health', healthOperations());
