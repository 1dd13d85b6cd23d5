import type { AuditEntry } from '#src/core/audit/audit-entry.ts';
import { changelogMarkdown, publicationChanges, type PublicationChange, type PublicationPreview } from '#src/core/audit/changelog.ts';
import type { Framework } from '#src/core/model/catalogue.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';

/** The latest version of a framework, and what publishing the next one would change: each pinned criterion at its latest version. */
export async function pendingPublication(id: string, deps: { criteria: CriteriaRepository }): Promise<PublicationPreview> {
  const framework = await deps.criteria.getLatestFramework(id);
  const pinned = await deps.criteria.batchGetVersions(framework.criteria);
  const latest = await Promise.all(framework.criteria.map((ref) => deps.criteria.getLatest(ref.id)));
  const candidate: Framework = { ...framework, version: framework.version + 1, criteria: latest.map((c) => ({ id: c.id, version: c.version })) };
  return { framework: { id: framework.id, version: framework.version }, changes: publicationChanges(framework, candidate, [...pinned, ...latest]) };
}

/** What a published version's changelog says: the version, its predecessor, its audit entry and each criterion change. */
export interface FrameworkChangelog {
  framework: Framework;
  previous: Framework | undefined;
  entry: AuditEntry | undefined;
  changes: PublicationChange[];
}

/**
 * The changelog of a published framework version: from the audit trail (author, reason) and the
 * criterion versions the version and its predecessor pin. The Markdown and the PDF
 * (changelogDocument) are both written from this one structure.
 */
export async function frameworkChangelogData(id: string, version: number, deps: { criteria: CriteriaRepository; audit: AuditLog }): Promise<FrameworkChangelog> {
  const framework = await deps.criteria.getFramework(id, version);
  const previous = version > 1 ? await deps.criteria.getFramework(id, version - 1).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }) : undefined;
  const refs = new Map([...framework.criteria, ...(previous?.criteria ?? [])].map((ref) => [`${ref.id}@${ref.version}`, ref]));
  const versions = await deps.criteria.batchGetVersions([...refs.values()]);
  const entry = (await deps.audit.history('framework', id)).find((e) => e.target.version === version);
  const base: Framework = previous ?? { ...framework, criteria: [] };
  return { framework, previous, entry, changes: publicationChanges(base, framework, versions) };
}

/** The changelog of a published framework version, as Markdown. */
export async function frameworkChangelog(id: string, version: number, deps: { criteria: CriteriaRepository; audit: AuditLog }): Promise<{ framework: Framework; markdown: string }> {
  const { framework, previous, entry, changes } = await frameworkChangelogData(id, version, deps);
  return { framework, markdown: changelogMarkdown(framework, previous, entry, changes) };
}
