import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { DocumentModel } from './blocks.ts';
import { buildAeDocument } from './ae-document.ts';
import { buildCcapDocument } from './ccap-document.ts';
import { buildDpaDocument } from './dpa-document.ts';
import { buildCctpDocument } from './cctp-document.ts';
import { buildNoteInterneDocument } from './note-interne.ts';
import { buildRcDocument } from './rc-document.ts';
import type { TemplateRenderer } from './templates.ts';

/** Builds one renderer-neutral document from an evaluated tender. */
export type DocumentModelBuilder = (tender: ResolvedTender, rules: RulesOutcome, templates: TemplateRenderer) => DocumentModel;

/**
 * The documents written from templates, by name. A new document is a builder here plus its
 * template; the output adapters (src/adapters/render/registry.ts) say in which formats it is
 * laid out, and the generate use case builds whichever the requested outputs ask for.
 */
export const DOCUMENT_MODELS = {
  cctp: buildCctpDocument,
  rc: buildRcDocument,
  'note-interne': buildNoteInterneDocument,
  ccap: buildCcapDocument,
  'acte-engagement': buildAeDocument,
  'annexe-rgpd': buildDpaDocument,
} satisfies Record<string, DocumentModelBuilder>;

export type DocumentName = keyof typeof DOCUMENT_MODELS;
