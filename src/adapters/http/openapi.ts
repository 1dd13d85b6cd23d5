import * as z from 'zod';
import { AuditEntrySchema } from '#src/core/audit/audit-entry.ts';
import { PublicationPreviewSchema } from '#src/core/audit/changelog.ts';
import { AuditQuerySchema } from './operations/audit.ts';
import { DraftListSchema, DraftQuerySchema, DraftViewSchema } from './operations/drafts.ts';
import { DraftInputSchema } from '#src/core/model/draft.ts';
import { CatalogueCheckQuerySchema, ImpactAnswerSchema, ImpactBodySchema } from './operations/catalogues.ts';
import { StoreCatalogueQuerySchema, StoredCatalogueListSchema, StoredCatalogueViewSchema, TemplateQuerySchema } from './operations/stored-catalogues.ts';
import { CriteriaImportQuerySchema } from './operations/criteria-write.ts';
import { CriteriaImportResultSchema } from '#src/app/criteria-import.ts';
import { CatalogueItemVersionSchema, FrameworkSchema, OfferVersionSchema } from '#src/core/model/catalogue.ts';
import { ItemWriteSchema, OfferWriteSchema } from '#src/app/catalogue-entries-admin.ts';
import { CriterionSchema } from '#src/core/model/criterion.ts';
import { AnyTenderRequestSchema, TenderRequestV2Schema } from '#src/core/model/tender-request-v2.ts';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';
import { REQUEST_EXAMPLES } from '#src/core/model/request-examples.ts';
import { CriteriaQuerySchema, CriterionWriteSchema, FrameworkPublicationSchema } from '#src/app/criteria-admin.ts';
import { ProblemSchema, PROBLEM_MEDIA_TYPE } from './problem.ts';
import { MAX_BODY_BYTES } from './request.ts';
import { FUNCTIONS, ROUTES, type FunctionName, type OperationId, type RouteDefinition } from './routes.ts';
import { IDEMPOTENCY_KEY_LIFETIME_SECONDS } from '#src/app/collect-garbage.ts';
import {
  CriterionPageSchema,
  CriterionVersionsSchema,
  DcePiecesSchema,
  DocumentLinkSchema,
  FrameworkListSchema,
  HealthSchema,
  ItemVersionsSchema,
  OfferListSchema,
  OfferVersionsSchema,
  PageQuerySchema,
  RegenerationSchema,
  TenderCreatedSchema,
  TenderFormatsQuerySchema,
  TenderListSchema,
  TenderViewSchema,
  ValidationResultSchema,
  VersionQuerySchema,
} from './schemas.ts';
import { OffersQuerySchema } from './query-schemas.ts';
import { AnalysisInputSchema } from '#src/app/analysis-input.ts';
import { AnalysisResultSchema, BidListSchema, BidWithdrawalQuerySchema, ConformityResultSchema, BidUploadSchema, MarksAcceptedSchema, StoredBidViewSchema } from './offer-schemas.ts';

/** Request bodies, converted as inputs (defaults optional), and response bodies, converted as outputs. */
const INPUTS = {
  TenderRequest: AnyTenderRequestSchema,
  TenderRequestV1: TenderRequestSchema,
  TenderRequestV2: TenderRequestV2Schema,
  CriterionWrite: CriterionWriteSchema,
  FrameworkPublication: FrameworkPublicationSchema,
  ItemWrite: ItemWriteSchema,
  OfferWrite: OfferWriteSchema,
  ImpactRequest: ImpactBodySchema,
  BidUpload: BidUploadSchema,
  AnalysisInput: AnalysisInputSchema,
  DraftInput: DraftInputSchema,
} as const;

