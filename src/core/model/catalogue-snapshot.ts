import type { Catalogue, CatalogueItem, Framework, Offer } from './catalogue.ts';
import type { Criterion } from './criterion.ts';
import { NotFoundError } from './errors.ts';

/** Everything the reference catalogue contributes to one generation, already pinned. */
export interface CatalogueSnapshot {
  framework: Framework;
  /** The criterion versions the framework pins, by id. */
  criteria: ReadonlyMap<string, Criterion>;
  items: ReadonlyMap<string, CatalogueItem>;
  offers: ReadonlyMap<string, Offer>;
}

/**
 * A framework version with the criterion versions it pins, taken from `versions` (any criterion
 * versions, in any order), and every item and offer: what both catalogue readers serve. Throws
 * NotFoundError('criterion', 'id@version') when a pinned version is not among `versions`.
 */
export function pinCatalogue(
  framework: Framework,
  versions: readonly Criterion[],
  items: readonly CatalogueItem[],
  offers: readonly Offer[],
): CatalogueSnapshot {
  const byRef = new Map(versions.map((c) => [`${c.id}@${c.version}`, c]));
  const criteria = new Map<string, Criterion>();
  for (const ref of framework.criteria) {
    const criterion = byRef.get(`${ref.id}@${ref.version}`);
    if (!criterion) throw new NotFoundError('criterion', `${ref.id}@${ref.version}`);
    criteria.set(ref.id, criterion);
  }
  return { framework, criteria, items: new Map(items.map((i) => [i.id, i])), offers: new Map(offers.map((o) => [o.id, o])) };
}

/** One framework version of a whole catalogue, pinned. NotFoundError('framework', 'id@version') when the catalogue lacks it. */
export function snapshotOf(catalogue: Catalogue, frameworkId: string, version: number): CatalogueSnapshot {
  const framework = catalogue.frameworks.find((f) => f.id === frameworkId && f.version === version);
  if (!framework) throw new NotFoundError('framework', `${frameworkId}@${version}`);
  return pinCatalogue(framework, catalogue.criteria, catalogue.items, catalogue.offers);
}
