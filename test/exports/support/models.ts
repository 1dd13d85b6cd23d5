import { buildCctpDocument } from '#src/core/documents/cctp-document.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { evaluateTender, type EvaluatedTender, type GenerateCctpDeps } from '#src/app/generate-cctp.ts';
import { EXAMPLES, example, realDeps } from '../../support/pipeline.ts';

export type ExampleName = keyof typeof EXAMPLES;
export const EXAMPLE_NAMES = Object.keys(EXAMPLES) as ExampleName[];

let deps: Promise<GenerateCctpDeps> | undefined;

/** The real pipeline's dependencies, loaded once per test file. */
export function sharedDeps(): Promise<GenerateCctpDeps> {
  deps ??= realDeps();
  return deps;
}

/** An example request evaluated against the repository catalogue, with its CCTP model. */
export async function evaluatedExample(name: ExampleName): Promise<EvaluatedTender & { model: DocumentModel }> {
  const d = await sharedDeps();
  const evaluated = await evaluateTender(example(name), d.catalogue);
  return { ...evaluated, model: buildCctpDocument(evaluated.tender, evaluated.rules, d.templates) };
}
