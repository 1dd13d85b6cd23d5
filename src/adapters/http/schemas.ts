import * as z from 'zod';
import { CatalogueItemVersionSchema, FrameworkSchema, OfferVersionSchema } from '#src/core/model/catalogue.ts';
import { CriterionRefSchema, CriterionSchema } from '#src/core/model/criterion.ts';
import { FindingSchema } from '#src/core/model/findings.ts';
import { ConformitySchema, FundingEstimateSchema, GenerationReportSchema, RulesVersionSchema } from '#src/core/model/report.ts';
import { AnyTenderRequestSchema } from '#src/core/model/tender-request-v2.ts';
import { conformitySummary } from '#src/core/rules/conformity.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { EstimatedValue } from '#src/core/rules/estimated-value.ts';
import type { DcePieceLink } from '#src/app/dce-pieces.ts';
import type { DocumentLink, RegeneratedTender, TenderOutcome, TenderRecheck } from '#src/app/generate-tender.ts';
import { DOCUMENT_STATUSES, documentStatuses, RenderingFailureCauseSchema, StoredDocumentSchema, type TenderRecord, type TenderSummary } from '#src/app/tender-record.ts';
import { audienceOfFile, DEFAULT_FORMATS, FORMATS, OUTPUTS } from '#src/adapters/render/formats.ts';

/**
 * Response bodies of the API. The zod schemas document them in the OpenAPI document; the view
 * functions build them from use-case results, typed by the same schemas.
 */

export const HealthSchema = z.object({ status: z.literal('ok'), service: z.literal('cahier') });

export const FrameworkListSchema = z.object({ items: z.array(FrameworkSchema) });
export const CriterionPageSchema = z.object({
  items: z.array(CriterionSchema),
  cursor: z.string().optional().describe('Pass it back as `cursor` for the next page; absent on the last page'),
});
export const CriterionVersionsSchema = z.object({ items: z.array(CriterionSchema).describe('Oldest first') });
export const ItemVersionsSchema = z.object({ items: z.array(CatalogueItemVersionSchema).describe('Oldest first') });
export const OfferVersionsSchema = z.object({ items: z.array(OfferVersionSchema).describe('Oldest first') });
export const OfferListSchema = z.object({ items: z.array(OfferVersionSchema) }).describe('The latest version of every offer');

const DocumentStatusSchema = z
  .enum(DOCUMENT_STATUSES)
  .describe('`ready`: stored, downloadable; `pending`: rendered apart (Office formats) and not stored yet, GET the tender again; `failed`: that rendering failed, nothing of it was stored');
const DocumentViewSchema = StoredDocumentSchema.omit({ key: true })
  .partial({ bytes: true, sha256: true })
  .extend({
    status: DocumentStatusSchema,
    href: z.string().describe('API path that redirects to a fresh download URL (409 while the document is not ready)'),
    audience: z
      .enum(['bidder', 'buyer'])
      .describe('`bidder`: part of the consultation file, to publish; `buyer`: internal to the buyer (note interne, report.json), never to publish'),
  })
  .describe('A document of the tender; bytes and sha256 once it is ready');
const DocumentLinkViewSchema = DocumentViewSchema.extend({
  url: z.url().optional().describe('Presigned download URL, for a ready document only'),
  expiresAt: z.iso.datetime().optional().describe('The URL stops working then (at most 15 minutes)'),
});

/** Where a rendering done apart stands (absent when the documents were rendered with the request). */
const RenderingViewSchema = z
  .object({
    status: DocumentStatusSchema,
    statusHref: z.string().describe('GET it (the tender) until status is ready or failed'),
    finishedAt: z.iso.datetime().optional(),
    reason: z.string().optional().describe('Why the rendering failed, in English'),
    cause: RenderingFailureCauseSchema.optional().describe(
      'What kind of failure: invalid (the stored request no longer renders), error (a renderer or the store failed), not-queued (the job could not be queued), stalled (no job finished it in time). Absent on failures recorded before it existed',
    ),
  })
  .describe(
    'Present when the documents are rendered apart from the request: a generation with a Word or Excel file (docx, xlsx, ccap, ae, dpa, dce) is rendered by the documents function after the response, every file of it at once (the open data every PDF embeds lists the Office files’ hashes). The response then lists the files as pending, without links.',
  );

