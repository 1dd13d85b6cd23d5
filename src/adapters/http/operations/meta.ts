import type { Operations } from '#src/adapters/http/lambda.ts';
import { openApiDocument } from '#src/adapters/http/openapi.ts';

/** Routes that touch no data. */
export function healthOperations(): Operations {
  return {
    async getHealth() {
      return { status: 200, body: { status: 'ok', service: 'cahier' } };
    },
  };
}

export function openApiOperations(): Operations {
  return {
    async getOpenApi() {
      return { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: openApiDocument() };
    },
  };
}
