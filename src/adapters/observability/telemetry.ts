import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME, type MetricName, type MetricUnitName } from './metric-names.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the adapters log: one JSON object per line, its correlation ids among `fields`. */
export type Log = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;

/** Where the adapters count. */
export interface MetricsRecorder {
  /** Adds a value to this invocation's metrics; with a dimension, the value is published at once in its own series. */
  add(name: MetricName, unit: MetricUnitName, value: number, dimension?: { name: string; value: string }): void;
  /** Publishes what `add` stored (once per invocation, at its end). */
  flush(): void;
}

/**
 * Logs and metrics of one process. Powertools Logger and Metrics in Lambda; the local stack uses
 * the same logger (the same JSON lines on stdout) and no metrics; tests pass a capture.
 *
 * Never give a log line buyer text (titles, names, notes, request bodies, error messages that
 * could quote them): ids, route keys, statuses, durations, counts and codes only.
 */
export interface Telemetry {
  log: Log;
  metrics: MetricsRecorder;
}

export const NO_METRICS: MetricsRecorder = { add: () => undefined, flush: () => undefined };

/**
 * Powertools Logger writing JSON lines to stdout. The level is POWERTOOLS_LOG_LEVEL's (in Lambda
 * also the function's application log level, AWS_LAMBDA_LOG_LEVEL), else `level`.
 */
export function powertoolsLog(options: { level?: Uppercase<LogLevel> | 'SILENT' } = {}): Log {
  const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME, ...(options.level ? { logLevel: options.level } : {}) });
  return (level, message, fields) => logger[level](message, fields);
}

/**
 * Powertools Metrics: an EMF object per flush on stdout, which CloudWatch turns into metrics in
 * the namespace POWERTOOLS_METRICS_NAMESPACE, with the dimension `service` (POWERTOOLS_SERVICE_NAME).
 */
export function powertoolsMetrics(): MetricsRecorder {
  const metrics = new Metrics({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });
  let stored = false;
  return {
    add(name, unit, value, dimension) {
      if (dimension) {
        metrics.singleMetric().addDimension(dimension.name, dimension.value).addMetric(name, unit, value);
        return;
      }
      metrics.addMetric(name, unit, value);
      stored = true;
    },
    flush() {
      // Powertools warns on an empty flush; most requests add nothing.
      if (!stored) return;
      stored = false;
      metrics.publishStoredMetrics();
    },
  };
}

let lambdaTelemetry: Telemetry | undefined;

/** The telemetry of a Lambda function: Powertools logs and EMF metrics, made once per process. */
export function defaultTelemetry(): Telemetry {
  lambdaTelemetry ??= { log: powertoolsLog(), metrics: powertoolsMetrics() };
  return lambdaTelemetry;
}

/**
 * What an error may say in a log line: its class, its code, its stack frames, and the message
 * only for an AWS service error (written by AWS, e.g. AccessDenied). Other messages are left
 * out: a bug's message may quote a buyer's text.
 */
export function describeFault(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; $metadata?: unknown; $fault?: unknown };
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim());
  return {
    name: e.name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(e.$metadata !== undefined ? { message: e.message, fault: e.$fault } : {}),
    stack: frames.slice(0, 15),
  };
}