export const DocumentLinkSchema = z
  .object({
    name: z.string(),
    url: z.url().describe('Presigned download URL: no Authorization header, no CORS needed to follow it as a plain link'),
    expiresAt: z.iso.datetime().describe('The URL stops working then (at most 15 minutes)'),
  })
  .describe('A fresh short-lived download link to one document (GET .../documents/{name} with Accept: application/json)');

export const DcePiecesSchema = z
  .object({
    files: z.array(
      z.object({
        name: z.string().describe('File name in the zip, as buyers name them (01_RC.pdf)'),
        title: z.string().describe('What the piece is, in French'),
        role: z.enum(['contractual', 'informative']).describe('Contractual pieces bind the holder once signed; informative ones explain the consultation'),
        mediaType: z.string(),
        size: z.number().int().nonnegative().describe('Bytes'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        url: z.url().describe('Presigned URL of the piece alone: a PDF opens in the browser, any other file downloads'),
        expiresAt: z.iso.datetime().describe('The URL stops working then (at most 15 minutes)'),
      }),
    ),
  })
  .describe('The consultation file’s manifest (its « bordereau des pièces »), in the zip’s order, each piece with a fresh link');

const TenderBaseSchema = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  framework: z.object({ id: z.string(), version: z.number().int() }),
  contentHash: z.string().optional().describe('SHA-256 over the documents (report.json contentHash); absent until the documents are ready'),
  rendering: RenderingViewSchema.optional(),
});

export const TenderCreatedSchema = TenderBaseSchema.extend({
  report: GenerationReportSchema.optional().describe('The generation report; absent while the rendering is pending (it becomes report.json)'),
  documents: z.array(DocumentLinkViewSchema),
}).describe('A generated tender with short-lived download links');

export const TenderViewSchema = TenderBaseSchema.extend({
  owner: z.string(),
  idempotencyKey: z.string().optional(),
  request: AnyTenderRequestSchema,
  criteria: z.array(CriterionRefSchema).describe('Criterion versions the documents were built from'),
  formats: z.array(z.string()).describe('The formats generated (regenerate rebuilds the same set)'),
  documents: z.array(DocumentViewSchema),
  recheck: z
    .object({
      rules: RulesVersionSchema.describe('The law and funding records of today’s evaluation'),
      storedRules: RulesVersionSchema.optional().describe('Those the stored report names; absent for reports made before they did'),
      changed: z.boolean().describe('Today’s findings differ from the stored ones (code, severity, lot, path, criterion or values compared)'),
      added: z.array(FindingSchema).describe('Raised today, not stored'),
      removed: z.array(FindingSchema).describe('Stored, no longer raised today'),
      blocking: z.boolean().describe('Today an error finding would stop generation'),
    })
    .optional()
    .describe('The stored request re-checked under the rules in force today; the documents are not changed. Absent when its framework version is no longer in the catalogue'),
}).describe('A tender record');

/** Per row of a listing: the re-check in numbers (GET /tenders/{id} lists the findings themselves). */
const RecheckSummarySchema = z
  .object({
    changed: z.boolean().describe('Today’s findings differ from the stored ones'),
    blocking: z.boolean().describe('Today an error finding would stop generation'),
    added: z.number().int().nonnegative().describe('Findings raised today, not stored'),
    removed: z.number().int().nonnegative().describe('Stored findings no longer raised today'),
  })
  .describe('The stored request re-checked under the rules in force today; absent when its framework version is no longer in the catalogue');

export const TenderListSchema = z.object({
  items: z.array(TenderBaseSchema.extend({ title: z.string(), href: z.string(), recheck: RecheckSummarySchema.optional() })),
  cursor: z.string().optional(),
});

