import { compositionFromEnv } from '../../src/http/composition.ts';
import { createFunctionHandler } from '../../src/http/lambda.ts';
import { tenderOperations } from '../../src/http/operations/tenders.ts';
import { defaultPipeline } from '../../src/http/pipeline.ts';

/** Tender generation, records, documents, validation and regeneration: the only function that bundles pdfkit. */
export const handler = createFunctionHandler('tenders', tenderOperations(compositionFromEnv(process.env), defaultPipeline()));
