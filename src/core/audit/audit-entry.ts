import * as z from 'zod';
import type { CatalogueItem, Framework, Offer } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { formatThreshold } from '#src/core/model/metric.ts';

/**
 * The audit trail: one entry per criterion, item and offer version written and per framework
 * version published (the ministry's edits), and one per bid withdrawn (a buyer's act on a tender, target id
 * `<tender id>/<bid id>`, version 1), saying who, when, why, and what changed field by field.
 * Entries are appended, never rewritten: the store refuses a second entry for the same version.
 * Bid entries are the owning buyer's: they never appear in the editors' trail (GET /audit).
 */

/** The kinds of the editors' trail, the only ones GET /audit lists. */
export const EDITOR_AUDIT_KINDS = ['criterion', 'framework', 'item', 'offer'] as const;

export const AuditTargetSchema = z.strictObject({
  kind: z.enum([...EDITOR_AUDIT_KINDS, 'bid']),
  id: z.string().min(1).max(120),
  version: z.number().int().positive(),
});
export type AuditTarget = z.infer<typeof AuditTargetSchema>;

export const FieldChangeSchema = z.strictObject({
  field: z.string().min(1).max(80),
  before: z.string().max(4000).optional(),
  after: z.string().max(4000).optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

/** Why an edit was made: the editor writes it; required for every change. */
export const ChangeReasonSchema = z.string({ error: 'state why, in a few words: the reason is kept in the audit trail (GET /audit)' }).trim().min(3, 'say why, in a few words').max(1000);

export const AuditEntrySchema = z.strictObject({
  target: AuditTargetSchema,
  /** The editor's identity (token subject). */
  actor: z.string().min(1).max(200),
  at: z.iso.datetime(),
  reason: ChangeReasonSchema,
  changes: z.array(FieldChangeSchema).max(200),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const text = (value: unknown): string | undefined => (value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value));

function fieldChanges(pairs: Array<[string, unknown, unknown]>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, before, after] of pairs) {
    const b = text(before);
    const a = text(after);
    if (b === a) continue;
    const change: FieldChange = { field };
    if (b !== undefined) change.before = b.slice(0, 4000);
    if (a !== undefined) change.after = a.slice(0, 4000);
    changes.push(change);
  }
  return changes;
}

/** What a criterion version changes from the previous one (every field, for a creation); the threshold as printed. */
export function criterionChanges(before: Criterion | undefined, after: Criterion): FieldChange[] {
  return fieldChanges([
    ['label', before?.label, after.label],
    ['requirement', before?.requirement, after.requirement],
    ['threshold', before && formatThreshold(before.metric), formatThreshold(after.metric)],
    ['metric', before?.metric, after.metric],
    ['level', before?.level, after.level],
    ['proof', before?.proof.join(', '), after.proof.join(', ')],
    ['authority', before?.authority, after.authority],
    ['kind', before?.kind, after.kind],
    ['category', before?.category, after.category],
    ['cpv', before?.cpv, after.cpv],
    ['note', before?.note, after.note],
    ['lotScale', before?.lotScale, after.lotScale],
  ]);
}

/** One field change per pinned id whose version differs, as `<field>.<id>`: `v1` → `v2`. */
function pinChanges(field: string, before: ReadonlyArray<{ id: string; version: number }>, after: ReadonlyArray<{ id: string; version: number }>): Array<[string, unknown, unknown]> {
  const b = new Map(before.map((c) => [c.id, c.version]));
  const a = new Map(after.map((c) => [c.id, c.version]));
  return [...new Set([...a.keys(), ...b.keys()])].map((id) => [`${field}.${id}`, b.has(id) ? `v${b.get(id)}` : undefined, a.has(id) ? `v${a.get(id)}` : undefined]);
}

/**
 * What a framework version changes from the previous one: pinned criterion, item and offer
 * versions, and its other fields. Items and offers are compared as the frameworks resolve them:
 * the caller fills in the pins of a framework that has none (version 1 of each, entryPins).
 */
export function frameworkChanges(before: Framework | undefined, after: Framework): FieldChange[] {
  return fieldChanges([
    ['title', before?.title, after.title],
    ['reference', before?.reference, after.reference],
    ['description', before?.description, after.description],
    ['fundingRule', before?.fundingRule, after.fundingRule],
    ...pinChanges('criteria', before?.criteria ?? [], after.criteria),
    ...pinChanges('items', before?.items ?? [], after.items ?? []),
    ...pinChanges('offers', before?.offers ?? [], after.offers ?? []),
  ]);
}

/** What an item version changes from the previous one (every field, for a creation). */
export function itemChanges(before: CatalogueItem | undefined, after: CatalogueItem): FieldChange[] {
  return fieldChanges([
    ['label', before?.label, after.label],
    ['description', before?.description, after.description],
    ['category', before?.category, after.category],
    ['nature', before?.nature, after.nature],
    ['unit', before?.unit, after.unit],
    ['cpv', before?.cpv, after.cpv],
    ['audience', before?.audience, after.audience],
    ['criteria', before?.criteria.join(', '), after.criteria.join(', ')],
  ]);
}

/** An offer's composition as one line: `tablet × 16, charging-cart × 1`. */
export function compositionText(offer: Pick<Offer, 'items'>): string {
  return offer.items.map((line) => `${line.itemId} × ${line.quantity}`).join(', ');
}

/** What an offer version changes from the previous one (every field, for a creation). */
export function offerChanges(before: Offer | undefined, after: Offer): FieldChange[] {
  return fieldChanges([
    ['label', before?.label, after.label],
    ['description', before?.description, after.description],
    ['items', before && compositionText(before), compositionText(after)],
  ]);
}

/** A bid's identity and files as the withdrawal entry keeps them (each file by name and SHA-256). */
export interface WithdrawnBid {
  bidder: { id: string; name: string; siret: string };
  receivedAt: string;
  files: ReadonlyArray<{ role: string; name: string; sha256: string }>;
}

/** What withdrawing a bid changes: its status, and what the analysis no longer reads (the files stay stored). */
export function bidWithdrawalChanges(bid: WithdrawnBid): FieldChange[] {
  return [
    { field: 'status', before: 'received', after: 'withdrawn' },
    { field: 'bidder.id', before: bid.bidder.id },
    { field: 'bidder.name', before: bid.bidder.name },
    { field: 'bidder.siret', before: bid.bidder.siret },
    { field: 'receivedAt', before: bid.receivedAt },
    ...bid.files.map((f) => ({ field: `files.${f.role}`, before: `${f.name} sha256:${f.sha256}` })),
  ];
}
