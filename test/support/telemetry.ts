import type { MetricName, MetricUnitName } from '#src/adapters/observability/metric-names.ts';
import type { LogLevel, Telemetry } from '#src/adapters/observability/telemetry.ts';

export interface LoggedLine extends Record<string, unknown> {
  level: LogLevel;
  message: string;
}

export interface RecordedMetric {
  name: MetricName;
  unit: MetricUnitName;
  value: number;
  dimension?: { name: string; value: string };
}

/** Telemetry that keeps every log line and metric in memory, for assertions. */
export function captureTelemetry(): { telemetry: Telemetry; logs: LoggedLine[]; metrics: RecordedMetric[] } {
  const logs: LoggedLine[] = [];
  const metrics: RecordedMetric[] = [];
  return {
    logs,
    metrics,
    telemetry: {
      log: (level, message, fields) => logs.push({ level, message, ...fields }),
      metrics: {
        add: (name, unit, value, dimension) => metrics.push({ name, unit, value, ...(dimension ? { dimension } : {}) }),
        flush: () => undefined,
      },
    },
  };
}
