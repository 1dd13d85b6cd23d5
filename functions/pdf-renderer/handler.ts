import { renderPdfInvocation } from '#src/entry/pdf-renderer-function.ts';

/**
 * DocumentModel + attachments → PDF, for the tenders, documents and catalogues functions, which
 * invoke it synchronously (RequestResponse) once per PDF, so that none of them bundles pdfkit,
 * fontkit and the fonts (issue #19). No API route reaches it; only those three roles may invoke it.
 * Payload: src/adapters/render/pdf-invocation.ts.
 */
export const handler = renderPdfInvocation;
