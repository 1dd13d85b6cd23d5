import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { XRayDaemon } from './xray-daemon.ts';

/**
 * An X-Ray subsegment per DynamoDB and S3 call, as an AWS SDK v3 middleware: what Powertools
 * Tracer's captureAWSv3Client gave (named after the service, `namespace: "aws"`, operation,
 * region, request id, retries, table or bucket, HTTP status, error/throttle/fault and the cause)
 * without the X-Ray SDK and its async-hook context (≈ 90 KiB minified in every function).
 * Written from the public segment document format (« AWS X-Ray segment documents »).
 *
 * Why the `build` step: it runs once per call, outside the retry loop (the retry middleware sits
 * in `finalizeRequest`), so one subsegment spans every attempt and its backoff, and the SDK's
 * `$metadata` (status, request id, attempts) is final when it returns or throws; a `deserialize`
 * or late `finalizeRequest` middleware would run once per attempt instead. Unlike `initialize`,
 * the HTTP request already exists there, so the same middleware sets the outgoing
 * `X-Amzn-Trace-Id` with the subsegment as parent; at priority `high` it runs before the SDK's
 * recursion-detection middleware (same step, priority `low`), which then leaves that header alone.
 */
export const XRAY_MIDDLEWARE_NAME = 'cahierXRaySubsegment';

/** The parsed trace header (`Root=1-…;Parent=…;Sampled=1`). */
export interface TraceContext {
  root: string;
  parent: string;
  sampled: boolean;
}

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;

/** Undefined unless the header names both a valid trace (Root) and a parent segment. */
export function parseTraceHeader(header: string | undefined): TraceContext | undefined {
  if (!header) return undefined;
  const fields = new Map<string, string>();
  for (const field of header.split(';')) {
    const eq = field.indexOf('=');
    if (eq > 0) fields.set(field.slice(0, eq).trim(), field.slice(eq + 1).trim());
  }
  const root = fields.get('Root');
  const parent = fields.get('Parent');
  if (!root || !TRACE_ID.test(root) || !parent || !SEGMENT_ID.test(parent)) return undefined;
  return { root, parent, sampled: fields.get('Sampled') === '1' };
}

/** One AWS call as the middleware saw it. */
export interface AwsCall {
  service: string;
  operation: string;
  region: string | undefined;
  startMs: number;
  endMs: number;
  input: unknown;
  status: number | undefined;
  requestId: string | undefined;
  extendedRequestId: string | undefined;
  attempts: number | undefined;
  error?: { name: string; message: string; fault: unknown; throttling: boolean; remote: boolean };
}

/**
 * Longest error message a subsegment carries. DynamoDB and S3 messages name parameters and
 * resources, not item values; the bound keeps any message from filling the datagram.
 */
export const MAX_CAUSE_MESSAGE = 1024;

/** A fresh 64-bit id, 16 hexadecimal digits, as X-Ray segment and exception ids are. */
export function newSegmentId(): string {
  return randomBytes(8).toString('hex');
}

/** The subsegment document of one call. Pure but for the exception id. */
export function awsCallSubsegment(call: AwsCall, trace: TraceContext, id: string): Record<string, unknown> {
  const status = call.status;
  const throttle = status === 429 || call.error?.throttling === true;
  const fault = status !== undefined ? status >= 500 : call.error !== undefined && call.error.fault !== 'client';
  // By the HTTP status when there is one (a thrown 304 is no error); without one, by the SDK's $fault.
  const error = !fault && (throttle || (status !== undefined ? status >= 400 : call.error !== undefined));
  const aws: Record<string, unknown> = {
    operation: call.operation,
    ...(call.region ? { region: call.region } : {}),
    ...(call.requestId ? { request_id: call.requestId } : {}),
    ...(call.extendedRequestId ? { id_2: call.extendedRequestId } : {}),
    ...(call.attempts ? { retries: call.attempts - 1 } : {}),
    ...resourcesOf(call.input),
  };
  return {
    type: 'subsegment',
    id,
    trace_id: trace.root,
    parent_id: trace.parent,
    name: call.service,
    namespace: 'aws',
    start_time: call.startMs / 1000,
    end_time: Math.max(call.endMs, call.startMs) / 1000,
    aws,
    ...(status !== undefined ? { http: { response: { status } } } : {}),
    ...(error ? { error: true } : {}),
    ...(throttle ? { throttle: true } : {}),
    ...(fault ? { fault: true } : {}),
    ...(call.error
      ? {
          cause: {
            exceptions: [
              {
                id: newSegmentId(),
                type: call.error.name.slice(0, 200),
                message: call.error.message.length > MAX_CAUSE_MESSAGE ? `${call.error.message.slice(0, MAX_CAUSE_MESSAGE - 1)}…` : call.error.message,
                remote: call.error.remote,
              },
            ],
          },
        }
      : {}),
  };
}

