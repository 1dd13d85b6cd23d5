import type { RenderInput } from '#src/app/ports/outputs.ts';
import type { DceFileName } from '../formats.ts';

/**
 * The renderers of the consultation-file pieces (formats ccap, ae, dpa, dce), loaded on first use
 * like registry.ts's: a generation that asks for none of them never loads this module.
 */
export const DCE_RENDERERS: Record<DceFileName, (input: RenderInput) => Promise<Uint8Array>> = {
  'ccap.pdf': async (input) => (await import('../pdf/render-pdf.ts')).renderPdf(input.document('ccap')),
  'ccap.docx': async (input) => (await import('../docx/render-docx.ts')).renderDocx(input.document('ccap')),
  'acte-engagement.pdf': async (input) => (await import('../pdf/render-pdf.ts')).renderPdf(input.document('acte-engagement')),
  'acte-engagement.docx': async (input) => (await import('../docx/render-docx.ts')).renderDocx(input.document('acte-engagement')),
  'annexe-rgpd.pdf': async (input) => (await import('../pdf/render-pdf.ts')).renderPdf(input.document('annexe-rgpd')),
  'annexe-rgpd.docx': async (input) => (await import('../docx/render-docx.ts')).renderDocx(input.document('annexe-rgpd')),
  'dce.zip': async (input) => (await (await import('./dce-package.ts')).dcePackage(input)).zip,
  'dce-manifest.json': async (input) => (await (await import('./dce-package.ts')).dcePackage(input)).manifest,
};
