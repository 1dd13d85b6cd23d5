import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { CriterionRefSchema } from '#src/core/model/criterion.ts';
import { AnyTenderRequestSchema } from '#src/core/model/tender-request-v2.ts';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

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

/**
 * What a generated tender leaves behind: enough to regenerate it byte for byte (the request and
 * the framework and criterion versions it was resolved against) and to audit it (documents,
 * their hashes, owner, date).
 */
export const TenderRecordSchema = z
  .object({
    id: TenderIdSchema,
    owner: OwnerSchema,
    createdAt: z.iso.datetime(),
    idempotencyKey: IdempotencyKeySchema.optional(),
    requestHash: Sha256Schema.describe('SHA-256 of the request as received, with the formats unless pdf only (identityHash); tells a retry from a reused key'),
    request: AnyTenderRequestSchema,
    framework: z.object({ id: SlugSchema, version: z.number().int().positive() }),
    criteria: z.array(CriterionRefSchema),
    formats: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/).max(30))
      .min(1)
      .optional()
      .describe('The formats asked for (names of the output registry), in canonical order; absent on records made before formats could be chosen (pdf only)'),
    documents: z.array(StoredDocumentSchema).min(1).describe('Every stored object, the report included'),
    contentHash: Sha256Schema.describe('The generation report contentHash'),
  })
  .refine((r) => r.documents.every((d) => d.key.startsWith(tenderDocumentKey(r.id, ''))), {
    message: 'document keys live under the tender prefix',
    path: ['documents'],
  });
export type TenderRecord = z.infer<typeof TenderRecordSchema>;
