/**
 * A local stand-in for Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`,
 * RequestResponse), on loopback: it checks each request's SigV4 signature for service `lambda`
 * with the same signer library and the expected credentials, runs `invoke` on the JSON payload and
 * answers as Lambda does: 200 with the result as JSON, or 200 with `X-Amz-Function-Error:
 * Unhandled` and `{ errorType, errorMessage }` when it throws. `faults` are answered first, one
 * per request, to inject throttling and service errors.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export interface InvokeRecord {
  functionName: string;
  /** The Authorization header's credential scope, e.g. `AKID/20261207/eu-west-3/lambda/aws4_request`. */
  credentialScope: string;
  /** Whether the signature recomputed here from the request as received matches the one it carried. */
  signatureValid: boolean;
  bodyBytes: number;
  /** The X-Amzn-Trace-Id header, when the caller sent one. */
  traceId?: string;
}

export interface LambdaInvokeServer {
  endpoint: string;
  readonly requests: InvokeRecord[];
  /** Statuses (with a Lambda-style error body) answered to the next requests, before any reaches `invoke`; `slow`: a 503 after one second. */
  faults: Array<number | 'slow'>;
  stop(): Promise<void>;
}

export interface LambdaInvokeServerOptions {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  invoke: (functionName: string, payload: unknown) => Promise<unknown>;
}

class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array) {
    this.hash.update(data);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export async function startLambdaInvokeServer(options: LambdaInvokeServerOptions): Promise<LambdaInvokeServer> {
  const signer = new SignatureV4({ service: 'lambda', region: options.region, credentials: options.credentials, sha256: NodeSha256 as never });
  const requests: InvokeRecord[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ Type: 'User', Message: `no such route ${req.method} ${req.url}` }));
      return;
    }
    const functionName = decodeURIComponent(match[1]!);
    const authorization = String(req.headers.authorization ?? '');
    const credentialScope = /Credential=([^,]+)/.exec(authorization)?.[1] ?? '';
    const signatureValid = await verify(signer, req, body, authorization);
    const traceId = req.headers['x-amzn-trace-id'] as string | undefined;
    requests.push({ functionName, credentialScope, signatureValid, bodyBytes: body.length, ...(traceId ? { traceId } : {}) });
    let fault = invokeServer.faults.shift();
    if (fault === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      fault = 503;
    }
    if (fault !== undefined) {
      const [errorType, message] = fault === 429 ? ['TooManyRequestsException', 'Rate Exceeded.'] : ['ServiceException', 'Service unavailable'];
      res.writeHead(fault, { 'content-type': 'application/json', 'x-amzn-errortype': errorType }).end(JSON.stringify({ Type: fault === 429 ? 'User' : 'Service', message }));
      return;
    }
    if (!signatureValid) {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException' }).end(JSON.stringify({ message: 'The request signature we calculated does not match the signature you provided.' }));
      return;
    }
    try {
      const result = await options.invoke(functionName, JSON.parse(body.toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      const e = error as Error;
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' }).end(JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const invokeServer: LambdaInvokeServer = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    faults: [],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return invokeServer;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Signs the request again, as received (its signed headers only, at its X-Amz-Date), and compares. */
async function verify(signer: SignatureV4, req: IncomingMessage, body: Buffer, authorization: string): Promise<boolean> {
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const date = String(req.headers['x-amz-date'] ?? '');
  const parsed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!parsed || signedHeaders.length === 0) return false;
  const signingDate = new Date(Date.UTC(+parsed[1]!, +parsed[2]! - 1, +parsed[3]!, +parsed[4]!, +parsed[5]!, +parsed[6]!));
  const host = String(req.headers.host ?? '');
  const headers = Object.fromEntries(signedHeaders.map((h) => [h, String(req.headers[h] ?? '')]));
  const again = await signer.sign(
    { method: req.method!, protocol: 'http:', hostname: host.split(':')[0]!, path: req.url!, query: {}, headers, body: body.toString('utf8') },
    { signingDate },
  );
  return again.headers.authorization === authorization;
}
