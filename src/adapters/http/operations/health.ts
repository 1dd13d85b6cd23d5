import type { Operations } from '#src/adapters/http/lambda.ts';

/**
 * GET /health: touches no data. Kept apart from the OpenAPI operation, whose document builder
 * imports every schema of the API: the health function bundles only what it answers (issue #19).
 */
export function healthOperations(): Operations {
  return {
    async getHealth() {
      return { status: 200, body: { status: 'ok', service: 'cahier' } };
    },
  };
}
