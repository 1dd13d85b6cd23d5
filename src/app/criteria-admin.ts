import * as z from 'zod';
import { FUNDING_PROGRAMMES, fundingProgramme } from '#src/core/funding/programmes.ts';
import { FundingRuleSchema, SlugSchema, type Framework } from '#src/core/model/catalogue.ts';
import { CategorySchema, CriterionIdSchema, CriterionSchema, type Criterion } from '#src/core/model/criterion.ts';
import { issuesFromZod, NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { currentCriterionIssues } from '#src/core/model/requirement-text.ts';
import { ChangeReasonSchema, criterionChanges, frameworkChanges } from '#src/core/audit/audit-entry.ts';
import { withEntryPins } from '#src/core/model/catalogue-snapshot.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import type { Clock } from '#src/app/ports/system.ts';

/**
 * What an editor sends to write a criterion's next version: the whole criterion (a replacement,
 * not a patch). The id comes from the address and the version from the store; both may be
 * repeated in the body, and must then agree.
 */
export const CriterionWriteSchema = CriterionSchema.extend({
  id: CriterionIdSchema.optional(),
  version: z.number().int().positive().optional(),
  reason: ChangeReasonSchema.describe('Why the criterion changes, required; recorded in the audit trail (GET /audit), not in the criterion'),
}).describe('A criterion version to write; the store assigns the version');
export type CriterionWrite = z.infer<typeof CriterionWriteSchema>;

/** Who edits, for the audit trail: the token's subject. */
export interface Editor {
  actor: string;
}

/**
 * Writes the next version of a criterion, on condition that `expectedVersion` (the version the
 * editor read; 0 to create the criterion) is still the latest: VersionConflictError otherwise,
 * so concurrent editors cannot lose each other's changes. A text that states a number its metric
 * holds, rather than `{seuil}`, is a ValidationError on `requirement`.
 */
export async function updateCriterion(
  id: string,
  body: unknown,
  expectedVersion: number,
  deps: { criteria: CriteriaRepository; audit?: AuditLog; clock?: Clock },
  editor?: Editor,
): Promise<Criterion> {
  if (!CriterionIdSchema.safeParse(id).success) throw new NotFoundError('criterion', id);
  const parsed = CriterionWriteSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  const { reason, ...draft } = parsed.data;
  if (draft.id !== undefined && draft.id !== id) {
    throw new ValidationError([{ path: 'id', message: `the body names criterion "${draft.id}", the address "${id}"` }]);
  }
  // The version written becomes the latest: its text takes its threshold from its metric.
  const textIssues = currentCriterionIssues(draft);
  if (textIssues.length > 0) throw new ValidationError(textIssues);
  const before = deps.audit && expectedVersion > 0 ? await deps.criteria.getVersion(id, expectedVersion).catch(() => undefined) : undefined;
  const written = await deps.criteria.putNewVersion({ ...draft, id }, expectedVersion);
  // The version is the commit point; its entry follows. A crash in between leaves a version
  // without an entry, which the history shows as such (never an entry without its version).
  if (deps.audit && deps.clock && editor) {
    await deps.audit.append({
      target: { kind: 'criterion', id, version: written.version },
      actor: editor.actor,
      at: deps.clock.now().toISOString(),
      reason,
      changes: criterionChanges(before, written),
    });
  }
  return written;
}

/**
 * A framework version to publish. Fields left out are copied from the previous version; criteria
 * left out are the previous version's, each pinned at its latest version (publishing "the same
 * framework with today's criteria"); items and offers left out are every stored one at its latest
 * version. Version 1 needs every field.
 */
export const FrameworkPublicationSchema = z
  .strictObject({
    version: z.number().int().positive().describe('The version to publish: the latest plus one'),
    title: z.string().min(3).max(200).optional(),
    reference: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    publishedAt: z.iso.date().optional().describe("Defaults to today's date"),
    fundingRule: FundingRuleSchema.optional(),
    reason: ChangeReasonSchema.describe('Why this version is published, required; recorded in the audit trail'),
    programmes: z
      .array(SlugSchema)
      .max(50)
      .optional()
      .describe(`Ids of the co-funding programmes the framework serves (${FUNDING_PROGRAMMES.map((p) => p.id).join(', ')}); left out, the previous version’s`),
    criteria: z
      .array(z.strictObject({ id: CriterionIdSchema, version: z.number().int().positive().optional() }))
      .min(1)
      .max(1000)
      .optional()
      .describe('Pinned criteria; a criterion without a version is pinned at its latest version'),
    items: z
      .array(z.strictObject({ id: SlugSchema, version: z.number().int().positive().optional() }))
      .max(1000)
      .optional()
      .describe('Pinned catalogue items; an item without a version is pinned at its latest version. Left out: every item, at its latest version'),
    offers: z
      .array(z.strictObject({ id: SlugSchema, version: z.number().int().positive().optional() }))
      .max(1000)
      .optional()
      .describe('Pinned offers, likewise. Left out: every offer, at its latest version'),
  })
  .describe('A framework version to publish');
export type FrameworkPublication = z.infer<typeof FrameworkPublicationSchema>;

/**
 * Publishes an immutable framework version. AlreadyExistsError when that version exists (another
 * editor published first); ValidationError for a gap in versions or an unknown criterion.
 */
export async function publishFrameworkVersion(
  id: string,
  body: unknown,
  deps: { criteria: CriteriaRepository; clock: Clock; audit?: AuditLog },
  editor?: Editor,
): Promise<Framework> {
  if (!SlugSchema.safeParse(id).success) throw new NotFoundError('framework', id);
  const parsed = FrameworkPublicationSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  const publication = parsed.data;

  let previous: Framework | undefined;
  if (publication.version > 1) {
    try {
      previous = await deps.criteria.getFramework(id, publication.version - 1);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new ValidationError([{ path: 'version', message: `version ${publication.version - 1} of framework "${id}" is not published` }]);
    }
  }
  const title = publication.title ?? previous?.title;
  const reference = publication.reference ?? previous?.reference;
  const description = publication.description ?? previous?.description;
  const fundingRule = publication.fundingRule ?? previous?.fundingRule;
  // Programmes are carried forward like every other field: a version that dropped them would serve every programme.
  const programmes = publication.programmes ?? previous?.programmes;
  const unknownProgrammes = (publication.programmes ?? []).flatMap((programme, i) =>
    fundingProgramme(programme) ? [] : [{ path: `programmes.${i}`, message: `unknown co-funding programme "${programme}"` }],
  );
  if (unknownProgrammes.length > 0) throw new ValidationError(unknownProgrammes);
  const criteria = publication.criteria ?? previous?.criteria.map((c) => ({ id: c.id }));
  const missing = Object.entries({ title, reference, description, fundingRule, criteria })
    .filter(([, value]) => value === undefined)
    .map(([path]) => ({ path, message: 'required for the first version of a framework' }));
  if (missing.length > 0 || !title || !reference || description === undefined || !fundingRule || !criteria) {
    throw new ValidationError(missing);
  }
  const [itemVersions, offerVersions] = await Promise.all([deps.criteria.items.listAll(), deps.criteria.offers.listAll()]);
  const items = publication.items ?? latestIds(itemVersions);
  const offers = publication.offers ?? latestIds(offerVersions);
  const before = previous && withEntryPins(previous, itemVersions, offerVersions);
  if (before) await refuseIdentical(before, { title, reference, description, fundingRule, programmes, criteria, items, offers }, { criteria: deps.criteria, itemVersions, offerVersions });
  const published = await deps.criteria.publishFramework({
    id,
    version: publication.version,
    title,
    reference,
    description,
    status: 'published',
    publishedAt: publication.publishedAt ?? deps.clock.now().toISOString().slice(0, 10),
    fundingRule,
    ...(programmes === undefined ? {} : { programmes }),
    criteria,
    items,
    offers,
  });
  if (deps.audit && editor) {
    await deps.audit.append({
      target: { kind: 'framework', id, version: published.version },
      actor: editor.actor,
      at: deps.clock.now().toISOString(),
      reason: publication.reason,
      changes: frameworkChanges(before, published),
    });
  }
  return published;
}

/** Every entry id of a listing, unpinned (the store pins each at its latest version). */
function latestIds(versions: ReadonlyArray<{ id: string }>): Array<{ id: string }> {
  return [...new Set(versions.map((v) => v.id))].map((id) => ({ id }));
}

/** Refs pinned at the given version, or at the latest of `versions`; undefined when an id is unknown (the store names it). */
function pinnedAt(refs: ReadonlyArray<{ id: string; version?: number | undefined }>, versions: ReadonlyArray<{ id: string; version: number }>): Array<{ id: string; version: number }> | undefined {
  const latest = new Map(versions.map((v) => [v.id, v.version]));
  const pins = refs.map((ref) => ({ id: ref.id, version: ref.version ?? latest.get(ref.id) }));
  return pins.every((p): p is { id: string; version: number } => p.version !== undefined) ? pins : undefined;
}

type Pins = ReadonlyArray<{ id: string; version?: number | undefined }>;

/**
 * A version identical to the previous one (same fields, every criterion, item and offer pinned at
 * the same version) is refused: it would add a changelog entry that changes nothing. `previous`
 * has its item and offer pins made explicit (withEntryPins). Unknown ids are left to the store,
 * which names them.
 */
async function refuseIdentical(
  previous: Framework,
  next: Pick<Framework, 'title' | 'reference' | 'description' | 'fundingRule' | 'programmes'> & { criteria: Pins; items: Pins; offers: Pins },
  deps: { criteria: CriteriaRepository; itemVersions: ReadonlyArray<{ id: string; version: number }>; offerVersions: ReadonlyArray<{ id: string; version: number }> },
): Promise<void> {
  let pins: Framework['criteria'];
  try {
    pins = await Promise.all(next.criteria.map(async (ref) => ({ id: ref.id, version: ref.version ?? (await deps.criteria.getLatest(ref.id)).version })));
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw error;
  }
  const items = pinnedAt(next.items, deps.itemVersions);
  const offers = pinnedAt(next.offers, deps.offerVersions);
  if (!items || !offers) return;
  const same = frameworkChanges(previous, { ...previous, ...next, criteria: pins, items, offers }).length === 0 && JSON.stringify(previous.programmes) === JSON.stringify(next.programmes);
  if (same) {
    throw new ValidationError([
      {
        path: 'criteria',
        message: `nothing changed since version ${previous.version}: every criterion, item and offer is pinned at the same version and no field differs; write a criterion, item or offer version first`,
      },
    ]);
  }
}

export { CriteriaQuerySchema, listCriteria, type CriteriaQuery } from './list-criteria.ts';
