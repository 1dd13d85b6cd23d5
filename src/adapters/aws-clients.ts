import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';

/**
 * How to reach DynamoDB and S3. Entry points build it from their validated environment; this
 * module never reads process.env, so tests and the local stack pass endpoints explicitly.
 */
export const AwsConfigSchema = z.object({
  region: z.string().min(1),
  dynamodbEndpoint: z.url().optional(),
  s3Endpoint: z.url().optional(),
  /** Local S3-compatible servers address buckets by path, not by host name. */
  s3ForcePathStyle: z.boolean().optional(),
  /** Static credentials for local servers; absent in AWS, where the default provider chain applies. */
  credentials: z
    .object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().optional() })
    .optional(),
  /** SDK attempts per call, retries included; 1 in tests so that a failure shows at once. */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /**
   * `when-required` for servers that mishandle the SDK's default request checksums (s3rver
   * stores streamed uploads corrupted with them).
   */
  s3Checksums: z.enum(['when-supported', 'when-required']).optional(),
});
export type AwsConfig = z.infer<typeof AwsConfigSchema>;

export interface DynamoDbClients {
  /** The low-level client: table administration and middleware (metrics, tests). */
  client: DynamoDBClient;
  /** The document client the repositories use; shares the low-level client's middleware stack. */
  document: DynamoDBDocumentClient;
}

/**
 * Wraps an SDK client as it is made, before any document client shares its middleware stack: in
 * Lambda, traceAwsCalls (src/adapters/observability/xray-aws-calls.ts, an X-Ray subsegment per
 * DynamoDB and S3 call).
 */
export type InstrumentClient = <T extends DynamoDBClient | S3Client>(client: T) => T;

export function createDynamoDbClients(config: AwsConfig, instrument?: InstrumentClient): DynamoDbClients {
  const created = new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.maxAttempts ? { maxAttempts: config.maxAttempts } : {}),
  });
  const client = instrument ? instrument(created) : created;
  const document = DynamoDBDocumentClient.from(client, {
    // Optional domain fields (note, cpv, publishedAt…) are absent rather than stored as NULL.
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, document };
}

export function createS3Client(config: AwsConfig, instrument?: InstrumentClient): S3Client {
  const checksums = config.s3Checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  const client = new S3Client({
    region: config.region,
    ...(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {}),
    ...(config.s3ForcePathStyle !== undefined ? { forcePathStyle: config.s3ForcePathStyle } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.maxAttempts ? { maxAttempts: config.maxAttempts } : {}),
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
  });
  return instrument ? instrument(client) : client;
}
