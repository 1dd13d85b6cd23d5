import { pinCatalogue, type CatalogueSnapshot } from '#src/core/model/catalogue-snapshot.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';

/**
 * The catalogue as a criteria repository holds it (DynamoDB in the stack, memory in fast tests):
 * one framework version with the criterion, item and offer versions it pins. Four calls for a
 * framework of up to 100 criteria (the framework, one batch read per 100 pinned criterion
 * versions, every item version, every offer version) in two round trips: items and offers are
 * read while the framework is.
 */
export class RepositoryCatalogueReader implements CatalogueReader {
  constructor(private readonly criteria: CriteriaRepository) {}

  async snapshot(frameworkId: string, version: number): Promise<CatalogueSnapshot> {
    const [framework, items, offers] = await Promise.all([
      this.criteria.getFramework(frameworkId, version),
      this.criteria.items.listAll(),
      this.criteria.offers.listAll(),
    ]);
    return pinCatalogue(framework, await this.criteria.batchGetVersions(framework.criteria), items, offers);
  }
}