/** The buyer's estimate as the procedure rules count it (R2121-1): for the buyer's screens only, never printed for bidders. */
export const EstimateSchema = z
  .object({
    total: z.number().describe('Euros excl. VAT, every lot, option, optional tranche and renewal included; a lower bound when complete is false'),
    totalTtc: z.number().describe('total incl. VAT, at each line’s rate'),
    complete: z.boolean().describe('False when a line has no estimated price or an option no amount'),
    basis: z.enum(['framework-maximum', 'lots']).describe('framework-maximum: the framework agreement’s maximum is the value'),
    renewals: z.number().int(),
    lots: z.array(
      z.object({
        lot: z.number().int().describe('1-based lot number'),
        firm: z.number().describe('One period, excl. VAT: the firm tranche’s lines (every line without tranches)'),
        tranches: z.number().describe('One period, excl. VAT: the optional tranches’ lines'),
        options: z.number().describe('One period, excl. VAT: the lot’s priced options'),
        perPeriod: z.number().describe('firm + tranches + options'),
        renewalFactor: z.number().describe('1 + each renewal as a share of the initial duration'),
        value: z.number().describe('Excl. VAT: perPeriod × renewalFactor, or the lot’s maximum'),
        valueTtc: z.number(),
        basis: z.enum(['lines', 'lot-maximum']),
        complete: z.boolean(),
      }),
    ),
  })
  .describe('Estimated value of the need, per lot and in total, excl. and incl. VAT');

export const ValidationResultSchema = z
  .object({
    blocking: z.boolean().describe('True when an error finding would stop generation'),
    findings: z.array(FindingSchema),
    conformity: ConformitySchema,
    funding: FundingEstimateSchema,
    rules: RulesVersionSchema,
    estimate: EstimateSchema,
  })
  .describe('Outcome of the rules on a request; nothing is stored');

export const RegenerationSchema = z.object({
  id: z.string(),
  identical: z.boolean().describe('Every stored document is intact (its bytes hash as recorded) and byte-identical to a fresh render'),
  documents: z.array(
    z.object({
      name: z.string(),
      recordedSha256: z.string().describe('SHA-256 in the tender record'),
      storedSha256: z.string().describe('SHA-256 of the bytes read back from storage; empty when the object is missing'),
      regeneratedSha256: z.string().describe('SHA-256 of a fresh render from the record'),
      status: z
        .enum(['identical', 'stored-altered', 'missing', 'not-reproducible'])
        .describe('stored-altered: the stored bytes changed since generation (tampering or bit rot); missing: no stored object; not-reproducible: stored bytes intact but a fresh render differs'),
      identical: z.boolean(),
    }),
  ),
});