const OUTPUTS = {
  Health: HealthSchema,
  Framework: FrameworkSchema,
  FrameworkList: FrameworkListSchema,
  Criterion: CriterionSchema,
  CriterionPage: CriterionPageSchema,
  CriterionVersions: CriterionVersionsSchema,
  OfferList: OfferListSchema,
  ItemVersion: CatalogueItemVersionSchema,
  ItemVersions: ItemVersionsSchema,
  OfferVersion: OfferVersionSchema,
  OfferVersions: OfferVersionsSchema,
  TenderCreated: TenderCreatedSchema,
  TenderView: TenderViewSchema,
  TenderList: TenderListSchema,
  ValidationResult: ValidationResultSchema,
  Regeneration: RegenerationSchema,
  DocumentLink: DocumentLinkSchema,
  DcePieces: DcePiecesSchema,
  StoredBid: StoredBidViewSchema,
  BidList: BidListSchema,
  MarksAccepted: MarksAcceptedSchema,
  /** The input as stored: AnalysisInput with its defaults filled in (every list present). */
  RecordedMarks: AnalysisInputSchema,
  AnalysisResult: AnalysisResultSchema,
  ConformityResult: ConformityResultSchema,
  Problem: ProblemSchema,
  PublicationPreview: PublicationPreviewSchema,
  CriteriaImportResult: CriteriaImportResultSchema,
  AuditList: z.object({ items: z.array(AuditEntrySchema) }),
  Draft: DraftViewSchema,
  DraftList: DraftListSchema,
  StoredCatalogue: StoredCatalogueViewSchema,
  StoredCatalogueList: StoredCatalogueListSchema,
  ImpactAnswer: ImpactAnswerSchema,
} as const;

interface OperationDoc {
  query?: z.ZodObject;
  headers?: Array<{ name: string; required: boolean; description: string }>;
  body?: keyof typeof INPUTS;
  success: { status: number; description: string; schema?: keyof typeof OUTPUTS; headers?: string[] };
  /** Another success the client chooses (content negotiation), under its own status. */
  alternative?: { status: number; description: string; schema: keyof typeof OUTPUTS; headers?: string[] };
  /** Statuses beyond those the route's shape implies (auth, body, path parameters, storage). */
  problems?: number[];
}

const ETAG = 'ETag';
const IF_MATCH_DRAFT = { name: 'If-Match', required: true, description: 'ETag of the draft version you read; 428 without it, 412 when another version was saved meanwhile (nothing is written)' };
const DRAFT_MODE =
  'The request is checked in draft mode: what is missing (absent or empty fields, lists and numbers below their minimum, rules across fields) is allowed and makes the draft `incomplete`; a wrong value (type, enumerated value, malformed identifier, text too long or with forbidden characters) is a 422 naming `request.<path>`, and nothing is written.';

/** A write of a criterion's, item's or offer's next version, behind If-Match. */
function versionWrite(what: string, body: keyof typeof INPUTS, schema: keyof typeof OUTPUTS): OperationDoc {
  return {
    headers: [
      { name: 'If-Match', required: false, description: 'ETag of the version you edited (required unless creating)' },
      { name: 'If-None-Match', required: false, description: `\`*\` to create a new ${what}` },
    ],
    body,
    success: { status: 200, description: 'The new version (201 when created)', schema, headers: [ETAG] },
    problems: [412, 428],
  };
}

