import { TemplateEngine } from '#src/adapters/handlebars/template-engine.ts';
import { TEMPLATES_DIR } from './paths.ts';
import type { DocumentRenderer } from '#src/app/ports/catalogue.ts';

/**
 * The document pipeline (Handlebars templates, PDFKit). Kept out of composition.ts so that only
 * the `tenders` function bundles pdfkit and the fonts.
 */
export interface Pipeline {
  templates: TemplateEngine;
  renderPdf: DocumentRenderer;
}

/**
 * PDFKit, fontkit and the renderer load on the first rendering, not with the handler: in the
 * single-file Lambda bundle, a module reached only through `import()` is evaluated when the
 * import runs, so the routes that never render (GET /tenders/{id}, validation…) never pay for
 * it, and the cold start does not either. The template engine compiles (or, bundled, loads its
 * precompiled templates) on its first render too.
 */
export function defaultPipeline(): Pipeline {
  return { templates: defaultTemplateEngine(), renderPdf: async (model) => (await loadRenderer())(model) };
}

let renderer: Promise<DocumentRenderer> | undefined;

function loadRenderer(): Promise<DocumentRenderer> {
  renderer ??= import('#src/adapters/render/pdf/render-pdf.ts').then((m) => (model) => m.renderPdf(model));
  // A failed load (should not happen) is retried by the next request rather than cached.
  renderer.catch(() => (renderer = undefined));
  return renderer;
}

let shared: TemplateEngine | undefined;

/** One engine per process for the project's templates: each template compiles (or loads) once. */
export function defaultTemplateEngine(): TemplateEngine {
  shared ??= new TemplateEngine(TEMPLATES_DIR);
  return shared;
}
