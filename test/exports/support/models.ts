import { buildCctpDocument } from '#src/core/documents/cctp-document.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { type EvaluatedTender, type GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { evaluateFrom, example, EXAMPLES, realDeps } from '../../support/pipeline.ts';

export type ExampleName = keyof typeof EXAMPLES;
export const EXAMPLE_NAMES = Object.keys(EXAMPLES) as ExampleName[];

let deps: Promise<GenerateDocumentsDeps> | undefined;

/** The real pipeline's dependencies, loaded once per test file. */
export function sharedDeps(): Promise<GenerateDocumentsDeps> {
  deps ??= realDeps();
  return deps;
}

/** An example request evaluated against the repository catalogue, with its CCTP model. */
export async function evaluatedExample(name: ExampleName): Promise<EvaluatedTender & { model: DocumentModel }> {
  const d = await sharedDeps();
  const evaluated = await evaluateFrom(example(name), d.catalogue);
  return { ...evaluated, model: buildCctpDocument(evaluated.tender, evaluated.rules, d.templates) };
}
