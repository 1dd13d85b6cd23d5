import type { Catalogue } from '#src/core/model/catalogue.ts';
import { snapshotOf, type CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';

/**
 * Serves the reference catalogue loaded from the repository's data files. Each snapshot is a copy,
 * as a store's read is: a caller that changes one cannot change the catalogue the next one reads.
 */
export class FileCatalogueReader implements CatalogueReader {
  constructor(private readonly catalogue: Catalogue) {}

  async snapshot(frameworkId: string, version: number): Promise<CatalogueSnapshot> {
    return structuredClone(snapshotOf(this.catalogue, frameworkId, version));
  }
}
