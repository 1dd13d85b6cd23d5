import { createPdfRendererHandler } from '#src/adapters/render/pdf-renderer-handler.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';

/**
 * The pdf-renderer function's composition: the invocation handler around the PDF engine itself,
 * in process (pdfkit, fontkit and the DejaVu faces travel in this function's asset alone). The
 * functions that write PDFs invoke it synchronously (src/adapters/render/pdf-engine.ts).
 */
export const renderPdfInvocation = createPdfRendererHandler(renderPdf);
