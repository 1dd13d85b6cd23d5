import * as z from 'zod';
import { DomainError, NotFoundError, RulesBlockedError, ValidationError } from '#src/core/model/errors.ts';
import { FindingSchema } from '#src/core/model/findings.ts';
import { AlreadyExistsError, IdempotencyKeyReusedError, StaleContentError, StaleRowsError, VersionConflictError } from '#src/app/errors.ts';
import { HttpError } from './errors.ts';
import { BidFileError } from '#src/core/offers/errors.ts';

/** RFC 9457 problem details, as every error response of the API carries them. */
export const ProblemSchema = z
  .object({
    type: z.string().describe('URN naming the kind of problem, e.g. urn:cahier:problem:validation-failed'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().describe('The request path'),
    requestId: z.string().describe('Quote it when reporting a problem; the logs carry it'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('Field problems (422)'),
    findings: z.array(FindingSchema).optional().describe('Rule findings that block generation (422)'),
  })
  .describe('RFC 9457 problem details');
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  problem: Problem;
  /** Whether the error is a fault of ours or of a dependency, to be logged with its stack. */
  fault: boolean;
}

/**
 * The one mapping from errors to HTTP. Domain and protocol errors keep their message (written
 * for callers); anything else is a 500 (or a 503 when DynamoDB or S3 cannot be reached) whose
 * body says nothing about internals, only the request id to find it in the logs.
 */
/** A refused file's status and problem, by whose file it is: a bidder's, or a supplier's product sheet. */
const FILE_PROBLEMS = {
  bid: {
    'too-large': [413, 'bid-file-too-large', 'Bid file too large', 'a bidder’s file was refused; the reason can be forwarded to the bidder'],
    unsupported: [415, 'bid-file-unsupported', 'Unsupported bid file', 'a bidder’s file was refused; the reason can be forwarded to the bidder'],
  },
  product: {
    'too-large': [413, 'product-file-too-large', 'Product file too large', 'a product file was refused; the reason can be forwarded to its supplier'],
    unsupported: [415, 'product-file-unsupported', 'Unsupported product file', 'a product file was refused; the reason can be forwarded to its supplier'],
  },
  criteria: {
    'too-large': [413, 'criteria-file-too-large', 'Criteria sheet too large', 'the criteria sheet was refused: send the workbook as exported, edited'],
    unsupported: [415, 'criteria-file-unsupported', 'Unsupported criteria sheet', 'the criteria sheet was refused: send the workbook as exported, edited'],
  },
} as const;

export function toProblem(error: unknown, context: { requestId: string; instance?: string }): ProblemResponse {
  const base = { requestId: context.requestId, ...(context.instance ? { instance: context.instance } : {}) };
  const make = (status: number, slug: string, title: string, detail?: string, extra: Partial<Problem> = {}, headers: Record<string, string> = {}) => ({
    status,
    headers,
    fault: status >= 500,
    problem: { type: `urn:cahier:problem:${slug}`, title, status, ...(detail !== undefined ? { detail } : {}), ...base, ...extra },
  });

  if (error instanceof HttpError) return make(error.status, error.slug, error.title, error.message, {}, error.headers);
  if (error instanceof DomainError) {
    if (error instanceof BidFileError && error.problem !== 'invalid') {
      const [status, slug, title, detail] = FILE_PROBLEMS[error.source][error.problem];
      return make(status, slug, title, detail, {
        errors: error.issues.map((i) => ({ path: i.path, message: i.message })),
      });
    }
    if (error instanceof ValidationError) {
      return make(422, 'validation-failed', 'Validation failed', 'the request does not fit the schema or names unknown things', {
        errors: error.issues.map((i) => ({ path: i.path, message: i.message })),
      });
    }
    if (error instanceof RulesBlockedError) {
      return make(422, 'rules-blocked', 'Blocked by the rules', 'legal errors forbid generating this tender as it stands', {
        findings: [...error.findings],
      });
    }
    if (error instanceof NotFoundError) return make(404, 'not-found', 'Not found', error.message);
    if (error instanceof VersionConflictError) {
      return make(412, 'version-conflict', 'Precondition failed', `the version you edited is not the latest${
        error.actualVersion ? ` (latest is ${error.actualVersion})` : ''
      }: read it again and reapply your change`);
    }
    if (error instanceof StaleContentError) {
      return error.required
        ? make(428, 'precondition-required', 'Precondition required', error.message)
        : make(412, 'version-conflict', 'Precondition failed', error.message);
    }
    if (error instanceof IdempotencyKeyReusedError) {
      return make(422, 'idempotency-key-reused', 'Idempotency key reused', 'this Idempotency-Key was already used for a different request');
    }
    if (error instanceof AlreadyExistsError) return make(409, 'conflict', 'Conflict', error.message);
    if (error instanceof StaleRowsError) {
      return make(409, 'stale-rows', 'Conflict', error.message, { errors: error.issues.map((i) => ({ path: i.path, message: i.message })) });
    }
    return make(409, 'conflict', 'Conflict', error.message);
  }
  if (isDependencyUnavailable(error)) {
    return make(503, 'service-unavailable', 'Service unavailable', 'storage is unavailable; retry later', {}, { 'retry-after': '5' });
  }
  return make(500, 'internal-error', 'Internal error', 'an unexpected error occurred; quote the request id');
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Service answers that mean "not now" rather than "wrong request". */
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalError',
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/**
 * DynamoDB or S3 could not be reached or answered with a server-side fault (after the SDK's own
 * retries): a transient outage, not a bug. Looks through `cause` and AggregateError members,
 * since Node reports a refused connection to a dual-stack host as an AggregateError.
 */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== 'object') return false;
  const e = error as { code?: unknown; name?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (e.$metadata !== undefined && (e.$fault === 'server' || (e.$metadata.httpStatusCode ?? 0) >= 500)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDependencyUnavailable(inner, depth + 1))) return true;
  return isDependencyUnavailable(e.cause, depth + 1);
}
