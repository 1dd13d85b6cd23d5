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
 * extend, so those are read at each snapshot. Each snapshot is a copy of what is kept (≈ 0.05 ms
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
      const { framework, criteria, entries } = copyOf(known);
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

/**
 * A deep copy of plain data (what a store's read decodes: arrays, plain objects, primitives),
 * anything else by structuredClone. Five times faster than structuredClone of the whole, and the
 * strings are the kept ones, not copies: strings are immutable, and the hash V8 caches on each
 * string is still there for the maps that key on them downstream (escapeMarkup's, by the criteria's
 * texts), where fresh copies of 54 KB of criteria had to be hashed again at every generation.
 */
function copyOf<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  const keys = Object.keys(value);
  // An own `__proto__` would set the copy's prototype instead of a property.
  if (Object.getPrototypeOf(value) !== Object.prototype || keys.includes('__proto__')) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of keys) copy[key] = copyOf((value as Record<string, unknown>)[key]);
  return copy as T;
}
