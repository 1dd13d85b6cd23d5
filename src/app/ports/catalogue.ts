import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';

/**
 * Reads the reference catalogue: a framework version with the criterion versions it pins,
 * and the items and offers that bind to them. Files in the repository today; DynamoDB later.
 */
export interface CatalogueReader {
  /** Throws NotFoundError when the framework version does not exist. */
  snapshot(frameworkId: string, version: number): Promise<CatalogueSnapshot>;
}

/** Lays a document model out as a file. */
export type DocumentRenderer = (document: DocumentModel) => Promise<Uint8Array>;
