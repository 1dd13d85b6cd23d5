import type { Operations } from '#src/adapters/http/lambda.ts';
import { openApiDocument } from '#src/adapters/http/openapi.ts';

/** GET /openapi.json: the document generated from the route table and the zod schemas. */
export function openApiOperations(): Operations {
  return {
    async getOpenApi() {
      return { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: openApiDocument() };
    },
  };
}
