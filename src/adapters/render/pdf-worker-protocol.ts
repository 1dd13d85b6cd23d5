import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { PdfEngineOptions } from './pdf-engine-types.ts';

/** What the pool sends a PDF worker: one model to render. */
export interface PdfWorkerJob {
  id: number;
  model: DocumentModel;
  options: PdfEngineOptions;
}

/** What a PDF worker answers: the PDF, or why it could not be rendered. */
export type PdfWorkerAnswer = { id: number; pdf: Uint8Array } | { id: number; error: { name: string; message: string } };
