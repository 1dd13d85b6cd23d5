import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { CriterionRefSchema } from '#src/core/model/criterion.ts';
import { AnyTenderRequestSchema } from '#src/core/model/tender-request-v2.ts';
import { IdempotencyKeySchema, OwnerSchema, Sha256Schema, StoredDocumentSchema, TenderIdSchema, tenderDocumentKey, type StoredDocument } from './tender-ids.ts';

export { IdempotencyKeySchema, OwnerSchema, StoredDocumentSchema, TENDER_DOCUMENTS_PREFIX, TenderIdSchema, tenderDocumentKey, type StoredDocument } from './tender-ids.ts';

export const RENDERING_FAILURE_CAUSES = ['invalid', 'error', 'not-queued', 'stalled'] as const;
export const RenderingFailureCauseSchema = z.enum(RENDERING_FAILURE_CAUSES);
export type RenderingFailureCause = z.infer<typeof RenderingFailureCauseSchema>;

/**
 * A rendering done apart from the request that created the tender (issue #19): a generation with
 * an Office format (Word, Excel, or the DCE zip that holds them) is rendered by the documents
 * function, which needs the Office writers the tenders function does not bundle. `files` are the
 * files it writes (report.json included), known from the formats before rendering.
 */
export const RenderingSchema = z.object({
  status: z.enum(['pending', 'ready', 'failed']),
  files: z.array(z.object({ name: z.string().min(1).max(100), mediaType: z.string().min(1).max(100) })).min(1),
  /** When the rendering finished (ready or failed). */
  finishedAt: z.iso.datetime().optional(),
  /** Why it failed, in English like every API error (no stack, no internal detail). */
  reason: z.string().max(500).optional(),
  /**
   * What kind of failure, for the web app to explain in French: `invalid` the stored request no
   * longer renders (the rules refuse it), `error` a renderer or the store failed, `not-queued` the
   * job could not be queued, `stalled` no job finished it in time. Absent on failures recorded
   * before it existed.
   */
  cause: RenderingFailureCauseSchema.optional(),
});
export type Rendering = z.infer<typeof RenderingSchema>;

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
    documents: z.array(StoredDocumentSchema).describe('Every stored object, the report included; empty while a deferred rendering is pending or after it failed'),
    contentHash: Sha256Schema.optional().describe('The generation report contentHash; absent until a deferred rendering is ready'),
    dcePieces: z
      .literal('stored')
      .optional()
      .describe('Set once each piece of the DCE zip is stored apart beside it (dce/<name>, under the tender prefix): by the documents job that rendered the zip, or by the first reading of the DCE of a tender rendered before'),
    rendering: RenderingSchema.optional().describe('Set when the documents were rendered apart (the Office formats, by the documents function); absent when they were rendered with the request'),
  })
  .refine((r) => r.documents.every((d) => d.key.startsWith(tenderDocumentKey(r.id, ''))), {
    message: 'document keys live under the tender prefix',
    path: ['documents'],
  })
  .refine((r) => (r.rendering === undefined || r.rendering.status === 'ready' ? r.documents.length > 0 && r.contentHash !== undefined : r.documents.length === 0 && r.contentHash === undefined), {
    message: 'a tender has its documents and contentHash exactly when its rendering is ready (or was not deferred)',
    path: ['documents'],
  });
export type TenderRecord = z.infer<typeof TenderRecordSchema>;

/**
 * What a listing reads of a tender (GET /tenders): the record without its request, save the
 * request's title and framework, and without its criteria and formats. Enough for a row, and for
 * the key of the row's memoised re-check; the record itself is read only when that re-check runs.
 */
export const TenderSummarySchema = z.object({
  id: TenderIdSchema,
  owner: OwnerSchema,
  createdAt: z.iso.datetime(),
  requestHash: Sha256Schema,
  request: z.object({ title: z.string(), framework: z.object({ id: SlugSchema, version: z.number().int().positive() }) }),
  framework: z.object({ id: SlugSchema, version: z.number().int().positive() }),
  documents: z.array(StoredDocumentSchema),
  contentHash: Sha256Schema.optional(),
  rendering: RenderingSchema.optional(),
});
export type TenderSummary = z.infer<typeof TenderSummarySchema>;

/** A record's summary, as a listing reads it. */
export function tenderSummary(record: TenderRecord): TenderSummary {
  const { id, owner, createdAt, requestHash, request, framework, documents, contentHash, rendering } = record;
  return {
    id,
    owner,
    createdAt,
    requestHash,
    request: { title: request.title, framework: { id: request.framework.id, version: request.framework.version } },
    framework,
    documents,
    ...(contentHash !== undefined ? { contentHash } : {}),
    ...(rendering !== undefined ? { rendering } : {}),
  };
}

/** Where the documents of a tender stand: each file is ready, pending or failed. */
export type DocumentStatus = 'pending' | 'ready' | 'failed';
export const DOCUMENT_STATUSES = ['pending', 'ready', 'failed'] as const satisfies readonly DocumentStatus[];

/**
 * Every file a tender has or will have, with its status: the stored documents (ready), or while
 * a deferred rendering runs or after it failed, the files it renders (all pending or all failed:
 * a rendering writes all its files or none of them).
 */
export function documentStatuses(record: TenderRecord): Array<{ name: string; mediaType: string; status: DocumentStatus; document?: StoredDocument }> {
  if (record.rendering === undefined || record.rendering.status === 'ready') return record.documents.map((d) => ({ name: d.name, mediaType: d.mediaType, status: 'ready', document: d }));
  const status = record.rendering.status;
  return record.rendering.files.map((f) => ({ name: f.name, mediaType: f.mediaType, status }));
}
