import type * as z from 'zod';
import { issuesFromZod, ValidationError } from '#src/core/model/errors.ts';
import type { Caller } from './auth.ts';
import { httpErrors } from './errors.ts';
import type { RouteDefinition } from './routes.ts';
import type { MetricsRecorder } from '#src/adapters/observability/telemetry.ts';

/** Bodies above this are refused with 413 before parsing (a tender record must fit a DynamoDB item). */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Deepest nesting of arrays and objects a body may have. The deepest valid request is about 6
 * levels (lots → overrides → metric → options); 64 leaves room for any schema to come while
 * keeping every recursive walk of a parsed body (JSON.stringify, zod, canonical JSON) far from the
 * stack limit, which a 60 KB body of 10 000 nested objects reaches.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of `[` and `{` in JSON text, counted on the bytes without parsing or
 * recursing (brackets inside strings do not count); stops as soon as `limit` is exceeded.
 * Malformed text is left to JSON.parse: this only bounds the depth.
 */
export function jsonDepthExceeds(bytes: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > limit) return true;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}

/**
 * Bounds every request body before anything reads it, whatever the route: 413 over
 * MAX_BODY_BYTES, 400 when nested deeper than MAX_JSON_DEPTH. Runs in the function handler, so
 * the Lambdas and the local server (which calls the same handlers) refuse alike.
 */
export function checkBodyBounds(body: Buffer | undefined): void {
  if (body === undefined) return;
  if (body.byteLength > MAX_BODY_BYTES) throw httpErrors.payloadTooLarge(MAX_BODY_BYTES);
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) throw httpErrors.jsonTooDeep(MAX_JSON_DEPTH);
}

/** A request as an operation sees it, whatever carried it (API Gateway event, local server). */
export interface ApiRequest {
  route: RouteDefinition;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer | undefined;
  requestId: string;
  /** Present on every route that is not public (authorize() ran before the operation). */
  caller: Caller | undefined;
  observe: RequestObserver;
}

/** What an operation tells the logs and metrics of its request. */
export interface RequestObserver {
  /** The request's later log lines carry this tender id (a new tender's, once generated). */
  tenderId(id: string): void;
  metric: MetricsRecorder['add'];
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON; absent for an empty body (e.g. a redirect). */
  body?: unknown;
  /** A text body sent as is (a CSV export), with the content type the headers give. */
  raw?: string | Uint8Array;
}

export type Operation = (request: ApiRequest) => Promise<ApiResponse>;

/** The caller of a route that required a role. */
export function callerOf(request: ApiRequest): Caller {
  if (!request.caller) throw httpErrors.unauthorized();
  return request.caller;
}

/** The JSON body: 413 over the limit, 415 for another media type, 400 when missing or malformed. */
export function jsonBody(request: ApiRequest): unknown {
  const body = request.body;
  checkBodyBounds(body);
  const type = request.headers['content-type'];
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i.test(type.trim())) {
    throw httpErrors.unsupportedMediaType();
  }
  if (body === undefined || body.byteLength === 0) throw httpErrors.malformedJson('a JSON body is required');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw httpErrors.malformedJson('the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw httpErrors.malformedJson();
  }
}

/** The JSON body validated by `schema`: 422 with field paths when it does not fit. */
export function parseBody<T>(request: ApiRequest, schema: z.ZodType<T>): T {
  return validate(jsonBody(request), schema);
}

/** Query parameters validated by `schema`: 422 with the parameter names as paths. */
export function parseQuery<T>(request: ApiRequest, schema: z.ZodType<T>): T {
  return validate(request.query, schema);
}

export function validate<T>(value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  return parsed.data;
}

/** Strong entity tag of a versioned resource. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The conditional headers of a write: none, `If-None-Match: *` (create), or the entity tags of
 * `If-Match`. 428 for `If-Match: *` (it protects against no lost update); 400 when the header is
 * not a list of entity tags.
 */
export function conditionalTags(request: ApiRequest): { kind: 'none' } | { kind: 'create' } | { kind: 'match'; tags: string[] } {
  const ifMatch = request.headers['if-match']?.trim();
  if (ifMatch === undefined || ifMatch === '') return request.headers['if-none-match']?.trim() === '*' ? { kind: 'create' } : { kind: 'none' };
  if (ifMatch === '*') throw httpErrors.preconditionRequired('If-Match: * does not protect against lost updates; send the ETag you read');
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.some((t) => !/^(?:W\/)?"[\x21\x23-\x7e]*"$/.test(t))) throw httpErrors.badRequest('If-Match must list entity tags such as "3"');
  return { kind: 'match', tags };
}

/**
 * The version an editor read, from the conditional headers of a write: `If-Match: "<version>"`,
 * or `If-None-Match: *` to create (version 0). 428 when neither is given; 412 when the tag can
 * name no version (a weak tag, `*`, a foreign tag); 400 when the header is not an entity tag.
 */
export function expectedVersion(request: ApiRequest): number {
  const condition = conditionalTags(request);
  if (condition.kind === 'create') return 0;
  if (condition.kind === 'none') throw httpErrors.preconditionRequired('send If-Match with the ETag of the version you edited, or If-None-Match: * to create');
  const versions = condition.tags.map((t) => /^"([1-9]\d{0,9})"$/.exec(t)?.[1]).filter((v): v is string => v !== undefined);
  if (versions.length !== 1) throw httpErrors.preconditionFailed('If-Match names no single version of this resource');
  return Number(versions[0]);
}

/**
 * Whether an Accept header asks for JSON: `application/json` listed with a non-zero quality.
 * Wildcards do not count, so a browser following a link (which asks for HTML, then anything) still gets the redirect.
 */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'application/json') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
