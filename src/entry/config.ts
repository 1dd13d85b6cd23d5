import * as z from 'zod';
import type { AwsConfig } from '#src/adapters/aws-clients.ts';
import { MAX_DOWNLOAD_URL_TTL_SECONDS } from '#src/app/ports/document-store.ts';

const Flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/**
 * The environment of a Lambda function or of the local stack's API. Parsed once at module load
 * (a bad value fails the cold start, not a request). Endpoints are optional: absent in AWS,
 * set for dynalite/s3rver or any other DynamoDB-/S3-compatible server.
 */
export const EnvSchema = z.object({
  TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name'),
  BUCKET_NAME: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
  AWS_REGION: z.string().min(1),
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: Flag.optional(),
  /** s3rver stores uploads corrupted with the SDK's default request checksums. */
  S3_CHECKSUMS: z.enum(['when-supported', 'when-required']).optional(),
  URL_TTL_SECONDS: z.coerce.number().int().min(1).max(MAX_DOWNLOAD_URL_TTL_SECONDS).default(300),
  /** The gc records a deferred rendering failed once pending this long; PENDING_RENDERING_MAX_AGE_SECONDS (src/app/fail-stalled-renderings.ts) when unset. */
  PENDING_RENDERING_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).optional(),
  AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).optional(),
  /** Read by the PDF engine in the bundles that invoke the pdf-renderer function (src/adapters/render/pdf-engine.ts checks them at cold start); listed so that a deployed function's variables are all known. */
  PDF_RENDERER_FUNCTION: z.string().min(1).optional(),
  /** A local stand-in for Lambda's Invoke API (the bundle smoke test); absent in AWS. */
  PDF_RENDERER_ENDPOINT: z.url().optional(),
  /** Read by Powertools Logger and Metrics themselves (src/adapters/observability/telemetry.ts); listed so that a deployed function's variables are all known. */
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).max(255).optional(),
});

export interface AppConfig {
  tableName: string;
  bucketName: string;
  /** How the adapters reach DynamoDB and S3. */
  aws: AwsConfig;
  /** Lifetime of presigned download URLs, at most 15 minutes. */
  urlTtlSeconds: number;
  /** How long a deferred rendering may stay pending before the gc records it failed (its default when absent). */
  pendingRenderingMaxAgeSeconds?: number;
}

/** A configuration problem, listed by variable; thrown at start-up. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Pure: reads only the given record (pass `process.env` at the entry point, a literal in tests). */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = EnvSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    tableName: e.TABLE_NAME,
    bucketName: e.BUCKET_NAME,
    urlTtlSeconds: e.URL_TTL_SECONDS,
    ...(e.PENDING_RENDERING_MAX_AGE_SECONDS !== undefined ? { pendingRenderingMaxAgeSeconds: e.PENDING_RENDERING_MAX_AGE_SECONDS } : {}),
    aws: {
      region: e.AWS_REGION,
      ...(e.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: e.DYNAMODB_ENDPOINT } : {}),
      ...(e.S3_ENDPOINT ? { s3Endpoint: e.S3_ENDPOINT } : {}),
      ...(e.S3_FORCE_PATH_STYLE !== undefined ? { s3ForcePathStyle: e.S3_FORCE_PATH_STYLE } : {}),
      ...(e.S3_CHECKSUMS ? { s3Checksums: e.S3_CHECKSUMS } : {}),
      ...(e.AWS_MAX_ATTEMPTS ? { maxAttempts: e.AWS_MAX_ATTEMPTS } : {}),
    },
  };
}

/** An empty variable (`S3_ENDPOINT=`) means unset, as in a shell. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}
