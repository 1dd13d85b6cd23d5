import { availableParallelism } from 'node:os';
import * as z from 'zod';
import { MAX_DOWNLOAD_URL_TTL_SECONDS } from '#src/app/ports/document-store.ts';
import { ConfigError } from './config.ts';

const Port = z.coerce.number().int().min(0).max(65_535);

/**
 * The local stack's environment (`npm start`). Without DYNAMODB_ENDPOINT / S3_ENDPOINT it starts
 * dynalite and s3rver itself, persisted under DATA_DIR; with them it uses those servers (or AWS)
 * as they are: no code change.
 */
export const LocalEnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: Port.default(3000),
  /** Defaults to PORT + 1 and PORT + 2. */
  S3_PORT: Port.optional(),
  DYNAMODB_PORT: Port.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  TABLE_NAME: z.string().min(3).default('cahier'),
  BUCKET_NAME: z.string().min(3).default('cahier-documents'),
  AWS_REGION: z.string().min(1).default('eu-west-3'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  URL_TTL_SECONDS: z.coerce.number().int().min(1).max(MAX_DOWNLOAD_URL_TTL_SECONDS).default(900),
  /** At most a day, the longest lifetime the API accepts (MAX_TOKEN_LIFETIME_SECONDS). */
  TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(24).default(12),
  /**
   * The web app's sessions (local sign-in with code and PKCE, as in AWS): access tokens live this
   * long (the user pool client's 1 h by default; a few seconds to test refreshing), refresh tokens
   * that long (12 h, as in AWS). At most a day each.
   */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(12 * 3600),
  /** Web origins allowed by CORS on the API, comma-separated (none by default: the app is served on the API's origin). */
  CORS_ORIGINS: z.string().optional().transform((v) => (v ? v.split(',').map((o) => o.trim()).filter(Boolean) : [])),
  /**
   * Threads that lay out the PDFs beside the API's own (src/adapters/render/pdf-worker-pool.ts),
   * as the pdf-renderer function does in AWS: by default one core in two, at least one where
   * there are two cores, none on one core (0: every PDF in the API's thread).
   */
  PDF_WORKERS: z.coerce.number().int().min(0).max(16).default(Math.min(4, availableParallelism() >> 1)),
  /**
   * How many API requests other than GET and HEAD the stack works on at once, the others waiting
   * in order of arrival (src/adapters/local/request-gate.ts); 0: no limit. Unset: twice the
   * threads that do the work, the API's and the PDF workers (4 with one PDF worker).
   */
  CONCURRENT_REQUESTS: z.coerce.number().int().min(0).max(1024).optional(),
  /**
   * Where dynalite and s3rver run when the stack starts them (src/adapters/local/embedded-aws-process.ts):
   * `process`, a child process of their own beside the API's, as DynamoDB and S3 run apart from
   * the Lambdas in AWS (the default where there are two cores or more); `in-thread`, in the API's
   * own thread, as before (the default on one core). Same ports, same data directories either way.
   */
  EMBEDDED_SERVERS: z.enum(['process', 'in-thread']).default(availableParallelism() > 1 ? 'process' : 'in-thread'),
  /** Skip loading the catalogue (a shared or real table that is seeded elsewhere). */
  SEED: z.enum(['true', 'false']).default('true'),
});
export type LocalEnv = z.infer<typeof LocalEnvSchema>;

export function loadLocalEnv(env: Record<string, string | undefined>): LocalEnv {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = LocalEnvSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}
