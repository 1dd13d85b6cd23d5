/**
 * The PDF engine as another Lambda function: one synchronous (RequestResponse) Invoke of the
 * pdf-renderer function per PDF, over Lambda's REST API (`POST /2015-03-31/functions/{name}/invocations`)
 * signed with SigV4. Not @aws-sdk/client-lambda: this one call needs the signer alone, which the
 * bundles already carry for DynamoDB and S3 (@smithy/signature-v4 over @smithy/core), where the
 * client would add its whole command set and protocol stack.
 *
 * What the SDK would do that this does too: retries a bounded number of times, with backoff, on
 * throttling (429) and on Lambda's 5xx; a per-attempt timeout; a function error (the
 * `X-Amz-Function-Error` header, status 200) thrown with the renderer's own message. A timeout is
 * not retried: the caller's 29 s answer to API Gateway has no room for a second long attempt.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { PdfEngine, PdfEngineOptions } from './pdf-engine-types.ts';
import { decodePdfResponse, encodePdfRequest } from './pdf-invocation.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface LambdaPdfEngineConfig {
  /** The pdf-renderer function's name (or ARN), as CDK passes it in PDF_RENDERER_FUNCTION. */
  functionName: string;
  region: string;
  /** Lambda's endpoint; `https://lambda.<region>.amazonaws.com` when absent (a local stand-in in tests). */
  endpoint?: string;
  /** In Lambda, the role's credentials from the environment (fromEnv); static ones in tests. */
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Attempts per PDF, retries included (default 3). */
  maxAttempts?: number;
  /** Per attempt, in milliseconds (default 27 000: over the renderer's own 25 s timeout, so that Lambda's « Task timed out » comes back first, and under the 29 s in which the callers answer API Gateway). */
  timeoutMs?: number;
  /** First backoff, doubled each retry, with jitter (default 100 ms). */
  backoffMs?: number;
  /**
   * The caller's X-Ray trace header at the time of the call (in Lambda, `_X_AMZN_TRACE_ID`), sent as
   * `X-Amzn-Trace-Id` so that the renderer's segment joins the caller's trace, as the SDK's
   * instrumented clients do for DynamoDB and S3.
   */
  traceHeader?: () => string | undefined;
}

/** The renderer failed, or could not be reached; the message names which and why. */
export class PdfRendererError extends Error {
  constructor(
    message: string,
    /** HTTP status of Lambda's answer, when there was one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PdfRendererError';
  }
}

/**
 * SHA-256 for the signer, on node:crypto: the same as @smithy/core's `Hash`, without making that
 * internal package one of Cahier's dependencies.
 */
class Sha256 {
  private readonly secret: string | Uint8Array | undefined;
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = bytesOf(secret);
    this.hash = this.fresh();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytesOf(data)!);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

function bytesOf(data: string | ArrayBuffer | ArrayBufferView | undefined): string | Uint8Array | undefined {
  if (data === undefined || typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** Lambda answers these when a retry may succeed: throttling, and its own or the function's service errors. */
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

export function createLambdaPdfEngine(config: LambdaPdfEngineConfig): PdfEngine {
  const endpoint = new URL(config.endpoint ?? `https://lambda.${config.region}.amazonaws.com`);
  const signer = new SignatureV4({ service: 'lambda', region: config.region, credentials: config.credentials, sha256: Sha256 });
  const maxAttempts = config.maxAttempts ?? 3;
  const timeoutMs = config.timeoutMs ?? 27_000;
  const backoffMs = config.backoffMs ?? 100;
  const path = `/2015-03-31/functions/${encodeURIComponent(config.functionName)}/invocations`;

  return async function renderPdfRemotely(model: DocumentModel, options: PdfEngineOptions = {}): Promise<Uint8Array> {
    // Encoded (and checked against the payload limit) before any request, so an oversize document costs no invoke.
    const body = encodePdfRequest(model, options.attachments);
    for (let attempt = 1; ; attempt++) {
      const signed = await signer.sign({
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path,
        query: {},
        headers: { host: endpoint.host, 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
        body,
      });
      let response: Response;
      let text: string;
      try {
        // Host is signed but set by fetch itself, from the same URL.
        const { host: _host, ...signedHeaders } = signed.headers;
        const trace = config.traceHeader?.();
        const headers = trace ? { ...signedHeaders, 'x-amzn-trace-id': trace } : signedHeaders;
        response = await fetch(new URL(path, endpoint), { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        text = await response.text();
      } catch (error) {
        const cause = error as Error;
        if (cause.name === 'TimeoutError') throw new PdfRendererError(`pdf-renderer did not answer within ${timeoutMs} ms for « ${model.meta.title} »`);
        // A connection that failed may have reached the renderer: retrying is safe all the same, a rendering has no side effect.
        if (attempt < maxAttempts) {
          await backoff(backoffMs, attempt);
          continue;
        }
        throw new PdfRendererError(`pdf-renderer could not be reached after ${attempt} attempts: ${cause.message}`);
      }
      const functionError = response.headers.get('x-amz-function-error');
      if (response.status === 200 && functionError) throw new PdfRendererError(`pdf-renderer failed (${functionError}): ${errorMessageOf(text)}`, response.status);
      if (response.status === 200) return decodePdfResponse(text);
      if (RETRYABLE.has(response.status) && attempt < maxAttempts) {
        await backoff(backoffMs, attempt);
        continue;
      }
      const errorType = response.headers.get('x-amzn-errortype')?.split(':')[0];
      throw new PdfRendererError(
        `Lambda refused the pdf-renderer invocation (HTTP ${response.status}${attempt > 1 ? `, after ${attempt} attempts` : ''}): ${errorType ? `${errorType}: ` : ''}${errorMessageOf(text)}`,
        response.status,
      );
    }
  };
}

/** Lambda's error payloads: `{ errorType, errorMessage }` for a function error, `{ Type, message }` for the service's own (whose type is in the X-Amzn-ErrorType header). */
function errorMessageOf(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const type = body.errorType;
    const message = body.errorMessage ?? body.Message ?? body.message;
    if (typeof message === 'string') return typeof type === 'string' ? `${type}: ${message}` : message;
  } catch {
    // not JSON: quoted as it came
  }
  return text.slice(0, 500);
}

/** Exponential, with full jitter on the upper half so that concurrent callers spread out. */
function backoff(baseMs: number, attempt: number): Promise<void> {
  const ceiling = baseMs * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
}
