import { configurePdfEngine } from '#src/adapters/render/pdf-engine.ts';
import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createComposition } from '#src/entry/composition.ts';
import { createFunctionHandler, lazyOperations } from '#src/adapters/http/lambda.ts';
import type { HttpApiEvent, LambdaContext } from '#src/adapters/http/lambda-types.ts';
import { createDocumentJobHandler } from '#src/adapters/jobs/document-job-handler.ts';

/**
 * The Office formats (issue #19): the only function that bundles the Word and workbook renderers. Two entries:
 * - a job (EventBridge's event for an object created under document-jobs/, or `{ tenderId }`):
 *   renders a tender whose rendering is pending, every format it asked for, from its record, and
 *   records its documents ready, or failed with nothing stored (src/app/render-deferred.ts);
 * - the API routes that read or write Office files on demand: POST /tenders/{id}/regenerate (the
 *   audit rebuilds every format) and the offers of a tender (bids checked against the Excel
 *   templates, marks, the analysis and its RAO in Word).
 * The environment is validated and the SDK clients built at cold start; the rest loads on first use.
 */
// Every PDF is rendered by the pdf-renderer function (src/adapters/render/pdf-engine.ts): its name is checked now, at cold start.
configurePdfEngine(process.env);
const composition = compositionFromEnv(process.env, createComposition);

const pipeline = async () => (await import('#src/entry/pipeline.ts')).defaultPipeline();

const api = createFunctionHandler(
  'documents',
  lazyOperations('documents', async () => {
    const [{ documentsFunctionOperations }, p] = await Promise.all([import('#src/entry/documents-function.ts'), pipeline()]);
    return documentsFunctionOperations(composition, p);
  }),
);

const job = createDocumentJobHandler(async (tenderId) => {
  const [{ renderDeferredDocuments }, { unzipOwnArchive }, p] = await Promise.all([
    import('#src/app/render-deferred.ts'),
    import('#src/adapters/files/safe-zip.ts'),
    pipeline(),
  ]);
  return renderDeferredDocuments(tenderId, { ...composition, ...p, unzip: unzipOwnArchive });
});

/** An API Gateway event has a route key; anything else is a job. */
export const handler = (event: HttpApiEvent | Record<string, unknown>, context?: LambdaContext) =>
  typeof (event as { routeKey?: unknown }).routeKey === 'string' ? api(event as HttpApiEvent, context) : job(event, context);
