import * as z from 'zod';

/*
 * The parts of a tender record that the catalogue functions need too (a caller's identity, the
 * document keys): apart from tender-record.ts, whose schema carries the request schemas, so that
 * catalogue-read and criteria-write do not bundle them (issue #19: each function ≤ 700 KiB).
 */

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const TenderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8 to 64 letters, digits, "-" or "_"');

/** The caller's identity (a token subject): printable ASCII without spaces. */
export const OwnerSchema = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces');

/** An Idempotency-Key header value. */
export const IdempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x20-\x7e]+$/, 'expected printable ASCII');

export const StoredDocumentSchema = z.object({
  name: z.string().min(1).max(100),
  mediaType: z.string().min(1).max(100),
  key: z.string().min(1).max(1024),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256Schema,
});
export type StoredDocument = z.infer<typeof StoredDocumentSchema>;

/** Where the documents of a tender live in the document store: one prefix per tender. */
export function tenderDocumentKey(tenderId: string, name: string): string {
  return `${TENDER_DOCUMENTS_PREFIX}${tenderId}/${name}`;
}
export const TENDER_DOCUMENTS_PREFIX = 'tenders/';