const DOCS: Record<OperationId, OperationDoc> = {
  getHealth: { success: { status: 200, description: 'Up', schema: 'Health' } },
  getOpenApi: { success: { status: 200, description: 'This document' } },
  listFrameworks: { success: { status: 200, description: 'Frameworks', schema: 'FrameworkList' } },
  getFramework: { query: VersionQuerySchema, success: { status: 200, description: 'A framework version', schema: 'Framework', headers: [ETAG] } },
  publishFrameworkVersion: {
    body: 'FrameworkPublication',
    success: { status: 201, description: 'Published', schema: 'Framework', headers: [ETAG, 'Location'] },
    problems: [409],
  },
  previewFrameworkPublication: { success: { status: 200, description: 'The pending changes; `changes`, `items` and `offers` all empty when the latest version already pins every criterion’s, item’s and offer’s latest version (publishing is then a 422)', schema: 'PublicationPreview' } },
  getFrameworkChangelog: { success: { status: 200, description: 'Body: `text/markdown`, the version, its date, author and reason (from the audit trail), then each criterion whose pinned version changed with label, threshold, level, proof and CCTP text before → after, and each item and offer whose pinned version changed, field by field. Deterministic: the same version gives the same bytes', headers: ['Content-Disposition'] } },
  getFrameworkChangelogPdf: { success: { status: 200, description: 'Body: `application/pdf`, tagged (PDF/UA structure), the changelog’s content (version, date, author, reason, then each changed criterion with its fields before → after as the CCTP prints them) laid out with a cover. Deterministic: the same version gives the same bytes', headers: ['Content-Disposition'] } },
  exportFrameworkCriteria: {
    query: VersionQuerySchema,
    success: {
      status: 200,
      description:
        'Body: an .xlsx workbook (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`). Sheet « Critères »: one row per criterion the framework version pins, at its latest version (what « Publier » would pin); columns id and version locked, then category, kind, label, level, authority (type, reference, source), requirement text with `{seuil}`, metric type, unit, comparator, threshold, maximum, options, proofs, with lists for the enumerated ones. A very hidden sheet « Cahier » names the framework, so the file is refused by another framework’s import. Deterministic: the same criteria give the same bytes',
      headers: ['Content-Disposition'],
    },
  },
  importFrameworkCriteria: {
    query: CriteriaImportQuerySchema,
    success: {
      status: 200,
      description:
        'Body: the workbook GET /frameworks/{id}/criteria.xlsx gave, edited (`Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, at most 256 KiB; read by the bounded reader: macros 415, too large or a zip bomb 413, formulas, external links or another framework’s sheet 422). Every row is checked before anything is written: a wrong cell is a 422 naming `Critères!rows.<row>.<column>` (every wrong cell at once), a changed row whose version is no longer the latest a 409 naming each such row. Then each changed row is written as its criterion’s next version with an audit entry carrying `reason`; unchanged rows are not written (a file returned unchanged answers 200 with `written` empty). The published framework does not change until POST /frameworks/{id}/versions; GET /frameworks/{id}/publication lists the imported changes',
      schema: 'CriteriaImportResult',
    },
    problems: [409, 413, 415],
  },
  listCriteria: { query: CriteriaQuerySchema, success: { status: 200, description: 'One page of criteria', schema: 'CriterionPage' } },
  getCriterion: { query: VersionQuerySchema, success: { status: 200, description: 'A criterion version', schema: 'Criterion', headers: [ETAG] } },
  listCriterionVersions: { success: { status: 200, description: 'Every version', schema: 'CriterionVersions' } },
  updateCriterion: versionWrite('criterion', 'CriterionWrite', 'Criterion'),
  listOffers: { query: OffersQuerySchema, success: { status: 200, description: 'Offers: each at its latest version, or with `framework` the versions that framework version pins', schema: 'OfferList' } },
  listItemVersions: { success: { status: 200, description: 'Every version; the ETag is the latest version’s', schema: 'ItemVersions', headers: [ETAG] } },
  updateItem: versionWrite('item', 'ItemWrite', 'ItemVersion'),
  listOfferVersions: { success: { status: 200, description: 'Every version; the ETag is the latest version’s', schema: 'OfferVersions', headers: [ETAG] } },
  updateOffer: versionWrite('offer', 'OfferWrite', 'OfferVersion'),
  previewFrameworkImpact: {
    body: 'ImpactRequest',
    success: { status: 200, description: 'The criteria changed (added, removed, tightened, loosened, level raised or lowered), the counts before and after, and the products losing or gaining conformity with the reason; then what stays on the version the change replaces (`pinned`, the request’s `version`), across buyers: `tenders`, the stored tenders that pin it (id, title, buyer’s organisation, createdAt, status of its documents), newest first, at most 100 (`tendersTruncated` when there are more), and `drafts`, a count of the buyers’ drafts that name it, per status (never their content). A catalogue given as `xlsx` (base64) is read by the bounded workbook reader: macros 415, a zip bomb 413, formulas 422', schema: 'ImpactAnswer' },
    problems: [413, 415],
  },
  checkCatalogue: {
    query: CatalogueCheckQuerySchema,
    success: { status: 200, description: 'Body: the catalogue as an .xlsx workbook (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, first sheet, same columns as the CSV; macros 415, formulas or external links 422), as `text/csv` (header `reference;fournisseur;marque;modele;article` then one column per criterion id) or JSON (`{ products: [...] }`), at most 256 KiB (larger catalogues: `cahier conformity`). Answer: every product’s verdict (conform, not-conform, undeclared, needs-evidence) with the values compared, counts per item, supplier and offer; a refused file is a 422 naming `rows.<line>.<column>` (`<sheet>!rows.<row>.<column>` for a workbook)' },
  },
  createCatalogue: {
    query: StoreCatalogueQuerySchema,
    success: {
      status: 201,
      description:
        'Body: the catalogue, as for POST /catalogues/check (.xlsx, `text/csv` or JSON, at most 256 KiB). Checked, then stored: the file under its SHA-256 (never replaced), the reports (JSON, CSV, XLSX, PDF summary, the renderers of `cahier conformity`), and last the record. A refused file (422 with `rows.<line>.<column>`, 413, 415, unknown framework) stores nothing',
      schema: 'StoredCatalogue',
      headers: ['Location'],
    },
    problems: [413, 415],
  },
  listCatalogues: { query: PageQuerySchema, success: { status: 200, description: 'A page of stored catalogues, newest first: the caller’s own for a catalogue manager, every one for an editor', schema: 'StoredCatalogueList' } },
  getCatalogue: { success: { status: 200, description: 'The record: framework version, file hash and size, counts and share conforming, its reports', schema: 'StoredCatalogue' } },
  getCatalogueReportJson: { success: { status: 200, description: 'The JSON report as stored (as POST /catalogues/check answers it): the summary, then every product with its verdict and reasons' } },
  getCatalogueReport: {
    headers: [{ name: 'Accept', required: false, description: '`application/json` for a 200 with the link; anything else redirects' }],
    success: { status: 302, description: 'Redirect to a presigned URL of the report (at most 15 minutes; the PDF opens in the browser)', headers: ['Location', 'Vary'] },
    alternative: { status: 200, description: 'With `Accept: application/json`: the presigned URL and when it expires', schema: 'DocumentLink', headers: ['Vary'] },
  },
  deleteCatalogue: { success: { status: 204, description: 'Deleted: the record, then its reports. The uploaded file stays (content-addressed, it may be another record’s)' } },
  getProductTemplate: {
    query: TemplateQuerySchema,
    success: { status: 200, description: 'Body: the workbook modele-<article>.xlsx (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`), a « Produits » sheet whose header is what POST /catalogues reads, one column per criterion with its unit, the allowed values offered as lists', headers: ['Content-Disposition'] },
  },
  listAudit: { query: AuditQuerySchema, success: { status: 200, description: 'Audit entries: who, when, why, what changed field by field, for which version', schema: 'AuditList' } },
  createTender: {
    query: TenderFormatsQuerySchema,
    headers: [
      {
        name: 'Idempotency-Key',
        required: false,
        description: `Scoped by caller: a retry with the same body and formats returns the same tender and writes nothing; the same key with another body is a 422. A key is remembered ${IDEMPOTENCY_KEY_LIFETIME_SECONDS / 3600} hours after its first use, then forgotten (the claim expires; a retry of the identical request still finds the same tender, whose id derives from caller, key and request)`,
      },
    ],
    body: 'TenderRequest',
    success: {
      status: 201,
      description:
        'Recorded (or replayed: header Idempotent-Replayed). PDF and JSON formats are generated with the request: the documents come with their links and the report. A request with a Word or Excel format (docx, xlsx, ccap, ae, dpa, dce) is checked (422 as always) and recorded, and all its files are rendered by another function after the answer: `rendering.status` is `pending`, each document `pending` without a link and no report; GET the tender (Location, `rendering.statusHref`) until its status is `ready` (documents with their size and hash, downloadable) or `failed` (`rendering.reason`; nothing stored). A replay answers with the tender as it is then.',
      schema: 'TenderCreated',
      headers: ['Location', 'Idempotent-Replayed'],
    },
  },
  listTenders: { query: PageQuerySchema, success: { status: 200, description: "The caller's tenders", schema: 'TenderList' } },
  validateTender: { body: 'TenderRequest', success: { status: 200, description: 'Findings, conformity, funding estimate and the rule versions used', schema: 'ValidationResult' } },
  getTender: { success: { status: 200, description: 'The record, with its findings re-checked under today’s rules', schema: 'TenderView' } },
  getTenderDocument: {
    headers: [{ name: 'Accept', required: false, description: '`application/json` for a 200 with the link (for browsers: fetch cannot follow the redirect usefully); anything else redirects' }],
    success: { status: 302, description: 'Redirect to a presigned URL (at most 15 minutes)', headers: ['Location', 'Vary'] },
    alternative: { status: 200, description: 'With `Accept: application/json`: the presigned URL (at most 15 minutes) and when it expires', schema: 'DocumentLink', headers: ['Vary'] },
    problems: [409],
  },
  getTenderDce: {
    success: { status: 200, description: 'The bordereau of the DCE, each piece with its link (404 when the tender was generated without the dce format, 409 while its rendering is pending or after it failed)', schema: 'DcePieces' },
    problems: [409],
  },
  regenerateTender: { success: { status: 200, description: 'Comparison with the recorded documents (409 while they are pending or after their rendering failed)', schema: 'Regeneration' }, problems: [409] },
  uploadBid: {
    body: 'BidUpload',
    success: { status: 201, description: 'Stored (the files under their SHA-256)', schema: 'StoredBid', headers: ['Location'] },
    problems: [409],
  },
  listBids: { success: { status: 200, description: 'The bids received, the withdrawn ones with their withdrawal', schema: 'BidList' } },
  withdrawBid: {
    query: BidWithdrawalQuerySchema,
    success: { status: 200, description: 'The bid as withdrawn (withdrawing it again answers the same, with the first reason)', schema: 'StoredBid' },
  },
  checkOffers: { success: { status: 200, description: 'Each offer’s conformity and the marks needed', schema: 'ConformityResult' }, problems: [413, 415, 422] },
  putMarks: {
    headers: [
      { name: 'If-Match', required: false, description: 'ETag of the marks you read (GET /tenders/{id}/marks); required once marks are recorded: 428 without it, 412 when someone saved other marks meanwhile (nothing is written)' },
      { name: 'If-None-Match', required: false, description: '`*` for the first recording (412 when marks are already recorded); the first recording may also send neither header' },
    ],
    body: 'AnalysisInput',
    success: { status: 200, description: 'Recorded; the ETag is the SHA-256 of the stored input', schema: 'MarksAccepted', headers: [ETAG] },
    problems: [412, 428],
  },
  getMarks: { success: { status: 200, description: 'The input last recorded, as stored: what a new PUT starts from, with the ETag its If-Match sends (404 when none was recorded)', schema: 'RecordedMarks', headers: [ETAG] } },
  analyseOffers: { success: { status: 200, description: 'The analysis and its documents', schema: 'AnalysisResult' }, problems: [413, 415, 422] },
  listDrafts: { query: DraftQuerySchema, success: { status: 200, description: 'The caller’s drafts, without their requests', schema: 'DraftList' } },
  createDraft: {
    body: 'DraftInput',
    success: { status: 201, description: `Saved as version 1. ${DRAFT_MODE}`, schema: 'Draft', headers: [ETAG, 'Location'] },
    problems: [409],
  },
  getDraft: { success: { status: 200, description: 'The draft and its request as saved', schema: 'Draft', headers: [ETAG] } },
  replaceDraft: {
    headers: [IF_MATCH_DRAFT],
    body: 'DraftInput',
    success: { status: 200, description: `Saved as the next version. ${DRAFT_MODE}`, schema: 'Draft', headers: [ETAG] },
    problems: [412, 428],
  },
  deleteDraft: { headers: [IF_MATCH_DRAFT], success: { status: 204, description: 'Deleted' }, problems: [412, 428] },
};

