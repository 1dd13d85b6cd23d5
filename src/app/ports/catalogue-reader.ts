import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';

/**
 * Reads the reference catalogue: a framework version with the criterion versions it pins,
 * and the items and offers that bind to them (catalogue files, or the DynamoDB table).
 */
export interface CatalogueReader {
  /** Throws NotFoundError when the framework version does not exist. */
  snapshot(frameworkId: string, version: number): Promise<CatalogueSnapshot>;
}
