import { pinCatalogue, type CatalogueSnapshot } from '#src/core/model/catalogue-snapshot.ts';
import type { CatalogueItemVersion, Framework, OfferVersion } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';

/** What a framework version pins and never changes once written, read once per reader. */
interface PinnedVersions {
  framework: Framework;
  criteria: readonly Criterion[];
  /** Every item and offer version as first read: kept only when the framework pins its items and offers. */
  entries?: { items: readonly CatalogueItemVersion[]; offers: readonly OfferVersion[] };
}

/** Framework versions a reader keeps (a generation pins one; the catalogue holds a handful). */
export const DEFAULT_PINNED_FRAMEWORKS = 16;

/**
 * The catalogue as a criteria repository holds it (DynamoDB in the stack, memory in fast tests):
 * one framework version with the criterion, item and offer versions it pins. Four calls for a
 * framework of up to 100 criteria (the framework, one batch read per 100 pinned criterion
 * versions, every item version, every offer version) in two round trips: items and offers are
 * read while the framework is.
 *
 * Versions are written once and never rewritten (the seed refuses a differing one), so the
 * framework version and the criterion versions it pins are read once per reader (one per
 * composition, so one per Lambda instance), for the last `maxFrameworks` versions asked for.
 * Item and offer versions are kept too when the framework pins them; a framework published
 * before items and offers were versioned pins version 1 of every entry, a set an editor may
 * extend, so those are read at each snapshot. Each snapshot is a copy of what is kept (≈ 0.3 ms
 * for 77 criteria, against two more round trips and their decoding), as a store's read is: a
 * caller that changes one cannot change what the next one reads. A read that fails is not kept.
 */
export class RepositoryCatalogueReader implements CatalogueReader {
  private readonly pinned = new Map<string, PinnedVersions>();

  constructor(
    private readonly criteria: CriteriaRepository,
    private readonly maxFrameworks = DEFAULT_PINNED_FRAMEWORKS,
  ) {}

  async snapshot(frameworkId: string, version: number): Promise<CatalogueSnapshot> {
    const key = `${frameworkId}@${version}`;
    const known = this.pinned.get(key);
    if (known) {
      // Most recently used last: Map iteration order is insertion order.
      this.pinned.delete(key);
      this.pinned.set(key, known);
      const { framework, criteria, entries } = structuredClone(known);
      const { items, offers } = entries ?? (await this.entryVersions());
      return pinCatalogue(framework, criteria, items, offers);
    }
    const [framework, { items, offers }] = await Promise.all([this.criteria.getFramework(frameworkId, version), this.entryVersions()]);
    const criteria = await this.criteria.batchGetVersions(framework.criteria);
    const snapshot = pinCatalogue(framework, criteria, items, offers);
    this.remember(key, structuredClone({ framework, criteria, ...(framework.items && framework.offers ? { entries: { items, offers } } : {}) }));
    return snapshot;
  }

  private async entryVersions(): Promise<{ items: CatalogueItemVersion[]; offers: OfferVersion[] }> {
    const [items, offers] = await Promise.all([this.criteria.items.listAll(), this.criteria.offers.listAll()]);
    return { items, offers };
  }

  private remember(key: string, versions: PinnedVersions): void {
    if (this.maxFrameworks <= 0) return;
    this.pinned.delete(key);
    for (const oldest of this.pinned.keys()) {
      if (this.pinned.size < this.maxFrameworks) break;
      this.pinned.delete(oldest);
    }
    this.pinned.set(key, versions);
  }
}
