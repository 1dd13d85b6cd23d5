import type { CatalogueItem, Framework, Offer } from '#src/core/model/catalogue.ts';
import type { Category, Criterion, CriterionRef } from '#src/core/model/criterion.ts';
import type { Page, PageRequest } from './page.ts';

/**
 * Storage ports: what the use cases need from a store. The DynamoDB and S3 adapters
 * (src/adapters/) and the in-memory fakes implement them.
 *
 * Conventions shared by every port:
 * - a missing record is a NotFoundError, a lost optimistic lock a VersionConflictError, an
 *   attempt to overwrite an immutable record an AlreadyExistsError;
 * - a malformed argument the caller controls (a cursor, a limit) is a ValidationError;
 * - a stored record that no longer fits its schema is not a domain error: adapters throw a plain
 *   Error (HTTP 500), never return it.
 */

/**
 * A framework to publish: each criterion, item and offer is pinned at the given version, or at
 * its latest one when `version` is absent. Without `items` (`offers`) the framework pins none:
 * version 1 of every item (offer) then applies, as for frameworks published before items were
 * versioned (catalogue-snapshot.ts).
 */
export type FrameworkDraft = Omit<Framework, 'criteria' | 'items' | 'offers'> & {
  criteria: Array<{ id: string; version?: number }>;
  items?: Array<{ id: string; version?: number }>;
  offers?: Array<{ id: string; version?: number }>;
};

/**
 * The versions of catalogue items, or of offers: immutable, contiguous from 1, written behind the
 * same optimistic lock as criterion versions. The catalogue holds tens of entries, so a listing
 * returns them all.
 */
export interface CatalogueEntryVersions<T extends { id: string }> {
  /** The latest version of an entry. NotFoundError when it does not exist. */
  getLatest(id: string): Promise<T & { version: number }>;

  /** Every version of an entry, oldest first; empty when it does not exist. */
  listVersions(id: string): Promise<Array<T & { version: number }>>;

  /** Every version of every entry, by id then version (what a snapshot pins from). */
  listAll(): Promise<Array<T & { version: number }>>;

  /** The latest version of every entry, by id. */
  listLatest(): Promise<Array<T & { version: number }>>;

  /**
   * Writes version `expectedVersion + 1` of an entry (0 to create it); a `version` in the draft
   * must be that one. VersionConflictError when `expectedVersion` is not the latest version;
   * ValidationError when the draft does not fit the entry's schema. Returns the stored version.
   */
  putNewVersion(draft: T & { version?: number }, expectedVersion: number): Promise<T & { version: number }>;
}

/** A criterion as an editor submits it: the repository assigns the version. */
export type CriterionDraft = Omit<Criterion, 'version'> & { version?: number };

/**
 * Reference criteria, frameworks, catalogue items and offers.
 *
 * Criterion versions are immutable. `putNewVersion` is the only way to add one and is an
 * optimistic lock: it succeeds only if `expectedVersion` is the latest version when it commits,
 * so two editors who read the same version cannot both write the next one.
 */
export interface CriteriaRepository {
  /** The latest version of a criterion. NotFoundError when the criterion does not exist. */
  getLatest(id: string): Promise<Criterion>;

  /** One version of a criterion. NotFoundError when that version does not exist. */
  getVersion(id: string, version: number): Promise<Criterion>;

  /** Every version of a criterion, oldest first (1, 2, 3…); empty when the criterion does not exist. */
  listVersions(id: string): Promise<Criterion[]>;

  /**
   * The given criterion versions, in the order of `refs` (duplicates allowed), in ceil(n / 100)
   * batch reads (plus retries of keys the store left unprocessed).
   * NotFoundError naming the first missing `id@version` when any is absent.
   */
  batchGetVersions(refs: readonly CriterionRef[]): Promise<Criterion[]>;

  /**
   * Writes version `expectedVersion + 1` of a criterion and makes it the latest.
   * `expectedVersion` is the version the editor read (0 to create the criterion); when the draft
   * carries a `version` it must be `expectedVersion + 1`.
   * VersionConflictError when `expectedVersion` is not the latest version; ValidationError when
   * the draft does not fit CriterionSchema. Returns the stored criterion.
   */
  putNewVersion(criterion: CriterionDraft, expectedVersion: number): Promise<Criterion>;

  /** Latest versions of the criteria of one category, by id. */
  listByCategory(category: Category, page?: PageRequest): Promise<Page<Criterion>>;

  /** The criterion versions a framework version pins, in the framework's order. NotFoundError for an unknown framework version. */
  listByFramework(frameworkId: string, version: number, page?: PageRequest): Promise<Page<Criterion>>;

  /** One framework version. NotFoundError when it does not exist. */
  getFramework(id: string, version: number): Promise<Framework>;

  /** The latest published version of a framework. NotFoundError when it does not exist. */
  getLatestFramework(id: string): Promise<Framework>;

  /** The latest version of every framework, by id. */
  listFrameworks(): Promise<Framework[]>;

  /**
   * Publishes an immutable framework version. Criteria, items and offers without a version are
   * pinned at their latest version; every pinned version must exist, and version N > 1 needs
   * version N - 1. AlreadyExistsError when that framework version exists; ValidationError for an
   * unknown criterion, item or offer version, a missing previous version or a draft that does not fit FrameworkSchema.
   */
  publishFramework(framework: FrameworkDraft): Promise<Framework>;

  /** Catalogue item versions. */
  readonly items: CatalogueEntryVersions<CatalogueItem>;

  /** Offer versions. */
  readonly offers: CatalogueEntryVersions<Offer>;
}
