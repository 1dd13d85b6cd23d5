import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { PdfAttachment } from './pdf/archival.ts';

export type { PdfAttachment };

export interface PdfEngineOptions {
  /** Files the PDF carries as associated files (PDF/A-3), e.g. the OCDS release it publishes. */
  attachments?: readonly PdfAttachment[];
}

/**
 * DocumentModel → PDF bytes; deterministic (the same model and attachments give the same bytes).
 * Implemented in process (src/adapters/render/pdf/render-pdf.ts) and by the pdf-renderer function
 * (src/adapters/render/lambda-pdf-engine.ts); src/adapters/render/pdf-engine.ts picks one.
 */
export type PdfEngine = (model: DocumentModel, options?: PdfEngineOptions) => Promise<Uint8Array>;
