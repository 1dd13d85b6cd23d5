import type { PdfEngine } from './pdf-engine-types.ts';
import { decodePdfRequest, encodePdfResponse, type PdfInvocationResponse } from './pdf-invocation.ts';

/**
 * The pdf-renderer function's handler around a PDF engine (the real one in
 * functions/pdf-renderer/handler.ts): the payload decoded and bounded, the PDF rendered, the
 * answer encoded. A refusal or a rendering error is thrown: Lambda answers the caller with
 * `X-Amz-Function-Error` and the message, which the caller throws again
 * (src/adapters/render/lambda-pdf-engine.ts). No SDK, no tracer: Lambda's active tracing records
 * the invocation's segment.
 */
export function createPdfRendererHandler(render: PdfEngine): (event: unknown) => Promise<PdfInvocationResponse> {
  return async (event) => {
    const { model, attachments } = decodePdfRequest(event);
    return encodePdfResponse(await render(model, { attachments }), model.meta.title);
  };
}
