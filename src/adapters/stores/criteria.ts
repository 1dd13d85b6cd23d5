import * as z from 'zod';
import { FrameworkSchema, SlugSchema, type CatalogueEntryKind, type EntryRef, type Framework } from '#src/core/model/catalogue.ts';
import { CategorySchema, CriterionIdSchema, CriterionSchema, type Category, type Criterion, type CriterionRef } from '#src/core/model/criterion.ts';
import { issuesFromZod, ValidationError, type Issue } from '#src/core/model/errors.ts';
import type { CriteriaRepository, CriterionDraft, FrameworkDraft } from '#src/app/ports/criteria-repository.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import { decodeCursor, encodeCursor, pageLimit } from './paging.ts';

/**
 * What every criteria repository checks the same way, whatever holds the data (DynamoDB, memory):
 * which ids and versions can exist, a draft (criterion, item, offer) before its version is
 * written, a framework before it is published, and the pages of a framework.
 */

const VersionSchema = z.number().int().positive().max(9_999_999_999);

/** Ids and versions that no store can hold: looking them up is a NotFoundError without a read. */
export const canExist = {
  criterion: (id: string) => CriterionIdSchema.safeParse(id).success,
  version: (version: number) => VersionSchema.safeParse(version).success,
  ref: (ref: CriterionRef) => CriterionIdSchema.safeParse(ref.id).success && VersionSchema.safeParse(ref.version).success,
  framework: (id: string) => SlugSchema.safeParse(id).success,
  /** An item or offer id. */
  entry: (id: string) => SlugSchema.safeParse(id).success,
};

export function refKey(ref: CriterionRef): string {
  return `${ref.id}@${ref.version}`;
}

/**
 * The criterion `putNewVersion` writes: version `expectedVersion + 1`, checked with CriterionSchema.
 * ValidationError for a negative expected version, a draft version that is not the next one, or a
 * draft that does not fit. Whether `expectedVersion` is the latest is the store's to check.
 */
export function nextVersion(draft: CriterionDraft, expectedVersion: number): Criterion {
  return nextVersionOf(CriterionSchema, draft, expectedVersion);
}

/** The same for any versioned record (criterion, item, offer), checked with its `schema`. */
export function nextVersionOf<T extends { version: number }>(schema: z.ZodType<T>, draft: { version?: number | undefined }, expectedVersion: number): T {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new ValidationError([{ path: 'expectedVersion', message: 'expected a non-negative integer' }]);
  }
  const version = expectedVersion + 1;
  if (draft.version !== undefined && draft.version !== version) {
    throw new ValidationError([{ path: 'version', message: `expected ${version}, the version after ${expectedVersion}` }]);
  }
  const parsed = schema.safeParse({ ...draft, version });
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  return parsed.data;
}

/** What publishing a framework needs to read from the store. */
export interface FrameworkLookups {
  /** The latest version of each of these (valid) criterion ids that exists. */
  latestVersions(ids: readonly string[]): Promise<Map<string, number>>;
  /** Which of these refs exist, as `refKey`s. */
  existingRefs(refs: readonly CriterionRef[]): Promise<Set<string>>;
  frameworkExists(id: string, version: number): Promise<boolean>;
  /** Every stored version of every item or offer (read only when the draft pins some). */
  entryVersions(kind: CatalogueEntryKind): Promise<ReadonlyArray<{ id: string; version: number }>>;
}

/**
 * The framework `publishFramework` writes: criteria without a version pinned at their latest one,
 * checked with FrameworkSchema, every pinned version existing, version N > 1 after version N - 1.
 * ValidationError listing every problem. Whether the version is already published is the store's
 * to check, in its conditional write.
 */
