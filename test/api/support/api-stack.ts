import { CATALOGUE_DIR } from '#src/entry/paths.ts';
/**
 * The API as the local stack serves it, for tests: dynalite and s3rver on loopback (from
 * test/support/local-aws.ts), a fresh table seeded with the catalogue, the route table served by
 * the real handlers over real HTTP, and tokens signed with a key that lives as long as the test
 * file. Each test file starts its own stack.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createServer } from 'node:net';
import { createDynamoDbClients, createS3Client } from '#src/adapters/aws-clients.ts';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { seedCatalogue } from '#src/app/seed-catalogue.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import type { AppConfig } from '#src/entry/config.ts';
import { createComposition, type Composition } from '#src/entry/composition.ts';
import { SerializedPuts } from '#src/adapters/local/serialized-puts.ts';
import { createApiHandlers } from '#src/entry/api-handlers.ts';
import { defaultPipeline } from '#src/entry/pipeline.ts';
import { startLocalApi, type LocalApi } from '#src/adapters/local/http-server.ts';
import { LocalTokens, toGatewayClaims } from '#src/adapters/local/local-tokens.ts';
import { captureTelemetry, type LoggedLine, type RecordedMetric } from '../../support/telemetry.ts';
import { startLocalAws, type LocalAws } from '../../support/local-aws.ts';

export const USERS = {
  buyer: { sub: 'buyer-1', groups: ['buyers'] },
  otherBuyer: { sub: 'buyer-2', groups: ['buyers'] },
  editor: { sub: 'editor-1', groups: ['criteria-editors'] },
  catalogueManager: { sub: 'catalogue-manager-1', groups: ['catalogue-managers'] },
  noGroup: { sub: 'stranger-1', groups: [] },
} as const;
export type UserName = keyof typeof USERS;

export interface CallOptions {
  token?: string;
  /** A value is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: any;
}

export interface ApiStack {
  url: string;
  aws: LocalAws;
  config: AppConfig;
  composition: Composition;
  tokens: Record<UserName, string>;
  issuer: LocalTokens;
  /** Fault log lines the handlers wrote. */
  /** Every log line of the handlers (one `request` line per request, `fault` lines at level error). */
  logs: LoggedLine[];
  metrics: RecordedMetric[];
  /** The deferred renderings (Office formats), run in-process by the documents function's job handler: `settled()` waits for them. */
  documentJobs: { settled(): Promise<void> };
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Items in the table and objects in the bucket: what "no write" is measured with. */
  counts(): Promise<{ items: number; objects: number }>;
  /** Another API over the same table and bucket with a changed configuration (e.g. S3 at a closed port). */
  startVariant(change: (config: AppConfig) => AppConfig): Promise<{ url: string; logs: LoggedLine[]; close(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function startApiStack(): Promise<ApiStack> {
  const aws = await startLocalAws();
  const tableName = await aws.newTable();
  // The SDK's default retries, as in the local stack and in AWS: the servers close idle keep-alive
  // sockets after 5 s, and a request that races that close needs its retry (maxAttempts 1, the
  // harness default, turns it into a flaky 503).
  const awsConfig = { ...aws.config, maxAttempts: 3 };
  const config: AppConfig = { tableName, bucketName: aws.bucket, aws: awsConfig, urlTtlSeconds: 300 };
  const counting = { ...createDynamoDbClients(awsConfig), s3: createS3Client(awsConfig) };
  const criteria = new DynamoDbCriteriaRepository({ db: aws.document, tableName });
  await seedCatalogue({ criteria }, await loadCatalogue(CATALOGUE_DIR));

  const issuer = await LocalTokens.generate();
  const tokens = Object.fromEntries(
    await Promise.all(Object.entries(USERS).map(async ([name, user]) => [name, await issuer.sign({ sub: user.sub, groups: [...user.groups] })])),
  ) as Record<UserName, string>;

  const serve = async (appConfig: AppConfig) => {
    const created = createComposition(appConfig);
    // As the local stack runs it on s3rver, which ignores If-None-Match (src/entry/local-stack.ts).
    const composition = { ...created, documents: new SerializedPuts(created.documents) };
    const { telemetry, logs, metrics } = captureTelemetry();
    const handlers = createApiHandlers(composition, defaultPipeline(), telemetry);
    const api: LocalApi = await startLocalApi({
      handlers,
      verifyToken: async (token) => toGatewayClaims(await issuer.verify(token)),
    });
    return { composition, logs, metrics, api, documentJobs: handlers.documentJobs };
  };
  const main = await serve(config);
  const variants: Array<() => Promise<void>> = [];

  const call = async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : Buffer.isBuffer(options.body) ? new Uint8Array(options.body) : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${main.api.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };

  return {
    url: main.api.url,
    aws,
    config,
    composition: main.composition,
    tokens,
    issuer,
    logs: main.logs,
    metrics: main.metrics,
    documentJobs: main.documentJobs,
    call,
    async counts() {
      const scan = await counting.document.send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }));
      const list = await counting.s3.send(new ListObjectsV2Command({ Bucket: aws.bucket }));
      if (list.IsTruncated) throw new Error('more objects than one listing page: count them another way');
      return { items: scan.Count ?? 0, objects: list.KeyCount ?? 0 };
    },
    async startVariant(change) {
      const variant = await serve(change(structuredClone(config)));
      const close = async () => {
        await variant.api.close();
        variant.composition.close();
      };
      variants.push(close);
      return { url: variant.api.url, logs: variant.logs, close };
    },
    async stop() {
      for (const close of variants) await close().catch(() => undefined);
      await main.api.close();
      await main.documentJobs.settled();
      main.composition.close();
      counting.client.destroy();
      counting.s3.destroy();
      await aws.stop();
    },
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** RFC 9457 shape every error response must have. */
export function expectProblemShape(result: CallResult, status: number): void {
  const problems: string[] = [];
  if (result.status !== status) problems.push(`status ${result.status}, expected ${status}: ${result.text.slice(0, 300)}`);
  if (result.headers.get('content-type') !== 'application/problem+json') problems.push(`content-type ${result.headers.get('content-type')}`);
  const p = result.json;
  if (typeof p !== 'object' || p === null) problems.push('body is not a JSON object');
  else {
    if (typeof p.type !== 'string' || !p.type.startsWith('urn:cahier:problem:')) problems.push(`type ${p.type}`);
    if (typeof p.title !== 'string') problems.push('no title');
    if (p.status !== result.status) problems.push(`body status ${p.status}`);
    if (typeof p.requestId !== 'string' || p.requestId !== result.headers.get('x-request-id')) problems.push('requestId missing or not the x-request-id header');
    if (/\bat \S+:\d+:\d+|node_modules|Exception|\/work\//.test(result.text)) problems.push('leaks internals');
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
}
