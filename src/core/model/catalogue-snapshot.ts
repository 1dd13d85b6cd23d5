import type { Catalogue, CatalogueEntryKind, CatalogueItem, CatalogueItemVersion, EntryRef, Framework, Offer, OfferVersion } from './catalogue.ts';
import type { Criterion } from './criterion.ts';
import { NotFoundError } from './errors.ts';

/** Everything the reference catalogue contributes to one generation, already pinned. */
export interface CatalogueSnapshot {
  framework: Framework;
  /** The criterion versions the framework pins, by id. */
  criteria: ReadonlyMap<string, Criterion>;
  /** The item versions the framework pins, by id, without their version number (what documents read). */
  items: ReadonlyMap<string, CatalogueItem>;
  /** The offer versions the framework pins, by id, without their version number. */
  offers: ReadonlyMap<string, Offer>;
}

/**
 * The item or offer versions a framework pins: its `items` (`offers`) refs, or, for a framework
 * published before items and offers were versioned (no refs), version 1 of every entry in
 * `versions`: the content as it was when versions were introduced, so that regenerating a tender
 * pinned to such a framework gives the same bytes whatever editors wrote since.
 */
export function entryPins(refs: readonly EntryRef[] | undefined, versions: ReadonlyArray<{ id: string; version: number }>): EntryRef[] {
  if (refs) return refs.map((ref) => ({ id: ref.id, version: ref.version }));
  return versions.filter((v) => v.version === 1).map((v) => ({ id: v.id, version: 1 }));
}

function pinEntries<T extends { id: string; version: number }>(
  kind: CatalogueEntryKind,
  refs: readonly EntryRef[] | undefined,
  versions: readonly T[],
): Map<string, Omit<T, 'version'>> {
  const byRef = new Map(versions.map((v) => [`${v.id}@${v.version}`, v]));
  const pinned = new Map<string, Omit<T, 'version'>>();
  for (const ref of entryPins(refs, versions)) {
    const found = byRef.get(`${ref.id}@${ref.version}`);
    if (!found) throw new NotFoundError(kind, `${ref.id}@${ref.version}`);
    const { version: _version, ...content } = found;
    pinned.set(ref.id, content);
  }
  return pinned;
}

/**
 * A framework version with the criterion, item and offer versions it pins, taken from `versions`,
 * `items` and `offers` (any versions, in any order): what both catalogue readers serve. Throws
 * NotFoundError('criterion' | 'item' | 'offer', 'id@version') when a pinned version is missing.
 */
export function pinCatalogue(
  framework: Framework,
  versions: readonly Criterion[],
  items: readonly CatalogueItemVersion[],
  offers: readonly OfferVersion[],
): CatalogueSnapshot {
  const byRef = new Map(versions.map((c) => [`${c.id}@${c.version}`, c]));
  const criteria = new Map<string, Criterion>();
  for (const ref of framework.criteria) {
    const criterion = byRef.get(`${ref.id}@${ref.version}`);
    if (!criterion) throw new NotFoundError('criterion', `${ref.id}@${ref.version}`);
    criteria.set(ref.id, criterion);
  }
  return { framework, criteria, items: pinEntries('item', framework.items, items), offers: pinEntries('offer', framework.offers, offers) };
}

/** The items or offers of catalogue files, which hold version 1 of each. */
export function firstVersions<T>(entries: readonly T[]): Array<T & { version: number }> {
  return entries.map((entry) => ({ ...entry, version: 1 }));
}

/** One framework version of a whole catalogue, pinned. NotFoundError('framework', 'id@version') when the catalogue lacks it. */
export function snapshotOf(catalogue: Catalogue, frameworkId: string, version: number): CatalogueSnapshot {
  const framework = catalogue.frameworks.find((f) => f.id === frameworkId && f.version === version);
  if (!framework) throw new NotFoundError('framework', `${frameworkId}@${version}`);
  return pinCatalogue(framework, catalogue.criteria, firstVersions(catalogue.items), firstVersions(catalogue.offers));
}

/**
 * A framework with its item and offer pins made explicit (version 1 of each stored entry when it
 * names none): what comparisons between framework versions read. Never stored.
 */
export function withEntryPins(
  framework: Framework,
  items: ReadonlyArray<{ id: string; version: number }>,
  offers: ReadonlyArray<{ id: string; version: number }>,
): Framework {
  return { ...framework, items: entryPins(framework.items, items), offers: entryPins(framework.offers, offers) };
}
