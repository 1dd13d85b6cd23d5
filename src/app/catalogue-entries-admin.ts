import * as z from 'zod';
import { ChangeReasonSchema, itemChanges, offerChanges, type FieldChange } from '#src/core/audit/audit-entry.ts';
import { CatalogueItemSchema, OfferSchema, SlugSchema, type CatalogueEntryKind, type CatalogueItem, type Offer } from '#src/core/model/catalogue.ts';
import { issuesFromZod, NotFoundError, ValidationError, type Issue } from '#src/core/model/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CatalogueEntryVersions, CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { Editor } from './criteria-admin.ts';

/**
 * Editors' writes of catalogue items and offers: each write is the entry's next version (a
 * replacement, not a patch), behind the optimistic lock of criterion writes, with an audit entry
 * (author, date, reason, field diff). A version changes nothing a published framework pins: the
 * next framework version pins it (POST /frameworks/{id}/versions).
 */

/** The id comes from the address and the version from the store; both may be repeated in the body, and must then agree. */
const WRITE_FIELDS = { id: SlugSchema.optional(), version: z.number().int().positive().optional() };
const reason = (what: string) => ChangeReasonSchema.describe(`Why the ${what} changes, required; recorded in the audit trail (GET /audit), not in the ${what}`);

export const ItemWriteSchema = CatalogueItemSchema.extend({ ...WRITE_FIELDS, reason: reason('item') }).describe('A catalogue item version to write; the store assigns the version');
export const OfferWriteSchema = OfferSchema.extend({ ...WRITE_FIELDS, reason: reason('offer') }).describe('An offer version to write; the store assigns the version');

type Deps = { criteria: CriteriaRepository; audit?: AuditLog; clock?: Clock };

/**
 * Writes the next version of a catalogue item, on condition that `expectedVersion` (0 to create
 * it) is still the latest: VersionConflictError otherwise. Every criterion it names must exist.
 */
export function updateItem(id: string, body: unknown, expectedVersion: number, deps: Deps, editor?: Editor): Promise<CatalogueItem & { version: number }> {
  return writeEntry(
    { kind: 'item', schema: ItemWriteSchema, store: deps.criteria.items, diff: itemChanges, check: (item) => unknownCriteria(item, deps.criteria) },
    id,
    body,
    expectedVersion,
    deps,
    editor,
  );
}

/**
 * Writes the next version of an offer, likewise. Every item of its composition must exist, once.
 */
export function updateOffer(id: string, body: unknown, expectedVersion: number, deps: Deps, editor?: Editor): Promise<Offer & { version: number }> {
  return writeEntry(
    { kind: 'offer', schema: OfferWriteSchema, store: deps.criteria.offers, diff: offerChanges, check: (offer) => unknownItems(offer, deps.criteria) },
    id,
    body,
    expectedVersion,
    deps,
    editor,
  );
}

interface EntryKind<T extends { id: string }> {
  kind: CatalogueEntryKind;
  schema: z.ZodType<Omit<T, 'id'> & { id?: string | undefined; version?: number | undefined; reason: string }>;
  store: CatalogueEntryVersions<T>;
  diff: (before: T | undefined, after: T) => FieldChange[];
  /** Issues of references the draft makes to other records. */
  check: (draft: T) => Promise<Issue[]>;
}

async function writeEntry<T extends { id: string }>(
  entry: EntryKind<T>,
  id: string,
  body: unknown,
  expectedVersion: number,
  deps: Deps,
  editor?: Editor,
): Promise<T & { version: number }> {
  if (!SlugSchema.safeParse(id).success) throw new NotFoundError(entry.kind, id);
  const parsed = entry.schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  const { reason, ...fields } = parsed.data;
  if (fields.id !== undefined && fields.id !== id) {
    throw new ValidationError([{ path: 'id', message: `the body names ${entry.kind} "${fields.id}", the address "${id}"` }]);
  }
  const draft = { ...fields, id } as unknown as T & { version?: number };
  const issues = await entry.check(draft);
  if (issues.length > 0) throw new ValidationError(issues);
  const before = deps.audit && expectedVersion > 0 ? (await entry.store.listVersions(id)).find((v) => v.version === expectedVersion) : undefined;
  const written = await entry.store.putNewVersion(draft, expectedVersion);
  // The version is the commit point; its entry follows (as for criteria).
  if (deps.audit && deps.clock && editor) {
    await deps.audit.append({
      target: { kind: entry.kind, id, version: written.version },
      actor: editor.actor,
      at: deps.clock.now().toISOString(),
      reason,
      changes: entry.diff(before, written),
    });
  }
  return written;
}

/** The criteria an item names that do not exist, or that it names twice. */
async function unknownCriteria(item: CatalogueItem, criteria: CriteriaRepository): Promise<Issue[]> {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  item.criteria.forEach((criterionId, i) => {
    if (seen.has(criterionId)) issues.push({ path: `criteria.${i}`, message: `criterion "${criterionId}" is listed twice` });
    seen.add(criterionId);
  });
  // Versions are contiguous from 1: a criterion exists when its version 1 does.
  const missing = await Promise.all(
    [...seen].map(async (criterionId) =>
      criteria.getVersion(criterionId, 1).then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof NotFoundError) return criterionId;
          throw error;
        },
      ),
    ),
  );
  item.criteria.forEach((criterionId, i) => {
    if (missing.includes(criterionId)) issues.push({ path: `criteria.${i}`, message: `unknown criterion "${criterionId}"` });
  });
  return issues;
}

/** The items of an offer's composition that do not exist, or that it lists twice. */
async function unknownItems(offer: Offer, criteria: CriteriaRepository): Promise<Issue[]> {
  const known = new Set((await criteria.items.listLatest()).map((i) => i.id));
  const seen = new Set<string>();
  const issues: Issue[] = [];
  offer.items.forEach((line, i) => {
    if (!known.has(line.itemId)) issues.push({ path: `items.${i}.itemId`, message: `unknown item "${line.itemId}"` });
    else if (seen.has(line.itemId)) issues.push({ path: `items.${i}.itemId`, message: `item "${line.itemId}" is listed twice` });
    seen.add(line.itemId);
  });
  return issues;
}
