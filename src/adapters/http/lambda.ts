import { randomUUID } from 'node:crypto';
import { authorize, callerFromClaims, tokenTimeProblem } from './auth.ts';
import { httpErrors } from './errors.ts';
import type { HttpApiEvent, HttpApiHandler, HttpApiResult, LambdaContext } from './lambda-types.ts';
import { API_SECURITY_HEADERS } from './headers.ts';
import { PROBLEM_MEDIA_TYPE, toProblem } from './problem.ts';
import { checkBodyBounds, type ApiRequest, type ApiResponse, type Operation } from './request.ts';
import { ROUTES, routeKey, type FunctionName, type OperationId, type RouteDefinition } from './routes.ts';
import { METRICS } from '#src/adapters/observability/metric-names.ts';
import { defaultTelemetry, describeFault, type Telemetry } from '#src/adapters/observability/telemetry.ts';

export type Operations = Partial<Record<OperationId, Operation>>;

/**
 * The Lambda handler of one function of the route table: picks the operation by `routeKey`,
 * re-checks the caller's role from the JWT claims the authorizer verified, runs the operation and
 * maps any error through the one problem mapper. Every route of `name` must have an operation.
 *
 * Each request leaves one log line (`request`: route, status, duration) and a fault one more
 * (`fault`, with the error's class and stack), both carrying the API's request id, the Lambda
 * request id and the tender id when there is one; 4xx and 5xx answers are counted
 * (METRICS.http4xx, METRICS.http5xx), and the metrics the operation added are published at the end.
 */
export function createFunctionHandler(name: FunctionName, operations: Operations, telemetry: Telemetry = defaultTelemetry()): HttpApiHandler {
  const table = new Map<string, { route: RouteDefinition; operation: Operation }>();
  for (const route of ROUTES.filter((r) => r.function === name)) {
    const operation = operations[route.operationId];
    if (!operation) throw new Error(`function ${name} has no operation for ${route.operationId}`);
    table.set(routeKey(route), { route, operation });
  }

  return async (event: HttpApiEvent, context?: LambdaContext): Promise<HttpApiResult> => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId || randomUUID();
    const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
    // Correlation ids of every line of this request; the operation adds the tender id it learns.
    const keys: Record<string, string> = { function: name, requestId, routeKey: event.routeKey };
    if (context?.awsRequestId) keys.lambdaRequestId = context.awsRequestId;
    if (event.pathParameters?.id && event.routeKey.includes('/tenders/{id}')) keys.tenderId = event.pathParameters.id;
    const done = (result: HttpApiResult): HttpApiResult => {
      if (result.statusCode >= 500) telemetry.metrics.add(METRICS.http5xx, 'Count', 1);
      else if (result.statusCode >= 400) telemetry.metrics.add(METRICS.http4xx, 'Count', 1);
      telemetry.log('info', 'request', { ...keys, status: result.statusCode, durationMs: Math.round(performance.now() - started) });
      telemetry.metrics.flush();
      return result;
    };
    // HEAD is GET without a body: API Gateway has a HEAD route beside each GET one (same function).
    const head = event.routeKey.startsWith('HEAD ');
    try {
      const entry = table.get(head ? `GET ${event.routeKey.slice('HEAD '.length)}` : event.routeKey);
      if (!entry) throw httpErrors.routeNotFound(path);
      const claims = event.requestContext.authorizer?.jwt?.claims;
      const timeProblem = claims ? tokenTimeProblem(claims, Date.now() / 1000) : undefined;
      if (timeProblem) throw httpErrors.unauthorized(timeProblem);
      const caller = authorize(entry.route.role, callerFromClaims(claims));
      const request: ApiRequest = {
        route: entry.route,
        params: defined(event.pathParameters),
        query: defined(event.queryStringParameters),
        headers: Object.fromEntries(Object.entries(defined(event.headers)).map(([k, v]) => [k.toLowerCase(), v])),
        body: event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
        requestId,
        caller,
        observe: {
          tenderId: (id) => (keys.tenderId = id),
          metric: (...args) => telemetry.metrics.add(...args),
        },
      };
      checkBodyBounds(request.body);
      return done(withoutBody(toResult(await entry.operation(request), requestId), head));
    } catch (error) {
      const { status, headers, problem, fault } = toProblem(error, { requestId, instance: path });
      if (fault) telemetry.log('error', 'fault', { ...keys, status, error: describeFault(error) });
      return done(withoutBody(
        {
          statusCode: status,
          headers: { ...API_SECURITY_HEADERS, ...headers, 'content-type': PROBLEM_MEDIA_TYPE, 'cache-control': 'no-store', 'x-request-id': requestId },
          body: JSON.stringify(problem),
        },
        head,
      ));
    }
  };
}

/**
 * Operations of `name` whose module is loaded by the first request that runs one of them, not by
 * the cold start. In a single-file Lambda bundle a module reached only through `import()` is
 * evaluated when that import runs: the tenders function thus imports in a fraction of the time,
 * and its first request pays the rest once (use cases, rules, templates). `load` is retried
 * after a failure instead of caching it.
 */
export function lazyOperations(name: FunctionName, load: () => Promise<Operations>): Operations {
  let loaded: Promise<Operations> | undefined;
  const operations = (): Promise<Operations> => {
    if (!loaded) {
      loaded = load();
      loaded.catch(() => (loaded = undefined));
    }
    return loaded;
  };
  return Object.fromEntries(
    ROUTES.filter((r) => r.function === name).map((route): [OperationId, Operation] => [
      route.operationId,
      async (request) => {
        const operation = (await operations())[route.operationId];
        if (!operation) throw new Error(`function ${name} has no operation for ${route.operationId}`);
        return operation(request);
      },
    ]),
  );
}

/** A HEAD answer: the GET answer's headers (its length included), no body. */
function withoutBody(result: HttpApiResult, head: boolean): HttpApiResult {
  if (!head || result.body === undefined) return result;
  const { body, isBase64Encoded: base64, ...rest } = result;
  const length = base64 === true ? Buffer.from(body, 'base64').byteLength : Buffer.byteLength(body, 'utf8');
  return { ...rest, headers: { ...rest.headers, 'content-length': String(length) } };
}

function toResult(response: ApiResponse, requestId: string): HttpApiResult {
  const headers: Record<string, string> = { ...API_SECURITY_HEADERS, 'cache-control': 'no-store', 'x-request-id': requestId, ...response.headers };
  // Bytes (a workbook) go base64-encoded, as API Gateway expects a binary body from a Lambda.
  if (response.raw instanceof Uint8Array) return { statusCode: response.status, headers, body: Buffer.from(response.raw).toString('base64'), isBase64Encoded: true };
  if (response.raw !== undefined) return { statusCode: response.status, headers, body: response.raw };
  if (response.body === undefined) return { statusCode: response.status, headers };
  return {
    statusCode: response.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(response.body),
  };
}

function defined(record: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
}
