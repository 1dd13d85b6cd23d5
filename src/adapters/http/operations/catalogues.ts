import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { DraftChangesSchema, type CatalogueImpact } from '#src/core/products/impact.ts';
import { LevelSchema } from '#src/core/model/criterion.ts';
import { StoredCatalogueCountsSchema } from '#src/core/model/stored-catalogue.ts';
import { reportCsv } from '#src/core/products/report-table.ts';
import { PRODUCT_FILE_LIMITS } from '#src/core/products/read-table.ts';
import { BidFileError } from '#src/core/offers/errors.ts';
import { checkCatalogue, previewImpact, type ProductFile } from '#src/app/check-catalogue.ts';
import { PINNED_TENDERS_LISTED, pinnedWork, type PinnedWork } from '#src/app/pinned-work.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import type { DraftRepository } from '#src/app/ports/draft-repository.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { checkBodyBounds, jsonBody, MAX_BODY_BYTES, parseQuery, validate, type ApiRequest } from '#src/adapters/http/request.ts';
import { readProductWorkbook, XLSX_MEDIA_TYPE } from '#src/adapters/files/product-workbook.ts';
import { httpErrors } from '#src/adapters/http/errors.ts';

export interface CatalogueDeps {
  criteria: CriteriaRepository;
  catalogue: CatalogueReader;
  clock: Clock;
  /** For the impact: the stored tenders and drafts that pin the version a change replaces. */
  tenders: TenderRepository;
  drafts: DraftRepository;
}

export const CatalogueCheckQuerySchema = z.strictObject({
  framework: SlugSchema,
  version: z.coerce.number().int().positive().optional().describe('The framework version; the latest when absent'),
  format: z.enum(['json', 'csv']).optional().describe('The report as JSON (default) or as CSV, one row per product'),
});

export const ImpactBodySchema = z
  .strictObject({
    version: z.number().int().positive().describe('The version the catalogue is checked against today'),
    compareTo: z.number().int().positive().optional().describe('A published version to compare with'),
    changes: DraftChangesSchema.optional().describe('Draft edits of thresholds and levels, not yet published'),
    csv: z.string().max(256 * 1024).optional().describe('The catalogue as CSV text'),
    products: z.array(z.unknown()).max(20_000).optional().describe('The catalogue as JSON products'),
    xlsx: z.base64().max(256 * 1024).optional().describe('The catalogue as an .xlsx workbook, base64 (its first sheet, read as POST /catalogues/check reads one)'),
  })
  .refine((b) => [b.csv, b.products, b.xlsx].filter((x) => x !== undefined).length === 1, { message: 'give the catalogue as csv, as products or as xlsx', path: ['products'] })
  .describe('A catalogue and the framework change to measure');

const VerdictSchema = z.enum(['conform', 'not-conform', 'undeclared', 'needs-evidence']);
const CountSchema = z.number().int().nonnegative();
/** The counts per verdict (VerdictCounts), as a stored catalogue's totals. */
const ImpactCountsSchema = StoredCatalogueCountsSchema;
const CriterionSideSchema = z.strictObject({ version: z.number().int().positive(), threshold: z.string().describe('As the CCTP prints it (« ≥ 64 Go »)'), level: z.string() });
const VerdictChangeSchema = z.strictObject({
  reference: z.string(),
  supplier: z.string(),
  brand: z.string(),
  model: z.string(),
  item: z.string().optional().describe('The item, or for a bundle the offer'),
  offer: z.string().optional(),
  before: VerdictSchema,
  after: VerdictSchema,
  reason: z
    .strictObject({
      criterionId: z.string(),
      version: z.number().int().positive(),
      label: z.string(),
      level: LevelSchema,
      verdict: VerdictSchema,
      required: z.string().describe('The threshold in force, as the CCTP prints it'),
      declared: z.string().optional().describe('The declared value as written; absent when undeclared'),
      comparison: z.string().describe('French: the values compared'),
      component: z.string().optional().describe('For a bundle: the component the check is about'),
    })
    .optional()
    .describe('What decides the new verdict (the first reason), when it is not conform'),
});

