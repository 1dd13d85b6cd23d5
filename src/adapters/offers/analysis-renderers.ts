import type { AnalysisRenderers } from '#src/app/analyse-offers.ts';
import { renderPdf } from '#src/adapters/render/pdf-engine.ts';
import { buildAwardRelease, buildDecp } from '#src/adapters/render/award/award-data.ts';

/** The analysis outputs' renderers: the RAO through the PDF engine (in process or the pdf-renderer function) and the Word renderer (loaded on first use), the award data as JSON. */
export const ANALYSIS_RENDERERS: AnalysisRenderers = {
  pdf: async (model) => new Uint8Array(await renderPdf(model)),
  docx: async (model) => (await import('#src/adapters/render/docx/render-docx.ts')).renderDocx(model),
  decp: buildDecp,
  ocdsAward: buildAwardRelease,
};