/** What the role of a route lets through, for the operation descriptions. */
const ROLE_TEXT: Record<RouteDefinition['role'], string> = {
  public: 'Public: no token.',
  reader: 'Needs a token of group `buyers`, `criteria-editors` or `catalogue-managers`.',
  buyer: 'Needs a token of group `buyers`.',
  editor: 'Needs a token of group `criteria-editors`.',
  catalogue: 'Needs a token of group `catalogue-managers` or `criteria-editors`.',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed request: bad JSON, a body nested more than 64 levels deep, or a bad header',
  401: 'Missing or invalid token',
  403: 'The caller lacks the role',
  404: 'Not found',
  409: 'Conflict',
  412: 'Stale version',
  413: 'Body too large, or a bidder’s workbook beyond its bounds',
  415: 'Not JSON, or a bidder’s file that is not a plain .xlsx workbook (macros)',
  422: 'Validation failed (field paths in `errors`) or blocked by the rules (`findings`)',
  428: 'If-Match required',
  500: 'Internal error',
  503: 'Storage unavailable',
};

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document of the route table, its schemas generated from the zod source. */
export function openApiDocument(): Record<string, unknown> {
  cached ??= build();
  return cached;
}

function build(): Record<string, unknown> {
  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES as readonly RouteDefinition[]) {
    const doc = DOCS[route.operationId as OperationId];
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      description: `${route.summary}. ${ROLE_TEXT[route.role]}${route.owner ? ' Only the tender’s owner, or an editor; anyone else gets 404.' : ''}${route.method === 'GET' ? ' HEAD answers the same headers without a body.' : ''}`,
      tags: [route.function],
      security: route.role === 'public' ? [] : [{ bearerAuth: [] }],
      'x-cahier-role': route.role,
      ...(route.owner ? { 'x-cahier-owner-only': true } : {}),
      parameters: [...pathParameters(route), ...queryParameters(doc.query), ...(doc.headers ?? []).map((h) => ({
        name: h.name,
        in: 'header',
        required: h.required,
        description: h.description,
        schema: { type: 'string' },
      }))],
      ...(doc.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: ref(doc.body), ...bodyExamples(doc.body) } }, description: `At most ${MAX_BODY_BYTES} bytes` } }
        : {}),
      responses: {
        ...Object.fromEntries(
          [doc.success, ...(doc.alternative ? [doc.alternative] : [])].map((success) => [
            success.status,
            {
              description: success.description,
              ...(success.headers ? { headers: Object.fromEntries(success.headers.map((h) => [h, { schema: { type: 'string' } }])) } : {}),
              ...(success.schema ? { content: { 'application/json': { schema: ref(success.schema) } } } : {}),
            },
          ]),
        ),
        ...Object.fromEntries(
          problemStatuses(route, doc).map((status) => [
            status,
            { description: STATUS_TEXT[status] ?? 'Problem', content: { [PROBLEM_MEDIA_TYPE]: { schema: ref('Problem') } } },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cahier API',
      version: '1.0.0',
      license: { name: 'Proprietary (all rights reserved)', identifier: 'LicenseRef-Cahier-Proprietary' },
      contact: { name: 'Équipe Cahier' },
      description:
        'Generates French public-tender technical specifications (CCTP) from the reference criteria. Errors are RFC 9457 problem details.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployed stage (output ApiUrl of the Cahier-<stage>-Stateless stack)',
        variables: { apiId: { default: 'abc123', description: 'The HTTP API id' }, region: { default: 'eu-west-3', description: 'The AWS region' } },
      },
      { url: 'http://127.0.0.1:3000', description: 'The local stack (npm start)' },
    ],
    tags: (Object.keys(FUNCTIONS) as FunctionName[]).map((name) => ({ name, description: `Served by the \`${name}\` function: ${FUNCTIONS[name].description}` })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito user pool token; groups `buyers`, `criteria-editors` and `catalogue-managers` grant the roles' },
      },
      schemas: { ...componentSchemas(INPUTS, 'input'), ...componentSchemas(OUTPUTS, 'output') },
    },
  };
}

