import type { DceFileName } from '../formats.ts';
import type { FileRenderer } from '../generation.ts';

/**
 * The renderers of the consultation-file pieces (formats ccap, ae, dpa, dce), loaded on first use
 * like registry.ts's: a generation that asks for none of them never loads this module. Their PDFs
 * are the generation's archival PDFs, like the CCTP's.
 */
export const DCE_RENDERERS: Record<DceFileName, FileRenderer> = {
  'ccap.pdf': (input, generation) => generation.pdf(input.document('ccap')),
  'ccap.docx': (input, generation) => generation.docx(input.document('ccap')),
  'acte-engagement.pdf': (input, generation) => generation.pdf(input.document('acte-engagement')),
  'acte-engagement.docx': (input, generation) => generation.docx(input.document('acte-engagement')),
  'annexe-rgpd.pdf': (input, generation) => generation.pdf(input.document('annexe-rgpd')),
  'annexe-rgpd.docx': (input, generation) => generation.docx(input.document('annexe-rgpd')),
  'dce.zip': async (input, generation) => (await (await import('./dce-package.ts')).dcePackage(input, generation)).zip,
  'dce-manifest.json': async (input, generation) => (await (await import('./dce-package.ts')).dcePackage(input, generation)).manifest,
};