export async function pinFramework(draft: FrameworkDraft, store: FrameworkLookups): Promise<Framework> {
  const issues: Issue[] = [];
  if (draft.status !== 'published') issues.push({ path: 'status', message: 'a published framework has status "published"' });

  const unpinned = [...new Set(draft.criteria.filter((c) => c.version === undefined).map((c) => c.id))].filter(canExist.criterion);
  const latest = await store.latestVersions(unpinned);
  const unknown = new Set<number>();
  const pinned = draft.criteria.map((ref, i) => {
    if (ref.version !== undefined) return { id: ref.id, version: ref.version };
    const version = latest.get(ref.id);
    if (version === undefined) {
      issues.push({ path: `criteria.${i}.id`, message: `unknown criterion "${ref.id}"` });
      unknown.add(i);
      return { id: ref.id, version: 1 };
    }
    return { id: ref.id, version };
  });

  const items = draft.items && pinEntries('item', draft.items, await store.entryVersions('item'), issues);
  const offers = draft.offers && pinEntries('offer', draft.offers, await store.entryVersions('offer'), issues);
  const parsed = FrameworkSchema.safeParse({ ...draft, criteria: pinned, ...(items ? { items } : {}), ...(offers ? { offers } : {}) });
  if (!parsed.success) throw new ValidationError([...issues, ...issuesFromZod(parsed.error)]);
  const framework = parsed.data;

  const found = await store.existingRefs(framework.criteria);
  framework.criteria.forEach((ref, i) => {
    if (!unknown.has(i) && !found.has(refKey(ref))) {
      issues.push({ path: `criteria.${i}.version`, message: `criterion "${ref.id}" has no version ${ref.version}` });
    }
  });
  if (framework.version > 1 && !(await store.frameworkExists(framework.id, framework.version - 1))) {
    issues.push({ path: 'version', message: `version ${framework.version - 1} of framework "${framework.id}" is not published` });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return framework;
}

/**
 * Item or offer refs pinned: those without a version at the latest stored one. An unknown id or
 * version is an issue under `items.<i>` (`offers.<i>`).
 */
function pinEntries(
  kind: CatalogueEntryKind,
  refs: ReadonlyArray<{ id: string; version?: number | undefined }>,
  stored: ReadonlyArray<{ id: string; version: number }>,
  issues: Issue[],
): EntryRef[] {
  const latest = new Map<string, number>();
  const known = new Set<string>();
  for (const v of stored) {
    latest.set(v.id, Math.max(v.version, latest.get(v.id) ?? 0));
    known.add(`${v.id}@${v.version}`);
  }
  const path = `${kind}s`;
  return refs.map((ref, i) => {
    const version = ref.version ?? latest.get(ref.id);
    if (!latest.has(ref.id)) issues.push({ path: `${path}.${i}.id`, message: `unknown ${kind} "${ref.id}"` });
    else if (version !== undefined && !known.has(`${ref.id}@${version}`)) issues.push({ path: `${path}.${i}.version`, message: `${kind} "${ref.id}" has no version ${version}` });
    return { id: ref.id, version: version ?? 1 };
  });
}

/**
 * One page of the criterion versions a framework version pins, in the framework's order: the
 * framework read, then one batch read of the page's refs. The cursor is the offset, bound to the
 * framework version.
 */
export async function frameworkCriteriaPage(
  repo: Pick<CriteriaRepository, 'getFramework' | 'batchGetVersions'>,
  frameworkId: string,
  version: number,
  page: PageRequest,
): Promise<Page<Criterion>> {
  const limit = pageLimit(page.limit);
  const framework = await repo.getFramework(frameworkId, version);
  const refs = framework.criteria;
  const listing = `${frameworkId}@${version}`;
  let offset = 0;
  if (page.cursor !== undefined) {
    offset = decodeCursor(page.cursor, z.strictObject({ f: z.literal(listing), o: z.number().int().min(1).max(refs.length - 1) })).o;
  }
  const items = await repo.batchGetVersions(refs.slice(offset, offset + limit));
  const next = offset + limit;
  return next < refs.length ? { items, cursor: encodeCursor({ f: listing, o: next }) } : { items };
}

/** The page size of a category listing; ValidationError for an unknown category or a bad limit. */
export function categoryPageLimit(category: Category, page: PageRequest): number {
  if (!CategorySchema.safeParse(category).success) {
    throw new ValidationError([{ path: 'category', message: `unknown category "${category}"` }]);
  }
  return pageLimit(page.limit);
}
