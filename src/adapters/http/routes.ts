/**
 * The one route table. The local server serves it and the CDK stack will deploy it: one HTTP API
 * route per entry, integrated with the Lambda function named in `function`, with the JWT
 * authorizer on every route that is not `public`. Plain data on purpose (no handler code, no
 * schemas), so the infrastructure can import it without pulling in the application.
 *
 * Roles come from Cognito groups (see auth.ts): `buyer` (group `buyers`), `editor` (group
 * `criteria-editors`), `catalogue-manager` (group `catalogue-managers`); `reader` is any of them,
 * `catalogue` an editor or a catalogue manager. `owner: true` means that the handler also
 * checks that the caller owns the tender (or the stored catalogue), or is an editor; anyone else
 * gets a 404 (not a 403, so that ids are not confirmed to strangers). The offer routes (bids, conformity, marks, analysis) are
 * the owning buyer's alone: their role is `buyer`, and the handler admits the owner only.
 *
 * Why these functions (each gets its own IAM role, memory and cold start, see FUNCTIONS):
 * - `health` and `openapi` touch no data: no AWS permission at all, tiny bundles.
 * - `catalogue-read` serves every catalogue GET: read-only on the table, no bucket, no PDF code.
 *   It takes the read traffic of the web app, so it stays small and quick to start. It also reads
 *   the editors' audit trail.
 * - `criteria-write` is the only function that writes criteria and frameworks: the editors'
 *   surface, kept apart so that a flaw in a buyer route can never rewrite the reference data.
 * - `tenders` generates, reads and audits tenders: the PDFs' models (laid out by the pdf-renderer
 *   function, which it invokes synchronously; the heavy bundle all the same), put/get on the
 *   bucket's tenders/ prefix, tender and idempotency items in the table.
 *   Validation lives here too because it runs the same resolve-and-rules pipeline, and so do the
 *   catalogue checks and the impact preview (they write nothing; their code would push the small
 *   catalogue-read bundle over its budget).
 * - `drafts` keeps the buyers' named drafts: its role reads, writes and deletes items of the
 *   table's DRAFT# partitions and nothing else (no tender, no criterion, no bucket), so the one
 *   function allowed to delete items cannot touch a tender or the reference data.
 * - `documents` holds the Office writers (Cahier's own WordprocessingML and SpreadsheetML writers), which would grow the tenders bundle:
 *   it renders every generation that asks for a Word or Excel file (docx, xlsx, ccap, ae, dpa,
 *   dce), asynchronously, on a job the tenders function queues (src/app/ports/document-jobs.ts),
 *   and serves the routes that read or write Office files on demand: the audit (regenerate
 *   rebuilds every format) and the offers of a tender (a bid's workbooks are checked against the
 *   Excel templates rendered again, the analysis writes the RAO in Word). Put/get on tenders/,
 *   tender items.
 * - `catalogues` keeps the stored catalogues (POST/GET/DELETE /catalogues…) and serves the product
 *   sheet templates: it writes the conformity workbook and the PDF summary (through pdf-renderer), so it
 *   is not the tenders function (over its budget) nor catalogue-read (read-only, small). Its role
 *   puts and deletes items of CATREPORT# partitions only, and gets, puts and deletes objects under
 *   catalogues/ only: it can touch neither a tender nor the reference data.
 */

export type Role = 'public' | 'reader' | 'buyer' | 'editor' | 'catalogue';

