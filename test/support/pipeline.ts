import { readFileSync } from 'node:fs';
import { FileCatalogueReader } from '#src/adapters/files/file-catalogue-reader.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { cahierOutputRegistry } from '#src/adapters/render/registry.ts';
import {
  evaluateTender,
  generateDocuments,
  parseTenderRequest,
  type EvaluatedTender,
  type GenerateDocumentsDeps,
  type GeneratedDocuments,
} from '#src/app/generate-documents.ts';
import { createOutputRegistry, requireFormats } from '#src/app/outputs.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { DOCUMENT_MODELS } from '#src/core/documents/document-models.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import type { OutputRegistry } from '#src/app/ports/outputs.ts';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { defaultTemplateEngine } from '#src/entry/pipeline.ts';

/** The real pipeline: repository catalogue, shipped templates, every output adapter. */
export async function realDeps(): Promise<GenerateDocumentsDeps> {
  return {
    catalogue: new FileCatalogueReader(await loadCatalogue(CATALOGUE_DIR)),
    templates: defaultTemplateEngine(),
    outputs: cahierOutputRegistry(),
  };
}

/** generateDocuments from a raw request and format names, as the CLI and the API call it (pdf only by default). */
export async function generateFrom(input: unknown, deps: GenerateDocumentsDeps, formats?: readonly string[]): Promise<GeneratedDocuments> {
  return generateDocuments(parseTenderRequest(input), deps, requireFormats(deps.outputs, formats));
}

/** evaluateTender from a raw request. */
export async function evaluateFrom(input: unknown, catalogue: CatalogueReader): Promise<EvaluatedTender> {
  return evaluateTender(parseTenderRequest(input), catalogue);
}

/** The CCTP's document model for a raw request. */
export async function cctpModel(input: unknown, deps?: GenerateDocumentsDeps): Promise<DocumentModel> {
  const d = deps ?? (await realDeps());
  const { tender, rules } = await evaluateFrom(input, d.catalogue);
  return DOCUMENT_MODELS.cctp(tender, rules, d.templates);
}

/** The same registry, counting the files rendered. */
export function countingOutputs(outputs: OutputRegistry): { outputs: OutputRegistry; rendered: () => number } {
  let count = 0;
  const all = outputs.outputsFor(outputs.formats.map((f) => f.name));
  const counted = all.map((o) => ({ ...o, render: (input: Parameters<typeof o.render>[0]) => (count++, o.render(input)) }));
  return { outputs: createOutputRegistry(outputs.formats, counted, outputs.defaultFormats), rendered: () => count };
}

export const EXAMPLES = {
  commune: 'examples/commune-rurale-classe-mobile.json',
  ville: 'examples/ville-ecrans-interactifs.json',
  departement: 'examples/departement-accord-cadre.json',
} as const;

/** The request version 2 examples (issue #14). */
export const V2_EXAMPLES = {
  departement: 'examples/departement-colleges-trois-lots-v2.json',
  commune: 'examples/commune-tranches-garantie-v2.json',
  region: 'examples/region-lycees-trente-sites-v2.json',
} as const;

/** A fresh, mutable copy of a version 2 example request. */
export function v2Example(name: keyof typeof V2_EXAMPLES): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../../${V2_EXAMPLES[name]}`, import.meta.url), 'utf8'));
}

/** A fresh, mutable copy of an example request. */
export function example(name: keyof typeof EXAMPLES): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../../${EXAMPLES[name]}`, import.meta.url), 'utf8'));
}
