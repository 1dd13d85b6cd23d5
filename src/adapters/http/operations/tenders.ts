import { evaluateTender, parseTenderRequest } from '#src/app/generate-documents.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { generateTender, getTender, listTenderSummaries, regenerateTender, tenderDocumentLink, type TenderDeps, type TenderRecheck } from '#src/app/generate-tender.ts';
import { memoisedRecheck } from '#src/app/recheck-memo.ts';
import type { TenderRecord, TenderSummary } from '#src/app/tender-record.ts';
import { tenderDcePieces } from '#src/app/dce-pieces.ts';
import { unzipOwnArchive } from '#src/adapters/files/safe-zip.ts';
import { IdempotencyKeySchema } from '#src/app/tender-record.ts';
import { RulesBlockedError } from '#src/core/model/errors.ts';
import { estimateValue } from '#src/core/rules/estimated-value.ts';
import { METRICS, RULE_ERROR_DIMENSION } from '#src/adapters/observability/metric-names.ts';
import { viewerOf } from '#src/adapters/http/auth.ts';
import { httpErrors } from '#src/adapters/http/errors.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { acceptsJson, callerOf, jsonBody, parseQuery, type ApiRequest } from '#src/adapters/http/request.ts';
import {
  dcePiecesView,
  documentLinkView,
  PageQuerySchema,
  regenerationView,
  splitFormats,
  TenderFormatsQuerySchema,
  tenderCreatedView,
  tenderSummaryView,
  tenderView,
  validationView,
} from '#src/adapters/http/schemas.ts';

/** Tenders: generation (idempotent per caller), records, document links, dry-run validation, audit. */
export function tenderOperations(deps: TenderDeps): Operations {
  // One memo per composition (per Lambda instance): reads of a tender already re-checked cost no rule evaluation.
  const memo = memoisedRecheck(deps);
  /** A stored tender's findings under today's rules; undefined when its framework version left the catalogue (the record stays readable). */
  const resolvable = (recheck: Promise<TenderRecheck>): Promise<TenderRecheck | undefined> =>
    recheck.catch((error: unknown) => {
      if (error instanceof ValidationError) return undefined;
      throw error;
    });
  const recheckIfResolvable = (record: TenderRecord) => resolvable(memo.recheck(record));
  const recheckListedIfResolvable = (summary: TenderSummary) => resolvable(memo.recheckListed(summary, (id) => deps.tenders.get(id)));
  return {
    async createTender(request) {
      const caller = callerOf(request);
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IdempotencyKeySchema.safeParse(key).success) {
        throw httpErrors.badRequest('Idempotency-Key must be 1 to 255 printable ASCII characters');
      }
      const body = jsonBody(request);
      const formats = splitFormats(parseQuery(request, TenderFormatsQuerySchema).formats);
      const started = performance.now();
      const outcome = await generateTender(
        {
          request: body,
          owner: caller.subject,
          ...(key !== undefined ? { idempotencyKey: key } : {}),
          ...(formats !== undefined ? { formats } : {}),
        },
        deps,
      ).catch((error: unknown) => {
        if (error instanceof RulesBlockedError) countRuleErrors(request.observe, error);
        throw error;
      });
      request.observe.tenderId(outcome.record.id);
      if (outcome.created) {
        request.observe.metric(METRICS.tendersGenerated, 'Count', 1);
        request.observe.metric(METRICS.generationTime, 'Milliseconds', Math.round(performance.now() - started));
        request.observe.metric(METRICS.documentBytes, 'Bytes', outcome.record.documents.reduce((sum, d) => sum + d.bytes, 0));
      }
      const headers: Record<string, string> = { location: `/tenders/${outcome.record.id}` };
      if (!outcome.created) headers['idempotent-replayed'] = 'true';
      return { status: 201, headers, body: tenderCreatedView(outcome) };
    },

    async listTenders(request) {
      const page = await listTenderSummaries(viewerOf(callerOf(request)), parseQuery(request, PageQuerySchema), deps);
      // Each row says whether its findings changed under today's rules (at most a page of re-checks, run together, each memoised).
      const rechecks = await Promise.all(page.items.map(recheckListedIfResolvable));
      return { status: 200, body: { items: page.items.map((record, i) => tenderSummaryView(record, rechecks[i])), ...(page.cursor ? { cursor: page.cursor } : {}) } };
    },

    async validateTender(request) {
      const { tender, rules } = await evaluateTender(parseTenderRequest(jsonBody(request)), deps.catalogue);
      return { status: 200, body: validationView(rules, estimateValue(tender)) };
    },

    async getTender(request) {
      const record = await getTender(request.params.id ?? '', viewerOf(callerOf(request)), deps);
      return { status: 200, body: tenderView(record, await recheckIfResolvable(record)) };
    },

    async getTenderDocument(request) {
      const link = await tenderDocumentLink(request.params.id ?? '', request.params.name ?? '', viewerOf(callerOf(request)), deps);
      // Browsers cannot follow the redirect usefully from fetch (the Authorization header must not
      // reach the bucket, whose CORS allows plain GETs from the web origins only): a client that
      // asks for JSON gets the link instead.
      const headers: Record<string, string> = { vary: 'Accept' };
      if (acceptsJson(request.headers.accept)) return { status: 200, headers, body: documentLinkView(link) };
      return { status: 302, headers: { ...headers, location: link.url } };
    },

    async getTenderDce(request) {
      const pieces = await tenderDcePieces(request.params.id ?? '', viewerOf(callerOf(request)), deps, unzipOwnArchive);
      return { status: 200, body: dcePiecesView(pieces) };
    },

    async regenerateTender(request) {
      const result = await regenerateTender(request.params.id ?? '', viewerOf(callerOf(request)), deps);
      return { status: 200, body: regenerationView(result) };
    },
  };
}

/** One count per blocking finding, in the series of its code. */
function countRuleErrors(observe: ApiRequest['observe'], error: RulesBlockedError): void {
  const counts = new Map<string, number>();
  for (const f of error.findings) if (f.severity === 'error') counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  for (const [code, n] of counts) observe.metric(METRICS.ruleErrors, 'Count', n, { name: RULE_ERROR_DIMENSION, value: code });
}

