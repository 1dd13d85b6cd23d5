import { TemplateEngine } from '#src/adapters/handlebars/template-engine.ts';
import { cahierOutputRegistry } from '#src/adapters/render/registry.ts';
import type { OutputRegistry } from '#src/app/ports/outputs.ts';
import { TEMPLATES_DIR } from './paths.ts';

/**
 * The document pipeline: templates and outputs. Kept out of composition.ts so that only the
 * `tenders` function bundles the renderers and the fonts.
 */
export interface Pipeline {
  templates: TemplateEngine;
  outputs: OutputRegistry;
}

/**
 * The renderers (PDFKit, fontkit, the Word and SpreadsheetML writers) load on their first rendering, not with the
 * handler: in the single-file Lambda bundle, a module reached only through `import()` is
 * evaluated when the import runs, so the routes that never render (GET /tenders/{id},
 * validation…) never pay for it, and the cold start does not either. The template engine compiles
 * (or, bundled, loads its precompiled templates) on its first render too.
 */
export function defaultPipeline(): Pipeline {
  return { templates: defaultTemplateEngine(), outputs: cahierOutputRegistry() };
}

let shared: TemplateEngine | undefined;

/** One engine per process for the project's templates: each template compiles (or loads) once. */
export function defaultTemplateEngine(): TemplateEngine {
  shared ??= new TemplateEngine(TEMPLATES_DIR);
  return shared;
}
