import { itemChanges, offerChanges, type AuditEntry } from '#src/core/audit/audit-entry.ts';
import { changelogMarkdown, entryChanges, publicationChanges, type EntryPublicationChanges, type PublicationChange, type PublicationPreview } from '#src/core/audit/changelog.ts';
import type { CatalogueItemVersion, Framework, OfferVersion } from '#src/core/model/catalogue.ts';
import { withEntryPins } from '#src/core/model/catalogue-snapshot.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';

/**
 * What publishing the next version of a framework would change, from its latest version: each
 * pinned criterion at its latest version, and every item and offer at its latest version.
 */
export async function pendingPublication(id: string, deps: { criteria: CriteriaRepository }): Promise<PublicationPreview> {
  const framework = await deps.criteria.getLatestFramework(id);
  const [pinned, latest, items, offers] = await Promise.all([
    deps.criteria.batchGetVersions(framework.criteria),
    Promise.all(framework.criteria.map((ref) => deps.criteria.getLatest(ref.id))),
    deps.criteria.items.listAll(),
    deps.criteria.offers.listAll(),
  ]);
  const latestPins = (versions: ReadonlyArray<{ id: string; version: number }>) => [...new Map(versions.map((v) => [v.id, { id: v.id, version: v.version }])).values()];
  const candidate: Framework = {
    ...framework,
    version: framework.version + 1,
    criteria: latest.map((c) => ({ id: c.id, version: c.version })),
    items: latestPins(items),
    offers: latestPins(offers),
  };
  return {
    framework: { id: framework.id, version: framework.version },
    changes: publicationChanges(framework, candidate, [...pinned, ...latest]),
    ...entryPublicationChanges(withEntryPins(framework, items, offers), candidate, items, offers),
  };
}

/** The items and offers whose pinned version differs between two frameworks whose pins are explicit (withEntryPins). */
function entryPublicationChanges(
  before: Framework,
  after: Framework,
  items: readonly CatalogueItemVersion[],
  offers: readonly OfferVersion[],
): EntryPublicationChanges {
  return {
    items: entryChanges(before.items ?? [], after.items ?? [], items, itemChanges),
    offers: entryChanges(before.offers ?? [], after.offers ?? [], offers, offerChanges),
  };
}

/** What a published version's changelog says: the version, its predecessor, its audit entry and each criterion change. */
export interface FrameworkChangelog {
  framework: Framework;
  previous: Framework | undefined;
  entry: AuditEntry | undefined;
  changes: PublicationChange[];
  /** The items and offers whose pinned version changed; undefined for a first version. */
  entries: EntryPublicationChanges | undefined;
}

/**
 * The changelog of a published framework version: from the audit trail (author, reason) and the
 * criterion, item and offer versions the version and its predecessor pin. The Markdown and the
 * PDF (changelogDocument) are both written from this one structure.
 */
export async function frameworkChangelogData(id: string, version: number, deps: { criteria: CriteriaRepository; audit: AuditLog }): Promise<FrameworkChangelog> {
  const framework = await deps.criteria.getFramework(id, version);
  const previous = version > 1 ? await deps.criteria.getFramework(id, version - 1).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }) : undefined;
  const refs = new Map([...framework.criteria, ...(previous?.criteria ?? [])].map((ref) => [`${ref.id}@${ref.version}`, ref]));
  const [versions, items, offers] = await Promise.all([deps.criteria.batchGetVersions([...refs.values()]), deps.criteria.items.listAll(), deps.criteria.offers.listAll()]);
  const entry = (await deps.audit.history('framework', id)).find((e) => e.target.version === version);
  const base: Framework = previous ?? { ...framework, criteria: [] };
  const entries = previous ? entryPublicationChanges(withEntryPins(previous, items, offers), withEntryPins(framework, items, offers), items, offers) : undefined;
  return { framework, previous, entry, changes: publicationChanges(base, framework, versions), entries };
}

/** The changelog of a published framework version, as Markdown. */
export async function frameworkChangelog(id: string, version: number, deps: { criteria: CriteriaRepository; audit: AuditLog }): Promise<{ framework: Framework; markdown: string }> {
  const { framework, previous, entry, changes, entries } = await frameworkChangelogData(id, version, deps);
  return { framework, markdown: changelogMarkdown(framework, previous, entry, changes, entries) };
}
