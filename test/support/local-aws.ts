/**
 * DynamoDB- and S3-compatible servers on loopback, in this process: dynalite (in memory) and
 * s3rver (files in a temporary directory). Each test file starts its own pair on random ports,
 * so files run in parallel without sharing state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClients, createS3Client, type AwsConfig } from '#src/adapters/aws-clients.ts';
import { ensureTable } from '#src/adapters/dynamodb/table.ts';
import { EMBEDDED_CREDENTIALS, startDynalite, startS3rver } from '#src/adapters/local/embedded-aws.ts';

export interface LocalAws {
  config: AwsConfig;
  dynamodb: DynamoDBClient;
  document: DynamoDBDocumentClient;
  s3: S3Client;
  bucket: string;
  /** Creates a table with a unique name and the Cahier layout. */
  newTable(): Promise<string>;
  stop(): Promise<void>;
}

let tables = 0;

export async function startLocalAws(options: { bucket?: string } = {}): Promise<LocalAws> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const bucket = options.bucket ?? 'cahier-documents';

  // The local stack's own servers, in memory (dynalite) and in a temporary directory (s3rver).
  const dynamoServer = await startDynalite({ host: '127.0.0.1', port: 0 });
  const directory = await mkdtemp(join(tmpdir(), 'cahier-s3rver-'));
  const s3Server = await startS3rver({ host: '127.0.0.1', port: 0, directory, bucket });

  const config: AwsConfig = {
    region: 'eu-west-3',
    dynamodbEndpoint: dynamoServer.endpoint,
    s3Endpoint: s3Server.endpoint,
    s3ForcePathStyle: true,
    credentials: { ...EMBEDDED_CREDENTIALS },
    maxAttempts: 1,
    s3Checksums: 'when-required',
  };
  const { client: dynamodb, document } = createDynamoDbClients(config);
  const s3 = createS3Client(config);

  return {
    config,
    dynamodb,
    document,
    s3,
    bucket,
    async newTable() {
      const name = `cahier-test-${process.pid}-${++tables}`;
      await ensureTable(dynamodb, name);
      return name;
    },
    async stop() {
      dynamodb.destroy();
      s3.destroy();
      await Promise.all([dynamoServer.stop(), s3Server.stop()]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Counts DynamoDB operations as sent on the wire (retries included), by operation name. */
export function countDynamoDbCalls(client: DynamoDBClient): { counts: Map<string, number>; total(): number; reset(): void } {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      const target = request.headers?.['x-amz-target'] ?? '';
      const operation = target.split('.').pop() ?? 'unknown';
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countDynamoDbCalls' },
  );
  return {
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
  };
}

/**
 * Runs `write` once, right after the first Scan sent through `client` has answered and before its
 * caller sees the answer: a concurrent write landing between a scan-then-write job's read and its
 * write (the index backfill's race).
 */
export function writeAfterFirstScan(client: DynamoDBDocumentClient, write: () => Promise<unknown>): void {
  const name = `write-after-scan-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const output = await next(args);
      if (context.commandName === 'ScanCommand') {
        client.middlewareStack.remove(name);
        await write();
      }
      return output;
    },
    { step: 'initialize', name },
  );
}
