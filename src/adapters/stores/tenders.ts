import { IDEMPOTENCY_KEY_LIFETIME_SECONDS } from '#src/app/collect-garbage.ts';
import { issuesFromZod, ValidationError } from '#src/core/model/errors.ts';
import { IdempotencyKeySchema, OwnerSchema, TenderIdSchema, TenderRecordSchema, type TenderRecord } from '#src/app/tender-record.ts';

/**
 * DynamoDB items stay under 400 KB; the tender item and the claim each hold the record, request
 * included. Every tender repository refuses larger records, so a fake never accepts what the
 * table would not. Bodies near this size should be refused at the HTTP layer (413) before generation.
 */
export const MAX_RECORD_BYTES = 300_000;

/** A record `put` may store: it fits TenderRecordSchema and MAX_RECORD_BYTES. ValidationError otherwise. */
export function checkTenderRecord(input: TenderRecord): TenderRecord {
  const parsed = TenderRecordSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  const record = parsed.data;
  if (Buffer.byteLength(JSON.stringify(record)) > MAX_RECORD_BYTES) {
    throw new ValidationError([{ path: 'request', message: `the tender record exceeds ${MAX_RECORD_BYTES} bytes` }]);
  }
  return record;
}

/** A record `completeRendering` may store: checkTenderRecord, and a rendering that is over (ready or failed). */
export function checkFinishedRendering(input: TenderRecord): TenderRecord {
  const record = checkTenderRecord(input);
  if (record.rendering === undefined || record.rendering.status === 'pending') throw new Error(`tender ${record.id}: completeRendering takes a finished rendering`);
  return record;
}

/** The record recordDcePieces writes: valid, marked, and with its documents ready. */
export function checkDcePiecesRecord(input: TenderRecord): TenderRecord {
  const record = checkTenderRecord(input);
  if (record.dcePieces !== 'stored' || record.rendering?.status === 'pending' || record.rendering?.status === 'failed') {
    throw new Error(`tender ${record.id}: recordDcePieces takes a ready tender marked dcePieces 'stored'`);
  }
  return record;
}

/** When an idempotency claim expires: epoch seconds, a key lifetime after the tender's creation. */
export function claimExpiry(createdAt: string): number {
  return Math.floor(Date.parse(createdAt) / 1000) + IDEMPOTENCY_KEY_LIFETIME_SECONDS;
}

/** Owners and idempotency keys that no store can hold: looking them up finds nothing without a read. */
export const canHold = {
  owner: (owner: string) => OwnerSchema.safeParse(owner).success,
  claim: (owner: string, key: string) => OwnerSchema.safeParse(owner).success && IdempotencyKeySchema.safeParse(key).success,
  tender: (id: string) => TenderIdSchema.safeParse(id).success,
};
