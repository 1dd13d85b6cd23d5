import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { DocumentName } from '#src/core/documents/document-models.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';

/**
 * Who a file is for. `bidder`: part of the consultation file every candidate receives, so it
 * carries only what binds them. `buyer`: kept by the buyer (estimates, findings, funding), never
 * published.
 */
export type Audience = 'bidder' | 'buyer';

/** A file Cahier can write, described without its code (what the CLI, the API and the web app list). */
export interface OutputDescriptor {
  /** The format that selects this file (`--format`, `?formats=`); several files may share one. */
  format: string;
  /** File name under the tender, e.g. `cctp.pdf`; unique across outputs. */
  fileName: string;
  mediaType: string;
  audience: Audience;
  /** What the file is, in French, for lists shown to people (« Le CCTP », « Le bordereau des prix »). */
  title: string;
}

/** A format a caller can ask for, in French for the screens. */
export interface FormatDescriptor {
  name: string;
  label: string;
}

/** What every output renders from: the evaluated tender and the document models built from it. */
export interface RenderInput {
  tender: ResolvedTender;
  rules: RulesOutcome;
  /** The model of a template-based document, built at most once per generation. */
  document(name: DocumentName): DocumentModel;
}

/** One output: a file, its audience and how to render it. Rendering is pure: same input, same bytes. */
export interface OutputAdapter extends OutputDescriptor {
  render(input: RenderInput): Promise<Uint8Array>;
}

/**
 * The outputs a generation can write. The generate use case iterates it, so a new document is a
 * new adapter (and its template) registered here, never an edit to the use case.
 */
export interface OutputRegistry {
  /** The formats callers may ask for, in canonical order. */
  readonly formats: readonly FormatDescriptor[];
  /** What is generated when a caller names no format. */
  readonly defaultFormats: readonly string[];
  /** The adapters that the given (valid, canonical) formats select, in generation order. */
  outputsFor(formats: readonly string[]): OutputAdapter[];
}
