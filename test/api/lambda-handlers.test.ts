import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApiEvent, HttpApiHandler } from '#src/adapters/http/lambda-types.ts';
import { ROUTES, type FunctionName } from '#src/adapters/http/routes.ts';
import { example } from '../support/pipeline.ts';
import { startApiStack, type ApiStack } from './support/api-stack.ts';

/**
 * The Lambda entry points themselves (functions/<name>/handler.ts), loaded the way Lambda loads
 * them: configuration from process.env at import, then events shaped as API Gateway sends them,
 * claims flattened to strings by the JWT authorizer.
 */
let stack: ApiStack;
const handlers = {} as Record<FunctionName, HttpApiHandler>;

beforeAll(async () => {
  stack = await startApiStack();
  Object.assign(process.env, {
    TABLE_NAME: stack.config.tableName,
    BUCKET_NAME: stack.config.bucketName,
    AWS_REGION: stack.config.aws.region,
    DYNAMODB_ENDPOINT: stack.config.aws.dynamodbEndpoint,
    S3_ENDPOINT: stack.config.aws.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_CHECKSUMS: 'when-required',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  for (const name of new Set(ROUTES.map((r) => r.function))) {
    handlers[name] = ((await import(`../../functions/${name}/handler.ts`)) as { handler: HttpApiHandler }).handler;
  }
});
afterAll(async () => {
  await stack?.stop();
});

function event(routeKey: string, rawPath: string, options: { claims?: Record<string, string>; body?: unknown; headers?: Record<string, string>; params?: Record<string, string> } = {}): HttpApiEvent {
  const [method] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.params ? { pathParameters: options.params } : {}),
    ...(options.body !== undefined ? { body: Buffer.from(JSON.stringify(options.body)).toString('base64') } : {}),
    isBase64Encoded: options.body !== undefined,
    requestContext: {
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey,
      stage: '$default',
      http: { method: method!, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    },
  };
}

/** Issued now for an hour, as API Gateway hands Cognito's claims over (numbers as strings). */
const times = () => ({ iat: String(Math.floor(Date.now() / 1000)), exp: String(Math.floor(Date.now() / 1000) + 3600) });
const BUYER_CLAIMS = { sub: 'd4f1c2e0-buyer', 'cognito:groups': '[buyers]', iss: 'https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_x', ...times() };
const EDITOR_CLAIMS = { sub: 'a9b8-editor', 'cognito:groups': '[criteria-editors]', ...times() };

describe('Lambda handlers', () => {
  it('health and openapi answer without configuration', async () => {
    const health = await handlers.health(event('GET /health', '/health'));
    const openapi = await handlers.openapi(event('GET /openapi.json', '/openapi.json'));

    expect(health.statusCode).toBe(200);
    expect(JSON.parse(openapi.body!).openapi).toBe('3.1.0');
  });

  it('catalogue-read serves a criterion with its ETag to a caller the authorizer verified', async () => {
    const res = await handlers['catalogue-read'](event('GET /criteria/{id}', '/criteria/laptop.ram', { claims: BUYER_CLAIMS, params: { id: 'laptop.ram' } }));

    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe('"2"');
  });

  it('re-checks the claims: no claims is a 401, a buyer on an editor route a 403', async () => {
    const anonymous = await handlers['catalogue-read'](event('GET /frameworks', '/frameworks'));
    const buyerWrites = await handlers['criteria-write'](event('PUT /criteria/{id}', '/criteria/laptop.ram', { claims: BUYER_CLAIMS, params: { id: 'laptop.ram' }, body: {} }));

    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(anonymous.body!).requestId).toBe('JKJaXmPLvHcESHA=');
    expect(buyerWrites.statusCode).toBe(403);
  });

  it('criteria-write enforces If-Match', async () => {
    const res = await handlers['criteria-write'](event('PUT /criteria/{id}', '/criteria/laptop.ram', { claims: EDITOR_CLAIMS, params: { id: 'laptop.ram' }, body: {} }));

    expect(res.statusCode).toBe(428);
  });

  it('tenders generates a tender from a base64 body and serves it to its owner', async () => {
    const created = await handlers.tenders(event('POST /tenders', '/tenders', { claims: BUYER_CLAIMS, body: example('commune') }));
    const id = JSON.parse(created.body!).id as string;
    const read = await handlers.tenders(event('GET /tenders/{id}', `/tenders/${id}`, { claims: BUYER_CLAIMS, params: { id } }));

    expect(created.statusCode).toBe(201);
    expect(JSON.parse(read.body!).owner).toBe('d4f1c2e0-buyer');
  });

  it('answers 404 for a route key that belongs to another function', async () => {
    const res = await handlers.tenders(event('GET /frameworks', '/frameworks', { claims: BUYER_CLAIMS }));

    expect(res.statusCode).toBe(404);
  });
});
