import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createComposition } from '#src/entry/composition.ts';
import { createFunctionHandler, lazyOperations } from '#src/adapters/http/lambda.ts';

/**
 * Tender generation, records, documents, validation and regeneration, the catalogue checks, and
 * the offers of a tender (bids, marks, analysis): the only function that bundles the renderers.
 * The environment is validated and the SDK clients built at cold start; the operations (use cases,
 * rules, templates) load on the first request, and each renderer (pdfkit and the fonts, docx,
 * exceljs) on its first rendering (src/adapters/render/registry.ts).
 */
const composition = compositionFromEnv(process.env, createComposition);

export const handler = createFunctionHandler(
  'tenders',
  lazyOperations('tenders', async () => {
    const [{ tenderOperations }, { catalogueOperations }, { offerOperations }, { defaultPipeline }, { offerDeps }] = await Promise.all([
      import('#src/adapters/http/operations/tenders.ts'),
      import('#src/adapters/http/operations/catalogues.ts'),
      import('#src/adapters/http/operations/offers.ts'),
      import('#src/entry/pipeline.ts'),
      import('#src/entry/offers-composition.ts'),
    ]);
    const pipeline = defaultPipeline();
    return {
      ...tenderOperations({ ...composition, ...pipeline }),
      ...catalogueOperations(composition),
      ...offerOperations(offerDeps(composition, pipeline)),
    };
  }),
);
