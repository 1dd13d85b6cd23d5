import type { Audience, RenderInput } from '#src/app/ports/outputs.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { DceFileName, OutputFileName } from './formats.ts';

/**
 * One generation's files as the renderers that assemble others see them (registry.ts makes it):
 * a piece that lists, packs or embeds other files asks for them here, so each is rendered once
 * and every PDF of the generation carries the same OCDS release.
 */
export interface Generation {
  /** A file of this generation by its output name, rendered once. */
  file(name: OutputFileName | DceFileName): Promise<Uint8Array>;
  /**
   * A document as an archival PDF (PDF/A-3a with PDF/UA-1) carrying this generation's
   * `tender.ocds.json` as associated data, rendered once per model. `buyer` documents also carry
   * the request; bidder documents never do.
   */
  pdf(model: DocumentModel, audience?: Audience): Promise<Uint8Array>;
  /** A document in Word, rendered once per model (the file written alone and the DCE's piece are the same bytes). */
  docx(model: DocumentModel): Promise<Uint8Array>;
}

/** How one file of a generation is rendered, from the input and the generation's other files. */
export type FileRenderer = (input: RenderInput, generation: Generation) => Promise<Uint8Array>;