/** Examples of a request body: both versions of a tender request. */
function bodyExamples(body: string): { examples?: Record<string, { summary: string; value: unknown }> } {
  if (body !== 'TenderRequest') return {};
  return {
    examples: {
      v2: { summary: 'Version 2: sites, lines per site, computed licences, per-lot criteria, option and visit', value: REQUEST_EXAMPLES.v2 },
      v1: { summary: 'Version 1 (still accepted): a packaged offer and the file’s criteria', value: REQUEST_EXAMPLES.v1 },
    },
  };
}

function componentSchemas(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.entries(converted.schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema;
      return [id, rest];
    }),
  );
}

function pathParameters(route: RouteDefinition) {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(query: z.ZodObject | undefined) {
  if (!query) return [];
  return Object.entries(query.shape).map(([name, schema]) => {
    const json = z.toJSONSchema(schema as z.ZodType, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    const { $schema: _dialect, description, ...rest } = json;
    return {
      name,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function problemStatuses(route: RouteDefinition, doc: OperationDoc): number[] {
  // Any route refuses a body over the limit or nested too deeply before anything reads it.
  const statuses = new Set<number>([...(doc.problems ?? []), 400, 413]);
  if (route.role !== 'public') [401, 403, 503].forEach((s) => statuses.add(s));
  if (route.path.includes('{')) statuses.add(404);
  if (doc.body) [400, 413, 415, 422].forEach((s) => statuses.add(s));
  if (doc.query) statuses.add(422);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}
