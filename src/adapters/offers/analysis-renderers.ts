import type { AnalysisRenderers } from '#src/app/analyse-offers.ts';
import { buildAwardRelease, buildDecp } from '#src/adapters/render/award/award-data.ts';

/** The analysis outputs' renderers: the RAO through the PDF and Word renderers (loaded on first use), the award data as JSON. */
export const ANALYSIS_RENDERERS: AnalysisRenderers = {
  pdf: async (model) => new Uint8Array(await (await import('#src/adapters/render/pdf/render-pdf.ts')).renderPdf(model)),
  docx: async (model) => (await import('#src/adapters/render/docx/render-docx.ts')).renderDocx(model),
  decp: buildDecp,
  ocdsAward: buildAwardRelease,
};
