import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClients } from '#src/adapters/aws-clients.ts';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { ensureTable } from '#src/adapters/dynamodb/table.ts';
import { seedCatalogue, type SeedResult } from '#src/app/seed-catalogue.ts';
import { backfillIndexAttributes, missingIndexes, recreateWithIndexes } from '#src/adapters/dynamodb/index-backfill.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { loadConfig, type AppConfig } from './config.ts';
import type { LocalEnv } from './local-config.ts';
import { createComposition } from './composition.ts';
import { createApiHandlers } from './api-handlers.ts';
import { defaultPipeline } from './pipeline.ts';
import { EMBEDDED_CREDENTIALS, startDynalite, startS3rver, type EmbeddedServer } from '#src/adapters/local/embedded-aws.ts';
import { startEmbeddedServersProcess, type EmbeddedServersOptions, type EmbeddedServersProcess } from '#src/adapters/local/embedded-aws-process.ts';
import { startLocalApi, type LocalWebApp } from '#src/adapters/local/http-server.ts';
import { useLocalPdfEngine } from '#src/adapters/render/pdf-engine.ts';
import { createPdfWorkerPool, type PdfWorkerPool } from '#src/adapters/render/pdf-worker-pool.ts';
import { SerializedPuts } from '#src/adapters/local/serialized-puts.ts';
import { LocalTokens, toGatewayClaims } from '#src/adapters/local/local-tokens.ts';
import { LocalAuthorizationServer } from '#src/adapters/local/local-oauth.ts';

export interface LocalStack {
  url: string;
  config: AppConfig;
  /** Embedded servers' data directories, when they run. */
  dataDir: string;
  dynamodb: { endpoint: string; embedded: boolean };
  s3: { endpoint: string; embedded: boolean };
  seed: SeedResult | undefined;
  /** The child process that runs dynalite and s3rver (EMBEDDED_SERVERS=process), when there is one. */
  embeddedProcess: Pick<EmbeddedServersProcess, 'pid' | 'crashed' | 'cpuUsage'> | undefined;
  /** The threads that lay out the PDFs (PDF_WORKERS), when there are any. */
  pdfWorkers: Pick<PdfWorkerPool, 'size' | 'rendered'> | undefined;
  /** Requests other than GET and HEAD worked on at once (CONCURRENT_REQUESTS), or undefined for no limit. */
  concurrentRequests: number | undefined;
  tokens: { buyer: string; editor: string };
  tokensFile: string;
  stop(): Promise<void>;
}

/** The local profiles, by the `login_hint` the local sign-in page sends. */
export const LOCAL_USERS = {
  buyer: { sub: 'local-buyer', groups: ['buyers'] },
  editor: { sub: 'local-editor', groups: ['criteria-editors'] },
  'catalogue-manager': { sub: 'local-catalogue-manager', groups: ['catalogue-managers'] },
} as const;

/**
 * The whole API on a laptop: dynalite and s3rver persisted under DATA_DIR (unless endpoints are
 * given), the table and bucket, the seeded catalogue, and the route table served by the same
 * handlers as the Lambdas. `env` is the validated local environment; `processEnv` passes the rest
 * (AWS_MAX_ATTEMPTS, S3_FORCE_PATH_STYLE, S3_CHECKSUMS for external servers) to loadConfig.
 */
