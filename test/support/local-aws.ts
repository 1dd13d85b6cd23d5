/**
 * DynamoDB- and S3-compatible servers on loopback, in this process: dynalite (in memory) and
 * s3rver (files in a temporary directory). Each test file starts its own pair on random ports,
 * so files run in parallel without sharing state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClients, createS3Client, type AwsConfig } from '../../src/adapters/aws-clients.ts';
import { ensureTable } from '../../src/adapters/dynamodb/table.ts';

// Neither package ships type declarations: describe the little used here.
type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;

const require = createRequire(import.meta.url);

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

  const dynalite = require('dynalite') as Dynalite;
  const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamoServer.once('error', reject);
    dynamoServer.listen(0, '127.0.0.1', () => resolve());
  });
  const dynamoPort = (dynamoServer.address() as AddressInfo).port;

  const directory = await mkdtemp(join(tmpdir(), 'cahier-s3rver-'));
  const S3rver = require('s3rver') as S3rverClass;
  const s3Server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const s3Address = await s3Server.run();

  const config: AwsConfig = {
    region: 'eu-west-3',
    dynamodbEndpoint: `http://127.0.0.1:${dynamoPort}`,
    s3Endpoint: `http://127.0.0.1:${s3Address.port}`,
    s3ForcePathStyle: true,
    // s3rver accepts only these; dynalite accepts anything.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
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
      await Promise.all([
        new Promise<void>((resolve) => dynamoServer.close(() => resolve())),
        s3Server.close(),
      ]);
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
