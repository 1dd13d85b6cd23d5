import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { readFileSync } from 'node:fs';
import { FileCatalogueReader } from '#src/adapters/files/file-catalogue-reader.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { defaultTemplateEngine } from '#src/entry/pipeline.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import type { GenerateCctpDeps } from '#src/app/generate-cctp.ts';

/** The real pipeline: repository catalogue, shipped templates, PDFKit renderer. */
export async function realDeps(): Promise<GenerateCctpDeps> {
  return {
    catalogue: new FileCatalogueReader(await loadCatalogue(CATALOGUE_DIR)),
    templates: defaultTemplateEngine(),
    renderPdf: (model) => renderPdf(model),
  };
}

export const EXAMPLES = {
  commune: 'examples/commune-rurale-classe-mobile.json',
  ville: 'examples/ville-ecrans-interactifs.json',
  departement: 'examples/departement-accord-cadre.json',
} as const;

/** A fresh, mutable copy of an example request. */
export function example(name: keyof typeof EXAMPLES): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../../${EXAMPLES[name]}`, import.meta.url), 'utf8'));
}
