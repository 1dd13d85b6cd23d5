import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { healthOperations } from '#src/adapters/http/operations/health.ts';

/** GET /health: no configuration, no AWS access. */
export const handler = createFunctionHandler('health', healthOperations());
