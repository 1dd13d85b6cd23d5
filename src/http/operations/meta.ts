import type { Operations } from '../lambda.ts';
import { openApiDocument } from '../openapi.ts';

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
