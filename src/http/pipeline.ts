import { defaultTemplateEngine, type TemplateEngine } from '../documents/template-engine.ts';
import { renderPdf } from '../render/pdf/render-pdf.ts';
import type { DocumentRenderer } from '../use-cases/ports.ts';

/**
 * The document pipeline (Handlebars templates, PDFKit). Kept out of composition.ts so that only
 * the `tenders` function bundles pdfkit and the fonts.
 */
export interface Pipeline {
  templates: TemplateEngine;
  renderPdf: DocumentRenderer;
}

export function defaultPipeline(): Pipeline {
  return { templates: defaultTemplateEngine(), renderPdf: (model) => renderPdf(model) };
}
