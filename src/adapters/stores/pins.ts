import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import type { StoredDraft } from '#src/core/model/draft.ts';
import type { FrameworkPin } from '#src/app/ports/tender-repository.ts';

/**
 * The framework version a stored tender or draft pins, as the stores index it (GSI3 of the table,
 * a filter in the fakes). A tender's is its record's `framework`: the version its request
 * was resolved against, whatever the request's schema version. A draft's is its request's
 * `framework` when that names a version; an incomplete draft that names none pins nothing yet.
 */
const PinSchema = z.object({ id: SlugSchema, version: z.number().int().positive() });

export function draftPin(draft: Pick<StoredDraft, 'request'>): FrameworkPin | undefined {
  const parsed = PinSchema.safeParse(draft.request.framework);
  return parsed.success ? { id: parsed.data.id, version: parsed.data.version } : undefined;
}

export const samePin = (a: FrameworkPin | undefined, b: FrameworkPin) => a !== undefined && a.id === b.id && a.version === b.version;

/** Most tenders one answer lists (the answer says `truncated` beyond). */
export const PINNED_TENDERS_MAX = 100;

/** A listing's limit, checked alike by every store. */
export function pinLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > PINNED_TENDERS_MAX) throw new RangeError(`limit out of range: ${limit}`);
  return limit;
}