/** The table or bucket a call names, when its input says so directly (batches: every table). */
function resourcesOf(input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== 'object') return {};
  const i = input as { TableName?: unknown; Bucket?: unknown; RequestItems?: unknown; TransactItems?: unknown };
  if (typeof i.TableName === 'string') return { table_name: i.TableName };
  if (typeof i.Bucket === 'string') return { bucket_name: i.Bucket };
  if (i.RequestItems !== null && typeof i.RequestItems === 'object') return { table_names: Object.keys(i.RequestItems) };
  if (Array.isArray(i.TransactItems)) {
    const names = i.TransactItems.flatMap((item: unknown) =>
      Object.values((item ?? {}) as Record<string, { TableName?: unknown } | undefined>).flatMap((op) => (typeof op?.TableName === 'string' ? [op.TableName] : [])),
    );
    return { table_names: [...new Set(names)] };
  }
  return {};
}

export interface TraceAwsCallsOptions {
  daemon: XRayDaemon;
  /** The current invocation's trace header, read at each call (Lambda sets one per invocation). */
  traceHeader: () => string | undefined;
}

interface SdkMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  attempts?: number;
}

/**
 * Adds the subsegment middleware to a client (idempotent: a second call replaces it). Calls of a
 * trace that is not sampled, and presigned URLs (nothing goes on the wire), send nothing.
 */
export function traceAwsCalls<T extends DynamoDBClient | S3Client>(client: T, options: TraceAwsCallsOptions): T {
  const service = client.config.serviceId ?? 'AWS';
  let region: string | undefined;
  // Resolved once, off the request path: the provider is memoised and constant for a client.
  Promise.resolve()
    .then(() => client.config.region())
    .then((r) => void (region = r), () => undefined);

  // The two clients' stacks differ in their input and output types, so `add` on the union takes
  // no middleware; this one reads only what every SDK v3 call has.
  const stack = client.middlewareStack as unknown as {
    add(middleware: unknown, options: { step: 'build'; priority: 'high'; name: string; override: boolean; tags: string[] }): void;
  };
  stack.add(
    (next: (args: unknown) => Promise<{ response?: unknown; output?: { $metadata?: SdkMetadata } }>, context: { commandName?: string }) =>
      async (args: { input: unknown; request?: unknown }) => {
        let trace: TraceContext | undefined;
        try {
          trace = parseTraceHeader(options.traceHeader());
        } catch {
          trace = undefined;
        }
        if (!trace?.sampled) return next(args);
        const id = newSegmentId();
        const startMs = Date.now();
        setTraceHeader(args.request, `Root=${trace.root};Parent=${id};Sampled=1`);
        const emit = (metadata: SdkMetadata | undefined, status: number | undefined, error?: AwsCall['error']) => {
          try {
            const call: AwsCall = {
              service,
              operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
              region,
              startMs,
              endMs: Date.now(),
              input: args.input,
              status,
              requestId: metadata?.requestId,
              extendedRequestId: metadata?.extendedRequestId,
              attempts: metadata?.attempts,
              ...(error ? { error } : {}),
            };
            options.daemon.send(awsCallSubsegment(call, trace, id));
          } catch {
            // Tracing never fails a call.
          }
        };
        let result: Awaited<ReturnType<typeof next>>;
        try {
          result = await next(args);
        } catch (thrown) {
          const e = (thrown ?? {}) as { name?: unknown; message?: unknown; $metadata?: SdkMetadata; $fault?: unknown; $retryable?: { throttling?: unknown } };
          const status = e.$metadata?.httpStatusCode;
          emit(e.$metadata, status, {
            name: typeof e.name === 'string' ? e.name : 'Error',
            message: typeof e.message === 'string' ? e.message : String(thrown),
            fault: e.$fault,
            throttling: e.$retryable?.throttling === true,
            remote: status !== undefined,
          });
          throw thrown;
        }
        const status = (result?.response as { statusCode?: unknown } | undefined)?.statusCode;
        // A presigned URL returns without a response: no call was made.
        if (typeof status === 'number') emit(result.output?.$metadata, status);
        return result;
      },
    { step: 'build', priority: 'high', name: XRAY_MIDDLEWARE_NAME, override: true, tags: ['XRAY', 'TRACING'] },
  );
  return client;
}

/** Sets X-Amzn-Trace-Id, replacing any casing of it already there. */
function setTraceHeader(request: unknown, value: string): void {
  const headers = (request as { headers?: Record<string, string> } | undefined)?.headers;
  if (!headers) return;
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'x-amzn-trace-id') delete headers[name];
  headers['X-Amzn-Trace-Id'] = value;
}
