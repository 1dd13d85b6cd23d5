import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue.ts';
import { snapshotOf, type Catalogue } from './load-catalogue.ts';

/** Serves the reference catalogue loaded from the repository's data files. */
export class FileCatalogueReader implements CatalogueReader {
  constructor(private readonly catalogue: Catalogue) {}

  async snapshot(frameworkId: string, version: number): Promise<CatalogueSnapshot> {
    return snapshotOf(this.catalogue, frameworkId, version);
  }
}
