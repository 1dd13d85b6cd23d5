import type { LambdaContext } from '#src/adapters/http/lambda-types.ts';
import { defaultTelemetry, describeFault, type Telemetry } from '#src/adapters/observability/telemetry.ts';
import { tenderIdOfJobKey } from '#src/app/ports/document-jobs.ts';
import { TenderIdSchema } from '#src/app/tender-ids.ts';
import type { DeferredRenderOutcome } from '#src/app/render-deferred.ts';

/**
 * A job event: EventBridge's « Object Created » event of the documents bucket for a key under
 * `document-jobs/` (what the rule delivers in AWS), or `{ tenderId }` (a direct invocation, e.g. an
 * operator re-running a job with `aws lambda invoke`).
 */
export type DocumentJobEvent = { 'detail-type'?: string; detail?: { object?: { key?: unknown } } } | { tenderId?: unknown };

/** The tender a job event names; undefined for an event that is not a job. */
export function tenderIdOfJobEvent(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const direct = (event as { tenderId?: unknown }).tenderId;
  if (typeof direct === 'string') return TenderIdSchema.safeParse(direct).success ? direct : undefined;
  const key = (event as { detail?: { object?: { key?: unknown } } }).detail?.object?.key;
  // S3 event keys are URL-encoded; job keys hold only [A-Za-z0-9_-./], which encoding leaves as they are.
  return typeof key === 'string' ? tenderIdOfJobKey(key) : undefined;
}

export type DocumentJobHandler = (event: unknown, context?: LambdaContext) => Promise<{ tenderId: string; outcome: DeferredRenderOutcome } | { ignored: true }>;

/**
 * The documents function's job entry: the tender id from the event, then `run` (renderDeferredDocuments
 * over the function's ports). An event that names no job is logged and ignored (not retried); a job
 * that throws (its record unreadable, the table unavailable) is logged and rethrown, so that
 * Lambda's asynchronous retries run it again.
 */
export function createDocumentJobHandler(run: (tenderId: string) => Promise<DeferredRenderOutcome>, telemetry: Telemetry = defaultTelemetry()): DocumentJobHandler {
  return async (event, context) => {
    const started = performance.now();
    const keys = { function: 'documents', ...(context?.awsRequestId ? { lambdaRequestId: context.awsRequestId } : {}) };
    const tenderId = tenderIdOfJobEvent(event);
    if (tenderId === undefined) {
      telemetry.log('warn', 'not a document job', keys);
      return { ignored: true };
    }
    try {
      const outcome = await run(tenderId);
      telemetry.log(outcome === 'failed' ? 'warn' : 'info', 'document job', { ...keys, tenderId, outcome, durationMs: Math.round(performance.now() - started) });
      return { tenderId, outcome };
    } catch (error) {
      telemetry.log('error', 'fault', { ...keys, tenderId, error: describeFault(error) });
      throw error;
    } finally {
      telemetry.metrics.flush();
    }
  };
}
