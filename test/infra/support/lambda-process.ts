/**
 * A bundled function in its own Node process (infra/bundling/lambda-runner.mjs), driven over
 * stdin/stdout with async spawn: the local AWS servers run in the test process, and a
 * synchronous child would deadlock against them.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { HttpApiEvent, HttpApiResult } from '#src/adapters/http/lambda-types.ts';
import { EMBEDDED_CREDENTIALS } from '#src/adapters/local/embedded-aws.ts';
import type { LocalAws } from '../../support/local-aws.ts';
import { startLambdaInvokeServer, type LambdaInvokeServer } from '../../support/lambda-invoke-server.ts';

const RUNNER = fileURLToPath(new URL('../../../infra/bundling/lambda-runner.mjs', import.meta.url));

/** The environment a bundled function needs to run against the local dynalite and s3rver. */
export function localAwsLambdaEnv(aws: LocalAws, tableName: string): Record<string, string> {
  return {
    TABLE_NAME: tableName,
    BUCKET_NAME: aws.bucket,
    AWS_REGION: aws.config.region,
    DYNAMODB_ENDPOINT: aws.config.dynamodbEndpoint!,
    S3_ENDPOINT: aws.config.s3Endpoint!,
    S3_FORCE_PATH_STYLE: 'true',
    S3_CHECKSUMS: 'when-required',
    AWS_MAX_ATTEMPTS: '3',
    AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export interface LambdaProcess {
  importMs: number;
  invoke(event: HttpApiEvent): Promise<HttpApiResult>;
  stderr(): string;
  /** The function's own stdout lines, parsed (Powertools logs, EMF metrics); others as strings. */
  output(): unknown[];
  stop(): Promise<void>;
}

/** Starts `node lambda-runner.mjs bundle` in `cwd` (the asset directory, as /var/task) with exactly `env`. */
export async function startLambdaProcess(bundle: string, cwd: string, env: Record<string, string>): Promise<LambdaProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [RUNNER, bundle], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const output: unknown[] = [];
  const next = async (): Promise<Record<string, any>> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the function process ended (exit ${child.exitCode}):\n${stderr.slice(-2000)}`);
      let parsed: unknown = value;
      try {
        parsed = JSON.parse(value as string);
      } catch {
        // a plain line of the function's
      }
      if (parsed !== null && typeof parsed === 'object' && (parsed as { lambdaRunner?: unknown }).lambdaRunner === true) return parsed as Record<string, any>;
      output.push(parsed);
    }
  };
  const ready = await next();
  let queue = Promise.resolve();
  return {
    importMs: ready.importMs as number,
    invoke(event) {
      const result = queue.then(async () => {
        child.stdin.write(`${JSON.stringify(event)}\n`);
        const reply = await next();
        if (reply.error) throw new Error(`handler threw: ${String(reply.error).slice(0, 2000)}`);
        return reply.result as HttpApiResult;
      });
      queue = result.then(() => undefined, () => undefined);
      return result;
    },
    stderr: () => stderr,
    output: () => output,
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** An HTTP API v2 event as API Gateway sends it after the JWT authorizer (claims flattened to strings). */
export function apiEvent(
  routeKey: string,
  rawPath: string,
  options: { claims?: Record<string, string>; body?: unknown; params?: Record<string, string>; headers?: Record<string, string>; query?: Record<string, string> } = {},
): HttpApiEvent {
  const [method] = routeKey.split(' ');
  const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)).toString('base64');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.params ? { pathParameters: options.params } : {}),
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: body !== undefined,
    requestContext: {
      requestId: `smoke-${Math.random().toString(36).slice(2)}`,
      routeKey,
      stage: '$default',
      http: { method: method!, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'bundle-smoke-test' },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    },
  };
}

/** The bundled pdf-renderer behind a local stand-in for Lambda's Invoke API, and the variables its callers need to reach it. */
export interface PdfRendererStandIn {
  /** PDF_RENDERER_FUNCTION and PDF_RENDERER_ENDPOINT, for the functions that write PDFs. */
  env: Record<string, string>;
  server: LambdaInvokeServer;
  renderer: LambdaProcess;
  stop(): Promise<void>;
}

/**
 * Starts the pdf-renderer bundle in its own process (its asset directory as /var/task, nothing in
 * its environment but what Lambda sets) behind startLambdaInvokeServer, which checks that the
 * callers sign with `credentials` (the embedded servers' by default, as localAwsLambdaEnv sets them).
 */
export async function startPdfRendererStandIn(
  bundle: string,
  dir: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = EMBEDDED_CREDENTIALS,
): Promise<PdfRendererStandIn> {
  const renderer = await startLambdaProcess(bundle, dir, { AWS_REGION: region });
  const server = await startLambdaInvokeServer({ region, credentials, invoke: (_name, payload) => renderer.invoke(payload as HttpApiEvent) as Promise<unknown> });
  return {
    env: { PDF_RENDERER_FUNCTION: 'cahier-local-pdf-renderer', PDF_RENDERER_ENDPOINT: server.endpoint },
    server,
    renderer,
    async stop() {
      await server.stop();
      await renderer.stop();
    },
  };
}
