import { collectGarbage, type GarbageReport } from '#src/app/collect-garbage.ts';
import { failStalledRenderings } from '#src/app/fail-stalled-renderings.ts';
import type { DocumentStore } from '#src/app/ports/document-store.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import type { CatalogueRecords } from '#src/app/ports/catalogue-records.ts';
import type { LambdaContext } from '#src/adapters/http/lambda-types.ts';
import { METRICS } from '#src/adapters/observability/metric-names.ts';
import { defaultTelemetry, describeFault, type Telemetry } from '#src/adapters/observability/telemetry.ts';

/** The event of the hourly rule (infra/constructs/gc-schedule.ts): only the stalled renderings, not the whole cleanup. */
export const RENDERINGS_SWEEP_EVENT = { sweep: 'renderings' } as const;

/** What a renderings-only run did (the hourly rule). */
export interface RenderingsSweepReport {
  sweep: 'renderings';
  renderingsStalled: number;
  renderingsFailed: number;
}

export type GcHandler = (event?: unknown, context?: LambdaContext) => Promise<GarbageReport | RenderingsSweepReport>;

/**
 * The scheduled gc function (EventBridge). Daily, any event but the hourly one: collectGarbage
 * over the deployed table and bucket, as `cahier gc` does, writing. Hourly, RENDERINGS_SWEEP_EVENT:
 * only failStalledRenderings (a Query of the pending renderings), so that a buyer waits hours, not
 * a day, to learn that a rendering failed. Counts go to the metrics every run, zeros included, so
 * that the orphan alarm reads a value each day; a failure is logged and rethrown, so that Lambda
 * counts an error (the gc-failed alarm) and EventBridge retries. `pendingRenderingMaxAgeSeconds`
 * is the stage's bound (PENDING_RENDERING_MAX_AGE_SECONDS when absent).
 */
export function createGcHandler(
  ports: { tenders: TenderRepository; documents: DocumentStore; catalogueRecords: Pick<CatalogueRecords, 'get'>; clock: Clock },
  telemetry: Telemetry = defaultTelemetry(),
  options: { pendingRenderingMaxAgeSeconds?: number | undefined } = {},
): GcHandler {
  return async (event, context) => {
    const started = performance.now();
    const keys = { function: 'gc', ...(context?.awsRequestId ? { lambdaRequestId: context.awsRequestId } : {}) };
    const { metrics } = telemetry;
    try {
      let report: GarbageReport | RenderingsSweepReport;
      if (isRenderingsSweep(event)) {
        const renderings = await failStalledRenderings(ports, { now: ports.clock.now(), dryRun: false, maxAgeSeconds: options.pendingRenderingMaxAgeSeconds });
        report = { sweep: 'renderings', renderingsStalled: renderings.stalled, renderingsFailed: renderings.failed };
      } else {
        report = await collectGarbage(ports, { now: ports.clock.now(), dryRun: false, pendingRenderingMaxAgeSeconds: options.pendingRenderingMaxAgeSeconds });
        metrics.add(METRICS.gcOrphanObjects, 'Count', report.orphanObjects);
        metrics.add(METRICS.gcOrphanBytes, 'Bytes', report.orphanBytes);
        metrics.add(METRICS.gcOrphansDeleted, 'Count', report.orphansDeleted);
        metrics.add(METRICS.gcClaimsCompleted, 'Count', report.claimsCompleted);
        metrics.add(METRICS.gcClaimsExpired, 'Count', report.claimsExpired);
      }
      metrics.add(METRICS.gcRenderingsStalled, 'Count', report.renderingsStalled);
      metrics.add(METRICS.gcRenderingsFailed, 'Count', report.renderingsFailed);
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

function isRenderingsSweep(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { sweep?: unknown }).sweep === RENDERINGS_SWEEP_EVENT.sweep;
}