export type FunctionName = 'health' | 'openapi' | 'catalogue-read' | 'criteria-write' | 'tenders' | 'documents' | 'drafts' | 'catalogues';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition {
  /** Stable name: the OpenAPI operationId and the key of the handler that serves it. */
  operationId: string;
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` matches one path segment. */
  path: string;
  function: FunctionName;
  role: Role;
  /** The caller must own the tender (or be an editor). */
  owner: boolean;
  summary: string;
}

export const ROUTES = [
  { operationId: 'getHealth', method: 'GET', path: '/health', function: 'health', role: 'public', owner: false, summary: 'Liveness probe' },
  { operationId: 'getOpenApi', method: 'GET', path: '/openapi.json', function: 'openapi', role: 'public', owner: false, summary: 'This API as an OpenAPI 3.1 document' },
  { operationId: 'listFrameworks', method: 'GET', path: '/frameworks', function: 'catalogue-read', role: 'reader', owner: false, summary: 'Latest version of every framework' },
  { operationId: 'getFramework', method: 'GET', path: '/frameworks/{id}', function: 'catalogue-read', role: 'reader', owner: false, summary: 'A framework: its latest version, or `?version=`' },
  { operationId: 'publishFrameworkVersion', method: 'POST', path: '/frameworks/{id}/versions', function: 'criteria-write', role: 'editor', owner: false, summary: 'Publish the next version of a framework' },
  { operationId: 'previewFrameworkPublication', method: 'GET', path: '/frameworks/{id}/publication', function: 'catalogue-read', role: 'reader', owner: false, summary: 'What publishing the next version would change: each pinned criterion whose latest version differs, before → after as the CCTP prints it; writes nothing' },
  { operationId: 'getFrameworkChangelog', method: 'GET', path: '/frameworks/{id}/versions/{version}/changelog', function: 'catalogue-read', role: 'reader', owner: false, summary: 'The changelog of a published framework version as Markdown: date, author, reason, and each criterion change before → after' },
  { operationId: 'exportFrameworkCriteria', method: 'GET', path: '/frameworks/{id}/criteria.xlsx', function: 'documents', role: 'reader', owner: false, summary: 'The criteria of a framework version (`?version=`, the latest by default), each at its latest version, as an .xlsx sheet to review and import back' },
  { operationId: 'importFrameworkCriteria', method: 'POST', path: '/frameworks/{id}/criteria-import', function: 'criteria-write', role: 'editor', owner: false, summary: 'Import an edited criteria sheet (.xlsx, `?reason=` required): every changed row becomes its criterion’s next version with an audit entry, or nothing is written (422 per cell, 409 per stale row)' },
  { operationId: 'getFrameworkChangelogPdf', method: 'GET', path: '/frameworks/{id}/versions/{version}/changelog.pdf', function: 'documents', role: 'reader', owner: false, summary: 'The changelog of a published framework version as a tagged PDF: the same content as the Markdown' },
  { operationId: 'listCriteria', method: 'GET', path: '/criteria', function: 'catalogue-read', role: 'reader', owner: false, summary: 'Criteria of a category (latest versions) or of a framework version, paged' },
  { operationId: 'getCriterion', method: 'GET', path: '/criteria/{id}', function: 'catalogue-read', role: 'reader', owner: false, summary: 'Latest version of a criterion, with its ETag' },
  { operationId: 'listCriterionVersions', method: 'GET', path: '/criteria/{id}/versions', function: 'catalogue-read', role: 'reader', owner: false, summary: 'Every version of a criterion, oldest first' },
  { operationId: 'updateCriterion', method: 'PUT', path: '/criteria/{id}', function: 'criteria-write', role: 'editor', owner: false, summary: 'Write the next version of a criterion (If-Match, or If-None-Match: * to create)' },
  { operationId: 'previewFrameworkImpact', method: 'POST', path: '/frameworks/{id}/impact', function: 'tenders', role: 'editor', owner: false, summary: 'Which products of a catalogue a draft (or another version) would make lose or gain conformity; writes nothing' },
  { operationId: 'checkCatalogue', method: 'POST', path: '/catalogues/check', function: 'tenders', role: 'catalogue', owner: false, summary: 'Conformity of every product of a catalogue (XLSX, CSV or JSON) to a framework version: the report as JSON, or CSV with `?format=csv`; writes nothing' },
  { operationId: 'createCatalogue', method: 'POST', path: '/catalogues', function: 'catalogues', role: 'catalogue', owner: false, summary: 'Check a catalogue (XLSX, CSV or JSON) against a framework version and keep it: the file under its SHA-256, the reports (JSON, CSV, XLSX, PDF summary) and a record; a refused file stores nothing' },
  { operationId: 'listCatalogues', method: 'GET', path: '/catalogues', function: 'catalogues', role: 'catalogue', owner: false, summary: "The stored catalogues, newest first: a catalogue manager's own, every one for an editor" },
  { operationId: 'getCatalogue', method: 'GET', path: '/catalogues/{id}', function: 'catalogues', role: 'catalogue', owner: true, summary: 'A stored catalogue: its framework version, file, counts and reports' },
  { operationId: 'getCatalogueReportJson', method: 'GET', path: '/catalogues/{id}/report', function: 'catalogues', role: 'catalogue', owner: true, summary: 'The stored JSON report of a catalogue itself (every product’s verdict and reasons, counts per item, supplier and offer), as the web page shows it' },
  { operationId: 'getCatalogueReport', method: 'GET', path: '/catalogues/{id}/report/{format}', function: 'catalogues', role: 'catalogue', owner: true, summary: 'A short-lived download URL of a stored report (json, csv, xlsx, pdf): a redirect, or the link as JSON with `Accept: application/json`' },
  { operationId: 'deleteCatalogue', method: 'DELETE', path: '/catalogues/{id}', function: 'catalogues', role: 'catalogue', owner: true, summary: 'Delete a stored catalogue: its record and its reports (the uploaded file, shared by its hash, stays)' },
  { operationId: 'getProductTemplate', method: 'GET', path: '/frameworks/{id}/templates/{article}', function: 'catalogues', role: 'catalogue', owner: false, summary: 'The product sheet of an item for a framework version (`?version=`, the latest when absent) as a workbook, modele-<article>.xlsx: one column per criterion with its unit and allowed values' },
  { operationId: 'listAudit', method: 'GET', path: '/audit', function: 'catalogue-read', role: 'reader', owner: false, summary: 'The audit trail of the editors’ changes: one criterion’s or framework’s history, or the latest edits' },
  { operationId: 'listOffers', method: 'GET', path: '/offers', function: 'catalogue-read', role: 'reader', owner: false, summary: 'Packaged offers: each at its latest version, or with `?framework=` (and `version=`) the versions that framework version pins' },
  { operationId: 'listItemVersions', method: 'GET', path: '/items/{id}/versions', function: 'catalogue-read', role: 'editor', owner: false, summary: 'Every version of a catalogue item, oldest first, with the ETag of the latest' },
  { operationId: 'updateItem', method: 'PUT', path: '/items/{id}', function: 'criteria-write', role: 'editor', owner: false, summary: 'Write the next version of a catalogue item (If-Match, or If-None-Match: * to create); the next framework version pins it' },
  { operationId: 'listOfferVersions', method: 'GET', path: '/offers/{id}/versions', function: 'catalogue-read', role: 'editor', owner: false, summary: 'Every version of an offer, oldest first, with the ETag of the latest' },
  { operationId: 'updateOffer', method: 'PUT', path: '/offers/{id}', function: 'criteria-write', role: 'editor', owner: false, summary: 'Write the next version of an offer (If-Match, or If-None-Match: * to create); the next framework version pins it' },
  { operationId: 'createTender', method: 'POST', path: '/tenders', function: 'tenders', role: 'buyer', owner: false, summary: 'Generate and store a CCTP and the documents of `?formats=` (Idempotency-Key supported)' },
  { operationId: 'listTenders', method: 'GET', path: '/tenders', function: 'tenders', role: 'reader', owner: false, summary: "The caller's tenders, newest first" },
  { operationId: 'validateTender', method: 'POST', path: '/tenders/validate', function: 'tenders', role: 'reader', owner: false, summary: 'Dry run: findings, conformity, funding estimate and the rule versions used; nothing stored' },
  { operationId: 'getTender', method: 'GET', path: '/tenders/{id}', function: 'tenders', role: 'reader', owner: true, summary: 'A tender record, its findings re-checked under the rules in force today (documents unchanged)' },
  { operationId: 'getTenderDocument', method: 'GET', path: '/tenders/{id}/documents/{name}', function: 'tenders', role: 'reader', owner: true, summary: 'A short-lived download URL of a document: a redirect, or the link as JSON with `Accept: application/json`' },
  { operationId: 'getTenderDce', method: 'GET', path: '/tenders/{id}/dce', function: 'tenders', role: 'reader', owner: true, summary: 'The bordereau of the tender’s consultation file (format dce): each piece’s title, role, size and SHA-256, with a short-lived link to the piece alone (a PDF opens in the browser)' },
  { operationId: 'uploadBid', method: 'POST', path: '/tenders/{id}/bids', function: 'documents', role: 'buyer', owner: true, summary: 'Upload one bid (the filled compliance matrix and price schedule, base64): checked, stored under their hashes, never replaced' },
  { operationId: 'listBids', method: 'GET', path: '/tenders/{id}/bids', function: 'documents', role: 'buyer', owner: true, summary: 'The bids received for a tender, with their files’ hashes' },
  { operationId: 'withdrawBid', method: 'DELETE', path: '/tenders/{id}/bids/{bidId}', function: 'documents', role: 'buyer', owner: true, summary: 'Withdraw a bid (`?reason=` required): kept with its files and shown as withdrawn, no longer read by the conformity check and the analysis; an audit entry records who, when, why, the bidder and its files’ hashes' },
  { operationId: 'checkOffers', method: 'GET', path: '/tenders/{id}/conformity', function: 'documents', role: 'buyer', owner: true, summary: 'Each stored offer’s conformity per lot and the marks the analysis needs (graded criteria of the conforming offers); writes nothing' },
  { operationId: 'putMarks', method: 'PUT', path: '/tenders/{id}/marks', function: 'documents', role: 'buyer', owner: true, summary: 'Record the buyer’s marks (each with its justification), the abnormally-low settings and the award details (If-Match once recorded)' },
  { operationId: 'getMarks', method: 'GET', path: '/tenders/{id}/marks', function: 'documents', role: 'buyer', owner: true, summary: 'The marks and other analysis input last recorded with PUT, as stored (404 until recorded)' },
  { operationId: 'analyseOffers', method: 'POST', path: '/tenders/{id}/analysis', function: 'documents', role: 'buyer', owner: true, summary: 'Analyse the stored bids with the recorded marks: summary, RAO per lot, award data, as short-lived links' },
  { operationId: 'regenerateTender', method: 'POST', path: '/tenders/{id}/regenerate', function: 'documents', role: 'reader', owner: true, summary: 'Rebuild the documents from the record and compare them byte for byte (writes nothing)' },
  { operationId: 'listDrafts', method: 'GET', path: '/drafts', function: 'drafts', role: 'buyer', owner: false, summary: "The caller's named drafts, most recently updated first, with a search (`?q=`) and a status filter" },
  { operationId: 'createDraft', method: 'POST', path: '/drafts', function: 'drafts', role: 'buyer', owner: false, summary: 'Save a request, possibly incomplete, as a new named draft' },
  { operationId: 'getDraft', method: 'GET', path: '/drafts/{id}', function: 'drafts', role: 'buyer', owner: false, summary: 'One of the caller’s drafts, with its ETag' },
  { operationId: 'replaceDraft', method: 'PUT', path: '/drafts/{id}', function: 'drafts', role: 'buyer', owner: false, summary: 'Save (or rename) a draft as its next version (If-Match required)' },
  { operationId: 'deleteDraft', method: 'DELETE', path: '/drafts/{id}', function: 'drafts', role: 'buyer', owner: false, summary: 'Delete a draft (If-Match required)' },
] as const satisfies readonly RouteDefinition[];

export type OperationId = (typeof ROUTES)[number]['operationId'];

export type Access = 'none' | 'read' | 'read-write';

export interface FunctionDefinition {
  description: string;
  /** DynamoDB table access. */
  table: Access;
  /** S3 access to the bucket's `bucketPrefix` (presigning a GET needs read). */
  bucket: Access;
  /** The bucket prefix the function may reach; `tenders/` when absent. */
  bucketPrefix?: string;
  /** Sizing hints for the infrastructure. */
  memoryMb: number;
  timeoutSeconds: number;
}

/** What each function needs, for least-privilege roles and sizing in the CDK stack. */
export const FUNCTIONS: Record<FunctionName, FunctionDefinition> = {
  health: { description: 'Liveness probe', table: 'none', bucket: 'none', memoryMb: 128, timeoutSeconds: 3 },
  openapi: { description: 'OpenAPI document', table: 'none', bucket: 'none', memoryMb: 256, timeoutSeconds: 5 },
  'catalogue-read': { description: 'Frameworks, criteria, items and offers (read)', table: 'read', bucket: 'none', memoryMb: 256, timeoutSeconds: 10 },
  'criteria-write': { description: 'Criterion, item and offer versions and framework publication', table: 'read-write', bucket: 'none', memoryMb: 256, timeoutSeconds: 10 },
  tenders: { description: 'Generation, records, documents and validation of tenders', table: 'read-write', bucket: 'read-write', memoryMb: 1024, timeoutSeconds: 29 },
  documents: { description: 'Office formats (Word, Excel, DCE zip) rendered apart, tender audits and offer analyses', table: 'read-write', bucket: 'read-write', memoryMb: 1536, timeoutSeconds: 29 },
  drafts: { description: 'Buyers’ named drafts', table: 'read-write', bucket: 'none', memoryMb: 256, timeoutSeconds: 10 },
  catalogues: { description: 'Stored catalogues, their conformity reports and the product sheet templates', table: 'read-write', bucket: 'read-write', bucketPrefix: 'catalogues/', memoryMb: 1024, timeoutSeconds: 29 },
};

/** API Gateway's route key, e.g. "GET /criteria/{id}"; also `event.routeKey` in the Lambda. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export type RouteMatch =
  | { kind: 'route'; route: RouteDefinition; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

const compiled = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z]+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route: route as RouteDefinition, names, pattern: new RegExp(`^${source}$`) };
});

/**
 * The route a request path matches, the way API Gateway chooses: a literal segment wins over a
 * parameter (`/tenders/validate` is not `/tenders/{id}`). Parameters are percent-decoded.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  // HEAD is answered wherever GET is (the CDK stack adds a HEAD route beside each GET route).
  if (method === 'HEAD') method = 'GET';
  const candidates = compiled
    .map((c) => ({ ...c, match: c.pattern.exec(rawPath) }))
    .filter((c) => c.match !== null)
    .sort((a, b) => a.names.length - b.names.length);
  if (candidates.length === 0) return { kind: 'not-found' };
  const chosen = candidates.find((c) => c.route.method === method);
  if (!chosen) {
    const methods = new Set<string>(candidates.map((c) => c.route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return { kind: 'method-not-allowed', allow: [...methods, 'OPTIONS'] };
  }
  const params: Record<string, string> = {};
  for (const [i, name] of chosen.names.entries()) {
    try {
      params[name] = decodeURIComponent(chosen.match![i + 1]!);
    } catch {
      return { kind: 'not-found' };
    }
  }
  return { kind: 'route', route: chosen.route, params };
}
