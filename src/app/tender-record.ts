import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { CriterionRefSchema } from '#src/core/model/criterion.ts';
import { AnyTenderRequestSchema } from '#src/core/model/tender-request-v2.ts';
import { IdempotencyKeySchema, OwnerSchema, Sha256Schema, StoredDocumentSchema, TenderIdSchema, tenderDocumentKey } from './tender-ids.ts';

export { IdempotencyKeySchema, OwnerSchema, StoredDocumentSchema, TENDER_DOCUMENTS_PREFIX, TenderIdSchema, tenderDocumentKey, type StoredDocument } from './tender-ids.ts';

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
