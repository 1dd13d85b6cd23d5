import type { Catalogue } from '#src/core/model/catalogue.ts';
import { canonicalJson } from '#src/core/model/canonical-json.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { CatalogueEntryVersions, CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import { AlreadyExistsError, VersionConflictError } from './errors.ts';

export interface SeedResult {
  criterionVersionsWritten: number;
  frameworksPublished: number;
  itemsWritten: number;
  offersWritten: number;
}

/** The store holds something else under a key the catalogue seeds. */
export class SeedMismatchError extends Error {
  constructor(readonly what: string) {
    super(`the store holds a different ${what} than the catalogue`);
    this.name = 'SeedMismatchError';
  }
}

/**
 * Loads the repository's catalogue into the store, and can be run any number of times: criterion
 * versions are written only when absent (in version order, through the same optimistic lock as
 * editors), version 1 of each item and offer likewise, frameworks published once. A stored
 * criterion, item, offer or framework version that differs from the catalogue is a
 * SeedMismatchError: immutable versions are never rewritten. Returns what it wrote; a second run writes nothing.
 */
export async function seedCatalogue(repos: { criteria: CriteriaRepository }, catalogue: Catalogue): Promise<SeedResult> {
  const repo = repos.criteria;
  const result: SeedResult = { criterionVersionsWritten: 0, frameworksPublished: 0, itemsWritten: 0, offersWritten: 0 };

  const byId = new Map<string, Criterion[]>();
  for (const criterion of catalogue.criteria) byId.set(criterion.id, [...(byId.get(criterion.id) ?? []), criterion]);
  await forEachLimited([...byId.values()], 8, async (versions) => {
    versions.sort((a, b) => a.version - b.version);
    const stored = new Map((await repo.listVersions(versions[0]!.id)).map((c) => [c.version, c]));
    for (const criterion of versions) {
      const existing = stored.get(criterion.version);
      if (existing) {
        if (canonicalJson(existing) !== canonicalJson(criterion)) throw new SeedMismatchError(`criterion ${criterion.id}@${criterion.version}`);
        continue;
      }
      try {
        await repo.putNewVersion(criterion, criterion.version - 1);
        result.criterionVersionsWritten++;
      } catch (error) {
        // Another seeder may have written the same version meanwhile.
        if (!(error instanceof VersionConflictError)) throw error;
        const winner = await repo.getVersion(criterion.id, criterion.version);
        if (canonicalJson(winner) !== canonicalJson(criterion)) throw new SeedMismatchError(`criterion ${criterion.id}@${criterion.version}`);
      }
    }
  });

  result.itemsWritten = await seedFirstVersions(repo.items, catalogue.items, 'item');
  result.offersWritten = await seedFirstVersions(repo.offers, catalogue.offers, 'offer');

  for (const framework of [...catalogue.frameworks].sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version)) {
    const what = `framework ${framework.id}@${framework.version}`;
    try {
      const existing = await repo.getFramework(framework.id, framework.version);
      if (canonicalJson(existing) !== canonicalJson(framework)) throw new SeedMismatchError(what);
      continue;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    try {
      await repo.publishFramework(framework);
      result.frameworksPublished++;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      if (canonicalJson(await repo.getFramework(framework.id, framework.version)) !== canonicalJson(framework)) {
        throw new SeedMismatchError(what);
      }
    }
  }
  return result;
}

/**
 * Writes version 1 of each item (offer) of the files that the store lacks; a stored version 1 that
 * differs is a SeedMismatchError (versions are immutable: a later change is a new version, written
 * by an editor). Returns how many it wrote.
 */
async function seedFirstVersions<T extends { id: string }>(store: CatalogueEntryVersions<T>, entries: readonly T[], kind: string): Promise<number> {
  const first = new Map((await store.listAll()).filter((v) => v.version === 1).map((v) => [v.id, v]));
  let written = 0;
  for (const entry of entries) {
    const same = (stored: T & { version: number }) => canonicalJson(stored) === canonicalJson({ ...entry, version: 1 });
    const existing = first.get(entry.id);
    if (existing) {
      if (!same(existing)) throw new SeedMismatchError(`${kind} ${entry.id}@1`);
      continue;
    }
    try {
      await store.putNewVersion({ ...entry, version: 1 }, 0);
      written++;
    } catch (error) {
      // Another seeder may have written it meanwhile.
      if (!(error instanceof VersionConflictError)) throw error;
      const winner = (await store.listVersions(entry.id))[0];
      if (!winner || !same(winner)) throw new SeedMismatchError(`${kind} ${entry.id}@1`);
    }
  }
  return written;
}

/** Runs `run` over `values`, `limit` at a time; after a failure starts nothing new, and settles before rethrowing it. */
async function forEachLimited<T>(values: readonly T[], limit: number, run: (value: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(limit, values.length) }, async () => {
    while (!failed && next < values.length) {
      try {
        await run(values[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const outcomes = await Promise.allSettled(workers);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}
