/**
 * The application metrics, by name: what the functions emit (EMF, through Powertools Metrics) and
 * what the alarms and the dashboard of the stateless stack read. Plain data, so the
 * infrastructure imports it without loading Powertools.
 */
export const METRICS = {
  /** A tender generated and stored (replays of an idempotency key not counted). Count. */
  tendersGenerated: 'TendersGenerated',
  /** Validation, rules, rendering and storing of a generated tender. Milliseconds. */
  generationTime: 'GenerationTime',
  /** Bytes of the documents a generation stored, report.json included. Bytes. */
  documentBytes: 'DocumentBytes',
  /** Rule findings of severity error that blocked a generation, with the dimension `code`. Count. */
  ruleErrors: 'RuleErrors',
  /** Answers 400–499 / 500–599 of the functions (API Gateway counts its own apart). Count. */
  http4xx: 'Http4xx',
  http5xx: 'Http5xx',
  /** The daily garbage collection (src/app/collect-garbage.ts): what it found and did. Count / Bytes. */
  gcOrphanObjects: 'GcOrphanObjects',
  gcOrphanBytes: 'GcOrphanBytes',
  gcOrphansDeleted: 'GcOrphansDeleted',
  gcClaimsCompleted: 'GcClaimsCompleted',
  gcClaimsExpired: 'GcClaimsExpired',
  /** Deferred renderings the gc found pending past their bound, and recorded failed (daily and hourly runs). Count. */
  gcRenderingsStalled: 'GcRenderingsStalled',
  gcRenderingsFailed: 'GcRenderingsFailed',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];
export type MetricUnitName = 'Count' | 'Milliseconds' | 'Bytes';

/** The dimension of RuleErrors: one series per finding code. */
export const RULE_ERROR_DIMENSION = 'code';

/** POWERTOOLS_SERVICE_NAME of every function: the `service` dimension of every metric. */
export const SERVICE_NAME = 'cahier';

/** POWERTOOLS_METRICS_NAMESPACE of a stage's functions: stages sharing an account keep their metrics apart. */
export function metricsNamespace(stage: string): string {
  return `Cahier/${stage}`;
}
