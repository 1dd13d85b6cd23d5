import { collectGarbage, type GarbageReport } from '#src/app/collect-garbage.ts';
import type { DocumentStore } from '#src/app/ports/document-store.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import type { LambdaContext } from '#src/adapters/http/lambda-types.ts';
import { METRICS } from '#src/adapters/observability/metric-names.ts';
import { defaultTelemetry, describeFault, type Telemetry } from '#src/adapters/observability/telemetry.ts';

export type GcHandler = (event?: unknown, context?: LambdaContext) => Promise<GarbageReport>;

/**
 * The scheduled gc function (daily, EventBridge): collectGarbage over the deployed table and
 * bucket, as `cahier gc` does, writing. The event says nothing it needs (the clock gives the
 * time). Its counts go to the metrics every run, zeros included, so that the orphan alarm reads a
 * value each day; a failure is logged and rethrown, so that Lambda counts an error (the gc-failed
 * alarm) and EventBridge retries.
 */
export function createGcHandler(ports: { tenders: TenderRepository; documents: DocumentStore; clock: Clock }, telemetry: Telemetry = defaultTelemetry()): GcHandler {
  return async (_event, context) => {
    const started = performance.now();
    const keys = { function: 'gc', ...(context?.awsRequestId ? { lambdaRequestId: context.awsRequestId } : {}) };
    try {
      const report = await collectGarbage(ports, { now: ports.clock.now(), dryRun: false });
      const { metrics } = telemetry;
      metrics.add(METRICS.gcOrphanObjects, 'Count', report.orphanObjects);
      metrics.add(METRICS.gcOrphanBytes, 'Bytes', report.orphanBytes);
      metrics.add(METRICS.gcOrphansDeleted, 'Count', report.orphansDeleted);
      metrics.add(METRICS.gcClaimsCompleted, 'Count', report.claimsCompleted);
      metrics.add(METRICS.gcClaimsExpired, 'Count', report.claimsExpired);
      telemetry.log('info', 'gc', { ...keys, ...report, durationMs: Math.round(performance.now() - started) });
      return report;
    } catch (error) {
      telemetry.log('error', 'fault', { ...keys, error: describeFault(error) });
      throw error;
    } finally {
      telemetry.metrics.flush();
    }
  };
}