export const PageQuerySchema = z.object({
  cursor: z.string().min(1).max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/**
 * `POST /tenders?formats=pdf,docx`: a query parameter rather than a body field, so that the body
 * stays a TenderRequest, the same file the CLI reads. Split here; each name is checked by
 * generateTender (422 on `formats` for an unknown one).
 */
export const TenderFormatsQuerySchema = z.object({
  formats: z
    .string()
    .max(200)
    .optional()
    .describe(
      `Comma-separated formats to generate, default \`${DEFAULT_FORMATS.join(',')}\`: ${FORMATS.map(
        (f) => `${f.name} (${OUTPUTS.filter((o) => o.format === f.name).map((o) => o.fileName).join(', ')})`,
      ).join(', ')}. Order and repeats are ignored; part of the Idempotency-Key identity`,
    ),
});

/** The names of `?formats=`, split on commas (empty names kept, so that `pdf,` is refused). */
export function splitFormats(formats: string | undefined): string[] | undefined {
  return formats === undefined ? undefined : formats.split(',').map((f) => f.trim());
}

export { VersionQuerySchema } from './query-schemas.ts';

export function documentHref(tenderId: string, name: string): string {
  return `/tenders/${encodeURIComponent(tenderId)}/documents/${encodeURIComponent(name)}`;
}

function documentView(tenderId: string, d: Omit<DocumentLink, 'url' | 'expiresAt'>) {
  return { name: d.name, mediaType: d.mediaType, bytes: d.bytes, sha256: d.sha256, status: 'ready' as const, href: documentHref(tenderId, d.name), audience: audienceOfFile(d.name) };
}

/** Every file of a tender, ready or not, in the record's order. */
function documentViews(record: TenderRecord) {
  return documentStatuses(record).map((f) =>
    f.document ? documentView(record.id, f.document) : { name: f.name, mediaType: f.mediaType, status: f.status, href: documentHref(record.id, f.name), audience: audienceOfFile(f.name) },
  );
}

function renderingView(record: Pick<TenderRecord, 'id' | 'rendering'>) {
  const r = record.rendering;
  if (!r) return {};
  return {
    rendering: {
      status: r.status,
      statusHref: `/tenders/${encodeURIComponent(record.id)}`,
      ...(r.finishedAt !== undefined ? { finishedAt: r.finishedAt } : {}),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
    },
  };
}

const contentHashOf = (record: Pick<TenderRecord, 'contentHash'>) => (record.contentHash !== undefined ? { contentHash: record.contentHash } : {});

export function dcePiecesView(pieces: readonly DcePieceLink[]): z.infer<typeof DcePiecesSchema> {
  return { files: pieces.map((p) => ({ name: p.name, title: p.title, role: p.role, mediaType: p.mediaType, size: p.size, sha256: p.sha256, url: p.url, expiresAt: p.expiresAt })) };
}

export function documentLinkView(link: DocumentLink): z.infer<typeof DocumentLinkSchema> {
  return { name: link.name, url: link.url, expiresAt: link.expiresAt };
}

export function tenderCreatedView(outcome: TenderOutcome): z.infer<typeof TenderCreatedSchema> {
  const { record } = outcome;
  return {
    id: record.id,
    createdAt: record.createdAt,
    framework: record.framework,
    ...contentHashOf(record),
    ...renderingView(record),
    ...(outcome.report ? { report: outcome.report } : {}),
    documents: record.rendering && record.rendering.status !== 'ready'
      ? documentViews(record)
      : outcome.links.map((l) => ({ ...documentView(record.id, l), url: l.url, expiresAt: l.expiresAt })),
  };
}

export function tenderView(record: TenderRecord, recheck?: TenderRecheck): z.infer<typeof TenderViewSchema> {
  return {
    id: record.id,
    owner: record.owner,
    createdAt: record.createdAt,
    ...(record.idempotencyKey !== undefined ? { idempotencyKey: record.idempotencyKey } : {}),
    framework: record.framework,
    ...contentHashOf(record),
    ...renderingView(record),
    request: record.request,
    criteria: record.criteria,
    formats: record.formats ?? ['pdf'],
    documents: documentViews(record),
    ...(recheck ? { recheck } : {}),
  };
}

export function tenderSummaryView(record: TenderSummary, recheck?: TenderRecheck): z.infer<typeof TenderListSchema>['items'][number] {
  return {
    id: record.id,
    createdAt: record.createdAt,
    title: record.request.title,
    framework: record.framework,
    ...contentHashOf(record),
    ...renderingView(record),
    href: `/tenders/${encodeURIComponent(record.id)}`,
    ...(recheck ? { recheck: { changed: recheck.changed, blocking: recheck.blocking, added: recheck.added.length, removed: recheck.removed.length } } : {}),
  };
}

export function validationView(rules: RulesOutcome, estimate: EstimatedValue): z.infer<typeof ValidationResultSchema> {
  const { total, totalTtc, complete, basis, renewals } = estimate;
  return {
    blocking: rules.blocking,
    findings: rules.findings,
    conformity: conformitySummary(rules.conformity),
    funding: rules.funding,
    rules: rules.versions,
    estimate: {
      total,
      totalTtc,
      complete,
      basis,
      renewals,
      lots: estimate.lots.map((l) => ({
        lot: l.lot,
        firm: l.firm,
        tranches: l.tranches,
        options: l.options,
        perPeriod: l.perPeriod,
        renewalFactor: l.renewalFactor,
        value: l.value,
        valueTtc: l.valueTtc,
        basis: l.basis,
        complete: l.complete,
      })),
    },
  };
}

export function regenerationView(result: RegeneratedTender): z.infer<typeof RegenerationSchema> {
  return { id: result.record.id, identical: result.identical, documents: result.comparison };
}
