import { configurePdfEngine } from '#src/adapters/render/pdf-engine.ts';
import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createComposition } from '#src/entry/composition.ts';
import { createFunctionHandler, lazyOperations } from '#src/adapters/http/lambda.ts';

/**
 * Tender generation, records, documents and validation, and the catalogue checks: renders the PDF and JSON formats itself (each PDF laid out by the pdf-renderer function, invoked synchronously) and hands
 * every generation with an Office format to the documents function, as a job object under
 * document-jobs/ that EventBridge delivers (src/adapters/jobs/stored-document-jobs.ts). The Word
 * and workbook renderers are left out of this bundle (infra/bundling/bundling.ts).
 * The environment is validated and the SDK clients built at cold start; the operations (use cases,
 * rules, templates) load on the first request, and the invoke's signer on its first PDF.
 */
// Every PDF is rendered by the pdf-renderer function (src/adapters/render/pdf-engine.ts): its name is checked now, at cold start.
configurePdfEngine(process.env);
const composition = compositionFromEnv(process.env, createComposition);

export const handler = createFunctionHandler(
  'tenders',
  lazyOperations('tenders', async () => {
    const [{ tendersFunctionOperations }, { defaultPipeline }, { StoredDocumentJobs }] = await Promise.all([
      import('#src/entry/tenders-function.ts'),
      import('#src/entry/pipeline.ts'),
      import('#src/adapters/jobs/stored-document-jobs.ts'),
    ]);
    return tendersFunctionOperations(composition, defaultPipeline(), new StoredDocumentJobs(composition.documents));
  }),
);
