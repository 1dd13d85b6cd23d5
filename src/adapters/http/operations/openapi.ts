import { readFile } from 'node:fs/promises';
import type { Operations } from '#src/adapters/http/lambda.ts';

/**
 * The OpenAPI document as the openapi function's asset carries it: beside the bundle, written at
 * bundling time by infra/bundling/bundling.ts with the same `openApiDocument()`.
 */
export const OPENAPI_FILE = 'openapi.json';

/**
 * GET /openapi.json: the document generated from the route table and the zod schemas.
 *
 * It is a function of the code alone, so the openapi function does not build it: in its bundle
 * `process.env.CAHIER_OPENAPI_WRITTEN` is the string 'true' (esbuild's `define`), the document is
 * read from OPENAPI_FILE, and the `import()` of the builder is dead code that esbuild leaves out,
 * every request schema and most of zod with it. Elsewhere (the local server, the tests) the
 * document is built on the first request, as it was in the function.
 */
export function openApiOperations(): Operations {
  let document: Promise<Record<string, unknown>> | undefined;
  return {
    async getOpenApi() {
      document ??= loadDocument().catch((error: unknown) => {
        document = undefined;
        throw error;
      });
      return { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: await document };
    },
  };
}

async function loadDocument(): Promise<Record<string, unknown>> {
  // An if/else, not an early return: esbuild drops a constant condition's dead branch, not the statements after a return.
  if (process.env.CAHIER_OPENAPI_WRITTEN === 'true') {
    return JSON.parse(await readFile(new URL(`./${OPENAPI_FILE}`, import.meta.url), 'utf8')) as Record<string, unknown>;
  } else {
    return (await import('#src/adapters/http/openapi.ts')).openApiDocument();
  }
}
