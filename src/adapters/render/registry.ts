import { createOutputRegistry } from '#src/app/outputs.ts';
import type { OutputAdapter, OutputRegistry, RenderInput } from '#src/app/ports/outputs.ts';
import { DEFAULT_FORMATS, FORMATS, OUTPUTS, type OutputFileName } from './formats.ts';

/*
 * Each file's renderer, loaded on first use: a CLI run or a Lambda request that asks for the
 * PDF never loads the Word or Excel writers, and the routes that render nothing never load PDFKit.
 */
const RENDERERS: Record<OutputFileName, (input: RenderInput) => Promise<Uint8Array>> = {
  'cctp.pdf': async (input) => (await import('./pdf/render-pdf.ts')).renderPdf(input.document('cctp')),
  'rc-extrait.pdf': async (input) => (await import('./pdf/render-pdf.ts')).renderPdf(input.document('rc-extract')),
  'cctp.docx': async (input) => (await import('./docx/render-docx.ts')).renderDocx(input.document('cctp')),
  'cadre-de-reponse.xlsx': async (input) => (await import('./xlsx/compliance-matrix.ts')).renderComplianceMatrix(input.tender),
  'bordereau-des-prix.xlsx': async (input) => (await import('./xlsx/price-schedule.ts')).renderPriceSchedule(input.tender),
  'tender.ocds.json': async (input) => (await import('./ocds/ocds.ts')).renderOcdsJson(input.tender),
  'note-interne.pdf': async (input) => (await import('./pdf/render-pdf.ts')).renderPdf(input.document('note-interne')),
};

/** Cahier's outputs, every descriptor of formats.ts with its renderer. */
export const CAHIER_OUTPUTS: readonly OutputAdapter[] = OUTPUTS.map((o) => ({
  ...o,
  render:
    o.fileName in RENDERERS
      ? RENDERERS[o.fileName as OutputFileName]
      : (input: RenderInput) => import('./dce/renderers.ts').then((m) => m.DCE_RENDERERS[o.fileName as keyof typeof m.DCE_RENDERERS](input)),
}));

/** The registry the CLI, the local stack and the Lambdas generate with. */
export function cahierOutputRegistry(): OutputRegistry {
  return createOutputRegistry(FORMATS, CAHIER_OUTPUTS, DEFAULT_FORMATS);
}