export async function startLocalStack(
  env: LocalEnv,
  processEnv: Record<string, string | undefined> = {},
  onResponse?: Parameters<typeof startLocalApi>[0]['onResponse'],
  web?: LocalWebApp,
): Promise<LocalStack> {
  const dataDir = resolve(env.DATA_DIR);
  const started: EmbeddedServer[] = [];
  const stopAll = async () => {
    for (const server of started.reverse()) await server.stop();
  };
  try {
    const servers: EmbeddedServersOptions = {
      ...(env.DYNAMODB_ENDPOINT ? {} : { dynamodb: { host: env.HOST, port: env.DYNAMODB_PORT ?? env.PORT + 2, path: join(dataDir, 'dynamodb') } }),
      ...(env.S3_ENDPOINT ? {} : { s3: { host: env.HOST, port: env.S3_PORT ?? env.PORT + 1, directory: join(dataDir, 's3'), bucket: env.BUCKET_NAME } }),
    };
    let dynamo: { endpoint: string } | undefined;
    let s3: { endpoint: string } | undefined;
    let embeddedProcess: EmbeddedServersProcess | undefined;
    if ((servers.dynamodb || servers.s3) && env.EMBEDDED_SERVERS === 'process') {
      embeddedProcess = await startEmbeddedServersProcess(servers);
      started.push({ endpoint: `process ${embeddedProcess.pid}`, stop: embeddedProcess.stop });
      dynamo = embeddedProcess.dynamodb ? { endpoint: embeddedProcess.dynamodb } : undefined;
      s3 = embeddedProcess.s3 ? { endpoint: embeddedProcess.s3 } : undefined;
    } else {
      // EMBEDDED_SERVERS=in-thread: in the API's own thread.
      const dynalite = servers.dynamodb ? await startDynalite(servers.dynamodb) : undefined;
      if (dynalite) started.push(dynalite);
      const s3rver = servers.s3 ? await startS3rver(servers.s3) : undefined;
      if (s3rver) started.push(s3rver);
      [dynamo, s3] = [dynalite, s3rver];
    }

    const config = loadConfig({
      ...processEnv,
      TABLE_NAME: env.TABLE_NAME,
      BUCKET_NAME: env.BUCKET_NAME,
      AWS_REGION: env.AWS_REGION,
      URL_TTL_SECONDS: String(env.URL_TTL_SECONDS),
      DYNAMODB_ENDPOINT: dynamo?.endpoint ?? env.DYNAMODB_ENDPOINT,
      S3_ENDPOINT: s3?.endpoint ?? env.S3_ENDPOINT,
      ...(s3 ? { S3_FORCE_PATH_STYLE: 'true', S3_CHECKSUMS: 'when-required' } : {}),
    });
    // s3rver takes only its own credentials; dynalite takes any. External servers use the SDK's default chain.
    if (s3) config.aws.credentials = { ...EMBEDDED_CREDENTIALS };

    const { client } = createDynamoDbClients(config.aws);
    let seed: SeedResult | undefined;
    try {
      await createTableIfMissing(client, config.tableName);
      if (dynamo) {
        // The embedded table may predate an index (GSI3, the pins; GSI2_SUMMARIES, the tenders' summaries): rebuilt with them, then its items indexed.
        const context = { db: createDynamoDbClients(config.aws).document, tableName: config.tableName };
        const missing = await missingIndexes(client, config.tableName);
        if (missing.length > 0) await recreateWithIndexes(client, context, join(dataDir, `dynamodb-before-${missing.join('-')}-${Date.now()}.json`));
        await backfillIndexAttributes(context);
      }
      if (env.SEED === 'true') {
        const criteria = new DynamoDbCriteriaRepository({ db: createDynamoDbClients(config.aws).document, tableName: config.tableName });
        seed = await seedCatalogue({ criteria }, await loadCatalogue(CATALOGUE_DIR));
      }
    } finally {
      client.destroy();
    }

    const pool = env.PDF_WORKERS > 0 ? createPdfWorkerPool(env.PDF_WORKERS) : undefined;
    if (pool) {
      const release = useLocalPdfEngine(pool.render);
      started.push({ endpoint: `${pool.size} PDF worker thread${pool.size === 1 ? '' : 's'}`, stop: async () => { release(); await pool.close(); } });
    }

    const created = createComposition(config);
    // s3rver ignores If-None-Match: the conditional writes are held in this process, its only writer.
    const composition = s3 ? { ...created, documents: new SerializedPuts(created.documents) } : created;
    const keyFile = join(dataDir, 'local-jwt-key.json');
    const issuer = await LocalTokens.loadOrCreate(keyFile);
    // The web app signs in and refreshes against these, as it does against Cognito in AWS.
    const oauth = new LocalAuthorizationServer({
      tokens: issuer,
      users: LOCAL_USERS,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    });
    const handlers = createApiHandlers(composition, defaultPipeline());
    // 0: no gate.
    const concurrentRequests = (env.CONCURRENT_REQUESTS ?? defaultConcurrentRequests(env.PDF_WORKERS)) || undefined;
    const api = await startLocalApi({
      handlers,
      verifyToken: async (token) => toGatewayClaims(await issuer.verify(token)),
      host: env.HOST,
      port: env.PORT,
      corsOrigins: env.CORS_ORIGINS,
      ...(concurrentRequests ? { concurrentRequests } : {}),
      ...(onResponse ? { onResponse } : {}),
      ...(web ? { web: { ...web, oauth } } : {}),
    });
    started.push({ endpoint: api.url, stop: async () => { await api.close(); await handlers.documentJobs.settled(); composition.close(); } });

    const ttlSeconds = env.TOKEN_TTL_HOURS * 3600;
    const tokens = {
      buyer: await issuer.sign({ ...LOCAL_USERS.buyer, groups: [...LOCAL_USERS.buyer.groups], ttlSeconds }),
      editor: await issuer.sign({ ...LOCAL_USERS.editor, groups: [...LOCAL_USERS.editor.groups], ttlSeconds }),
    };
    const tokensFile = join(dataDir, 'tokens.env');
    await writeFile(tokensFile, `CAHIER_URL=${api.url}\nBUYER_TOKEN=${tokens.buyer}\nEDITOR_TOKEN=${tokens.editor}\n`, { mode: 0o600 });

    return {
      url: api.url,
      config,
      dataDir,
      dynamodb: { endpoint: config.aws.dynamodbEndpoint ?? 'AWS', embedded: dynamo !== undefined },
      s3: { endpoint: config.aws.s3Endpoint ?? 'AWS', embedded: s3 !== undefined },
      seed,
      embeddedProcess,
      pdfWorkers: pool,
      concurrentRequests,
      tokens,
      tokensFile,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * CONCURRENT_REQUESTS when unset: two requests for each thread that does their work, the API's own
 * and each PDF worker's, so that each has one to go on with while the other waits for it.
 */
function defaultConcurrentRequests(pdfWorkers: number): number {
  return 2 * (pdfWorkers + 1);
}

/** A table that exists is left alone (and CreateTable, which a deployed table's users may not be allowed, is not even tried). */
async function createTableIfMissing(client: Parameters<typeof ensureTable>[0], tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await ensureTable(client, tableName);
  }
}