/** The answer of POST /frameworks/{id}/impact: the catalogue impact (core/products/impact.ts), then the work pinning the replaced version (app/pinned-work.ts). */
export const ImpactAnswerSchema = z
  .strictObject({
    from: z.strictObject({ id: z.string(), version: z.number().int().positive() }),
    to: z.strictObject({ id: z.string(), version: z.union([z.number().int().positive(), z.literal('draft')]) }).describe('A published version, or `draft` for unpublished edits'),
    criteria: z.array(
      z.strictObject({
        criterionId: z.string(),
        label: z.string(),
        changes: z.array(z.enum(['added', 'removed', 'tightened', 'loosened', 'level-raised', 'level-lowered', 'rewritten'])).min(1),
        before: CriterionSideSchema.optional().describe('Absent for an added criterion'),
        after: CriterionSideSchema.optional().describe('Absent for a removed criterion'),
      }),
    ),
    before: ImpactCountsSchema,
    after: ImpactCountsSchema,
    losing: z.array(VerdictChangeSchema).describe('Products conform before and not after'),
    gaining: z.array(VerdictChangeSchema).describe('Products conform after and not before'),
    otherChanges: z.array(VerdictChangeSchema).describe('Other changes of verdict (undeclared becoming not conform…)'),
    pinned: z.strictObject({ id: z.string(), version: z.number().int().positive() }).describe('The version the change replaces (the request’s `version`)'),
    tenders: z
      .array(
        z.strictObject({
          id: z.string(),
          title: z.string(),
          buyer: z.string().describe('The buyer’s organisation, as the request names it'),
          createdAt: z.iso.datetime(),
          status: z.enum(['ready', 'pending', 'failed']).describe('Its documents: ready, still rendering, or failed'),
        }),
      )
      .max(PINNED_TENDERS_LISTED)
      .describe(`The stored tenders pinning that version, newest first, at most ${PINNED_TENDERS_LISTED}`),
    tendersTruncated: z.boolean().describe('More tenders pin the version than are listed'),
    drafts: z.strictObject({ count: CountSchema, incomplete: CountSchema, ready: CountSchema }).describe('The buyers’ drafts naming that version, counted per status (never their content)'),
  })
  .describe('The impact of a framework change on a catalogue, and the work left on the version it replaces');

/** The answer as built is what the schema declares (compile-time). */
export type ImpactAnswer = CatalogueImpact & PinnedWork;
const _answerConforms = (answer: ImpactAnswer): z.input<typeof ImpactAnswerSchema> => answer;
void _answerConforms;

/** The product file a request carries: an .xlsx workbook, CSV (text/csv) or JSON, as UTF-8. */
export function productFile(request: ApiRequest): ProductFile {
  const type = (request.headers['content-type'] ?? '').trim().toLowerCase();
  if (type.startsWith('application/vnd.ms-excel.sheet.macroenabled')) {
    throw new BidFileError('unsupported', [{ path: 'body', message: 'macro-enabled workbooks (.xlsm) are not accepted; send the .xlsx file' }], 'product');
  }
  if (type.startsWith(XLSX_MEDIA_TYPE)) {
    // Bytes, not JSON: only the size is checked here, the workbook reader bounds the rest (413, 415 or 422).
    if (request.body !== undefined && request.body.byteLength > MAX_BODY_BYTES) throw httpErrors.payloadTooLarge(MAX_BODY_BYTES);
    if (request.body === undefined || request.body.byteLength === 0) throw httpErrors.malformedJson('an .xlsx body is required');
    const bytes = new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    return { format: 'xlsx', table: readProductWorkbook(bytes, 'catalogue.xlsx', { ...PRODUCT_FILE_LIMITS, bytes: MAX_BODY_BYTES }) };
  }
  if (type.startsWith('text/csv')) {
    checkBodyBounds(request.body);
    if (request.body === undefined || request.body.byteLength === 0) throw httpErrors.malformedJson('a CSV body is required');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(request.body);
    } catch {
      throw httpErrors.malformedJson('the body is not valid UTF-8');
    }
    return { text, format: 'csv' };
  }
  return { text: JSON.stringify(jsonBody(request)), format: 'json' };
}

/**
 * Catalogue conformity: the check of a product file and the impact of a framework change. They
 * read the reference data and store nothing; they run in the tenders function, which already
 * carries the rules and the Office writers, so that the small catalogue-read bundle stays small.
 */
export function catalogueOperations(c: CatalogueDeps): Operations {
  return {
    async checkCatalogue(request) {
      const query = parseQuery(request, CatalogueCheckQuerySchema);
      const file = productFile(request);
      let version = query.version;
      if (version === undefined) {
        try {
          version = (await c.criteria.getLatestFramework(query.framework)).version;
        } catch (error) {
          if (error instanceof NotFoundError) throw new ValidationError([{ path: 'framework', message: `unknown framework ${query.framework}` }]);
          throw error;
        }
      }
      const report = await checkCatalogue(file, { id: query.framework, version }, c);
      if (query.format === 'csv') {
        return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="conformite.csv"' }, raw: reportCsv(report) };
      }
      return { status: 200, body: report };
    },

    async previewFrameworkImpact(request) {
      const body = validate(jsonBody(request), ImpactBodySchema);
      const id = request.params.id ?? '';
      const file: ProductFile =
        body.xlsx !== undefined
          ? { format: 'xlsx', table: readProductWorkbook(new Uint8Array(Buffer.from(body.xlsx, 'base64')), 'catalogue.xlsx', { ...PRODUCT_FILE_LIMITS, bytes: MAX_BODY_BYTES }) }
          : body.csv !== undefined
            ? { text: body.csv, format: 'csv' }
            : { text: JSON.stringify(body.products), format: 'json' };
      const impactRequest = { framework: id, version: body.version, ...(body.compareTo !== undefined ? { compareTo: body.compareTo } : {}), ...(body.changes !== undefined ? { changes: body.changes } : {}) };
      const impact = await previewImpact(impactRequest, file, c);
      // After the impact, which refuses an unknown version: what stays pinned to the version the change replaces.
      return { status: 200, body: { ...impact, ...(await pinnedWork({ id, version: body.version }, c)) } };
    },
  };
}
