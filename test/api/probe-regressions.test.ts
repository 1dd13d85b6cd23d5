/**
 * One regression test per defect the probe of the local stack found (issue 11), against the API as
 * the local stack serves it (real handlers, dynalite, s3rver) and, where the Lambda path differs,
 * against the function handler directly.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFromClaims, parseGroupsClaim } from '#src/adapters/http/auth.ts';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '#src/adapters/http/headers.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { ROUTES } from '#src/adapters/http/routes.ts';
import { startLocalApi } from '#src/adapters/local/http-server.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalTokens, toGatewayClaims } from '#src/adapters/local/local-tokens.ts';
import { createApiHandlers } from '#src/entry/api-handlers.ts';
import { defaultPipeline } from '#src/entry/pipeline.ts';
import type { HttpApiEvent } from '#src/adapters/http/lambda-types.ts';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '#src/adapters/http/request.ts';
import { example } from '../support/pipeline.ts';
import { captureTelemetry } from '../support/telemetry.ts';
import { startApiStack, type ApiStack } from './support/api-stack.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** tsx's loader by path: the script runs from a folder with no node_modules. */
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** `lots` holding arrays nested `depth` levels deep. */
const deepArrays = (depth: number) => `{"lots":${'['.repeat(depth)}${']'.repeat(depth)}}`;
/** Objects nested `depth` levels deep: {"a":{"a":…}}. */
const deepObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('deeply nested JSON (defect 1)', () => {
  it('is refused with 400 before any recursive walk, on every route that reads a body; no 500, nothing written', async () => {
    const before = await stack.counts();
    const arrays = deepArrays(2_500);
    const objects = deepObjects(10_000);
    expect(Buffer.byteLength(objects)).toBeLessThan(MAX_BODY_BYTES);
    const calls = [
      ['POST', '/tenders', stack.tokens.buyer],
      ['POST', '/tenders/validate', stack.tokens.buyer],
      ['PUT', '/criteria/tablet.storage.user', stack.tokens.editor],
      ['POST', '/frameworks/carmo-education/versions', stack.tokens.editor],
    ] as const;
    for (const [method, path, token] of calls) {
      for (const body of [arrays, objects]) {
        const response = await stack.call(method, path, { token, body, headers: { 'if-match': '"1"' } });
        expect(response.status, `${method} ${path}`).toBe(400);
        expect(response.json.type).toBe('urn:cahier:problem:json-too-deep');
        expect(response.json.detail).toContain(`${MAX_JSON_DEPTH}`);
      }
    }
    expect(await stack.counts()).toEqual(before);
  });

  it('a body just within the depth limit is parsed and validated as usual (422, not 400)', async () => {
    const response = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: deepArrays(MAX_JSON_DEPTH - 1) });
    expect(response.status).toBe(422);
  });

  it('brackets inside strings do not count', async () => {
    const body = { ...example('commune'), context: `${'['.repeat(500)}${'{'.repeat(500)}` };
    const response = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body });
    expect(response.status).toBe(200);
  });

  it('the Lambda handler refuses a deep or oversized body on any route, even one that reads none', async () => {
    const handler = createFunctionHandler('health', { getHealth: async () => ({ status: 200, body: { status: 'ok' } }) }, captureTelemetry().telemetry);
    const event = (body: string): HttpApiEvent => ({
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      body,
      isBase64Encoded: false,
      requestContext: { requestId: 'r-1', http: { method: 'GET', path: '/health' } },
    });
    expect((await handler(event(deepObjects(10_000)))).statusCode).toBe(400);
    expect((await handler(event(`"${'x'.repeat(MAX_BODY_BYTES)}"`))).statusCode).toBe(413);
    expect((await handler(event('{"a":1}'))).statusCode).toBe(200);
  });
});

/** A handler of the `tenders` function whose operations answer 200: only the token checks run. */
function lambdaWithClaims(claims: Record<string, unknown>) {
  const ok = async () => ({ status: 200, body: { ok: true } });
  const handler = createFunctionHandler('tenders', Object.fromEntries(ROUTES.filter((r) => r.function === 'tenders').map((r) => [r.operationId, ok])), captureTelemetry().telemetry);
  return handler({
    version: '2.0',
    routeKey: 'GET /tenders',
    rawPath: '/tenders',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: 'r-2', http: { method: 'GET', path: '/tenders' }, authorizer: { jwt: { claims, scopes: null } } },
  });
}

const now = () => Math.floor(Date.now() / 1000);

describe('token lifetime (defect 3)', () => {
  it('the Lambda handlers refuse Cognito claims without exp or iat, living over a day, or not valid yet', async () => {
    const base = { sub: 'buyer-1', 'cognito:groups': '[buyers]' };
    const t = now();
    expect((await lambdaWithClaims({ ...base, iat: String(t), exp: String(t + 3600) })).statusCode).toBe(200);
    for (const [why, claims] of [
      ['no exp', { ...base, iat: String(t) }],
      ['no iat', { ...base, exp: String(t + 3600) }],
      ['expired', { ...base, iat: String(t - 7200), exp: String(t - 10) }],
      ['lives 25 hours', { ...base, iat: String(t), exp: String(t + 25 * 3600) }],
      ['nbf to come', { ...base, iat: String(t), exp: String(t + 3600), nbf: String(t + 600) }],
      ['exp not a date', { ...base, iat: String(t), exp: 'tomorrow' }],
    ] as const) {
      const res = await lambdaWithClaims(claims);
      expect(res.statusCode, why).toBe(401);
    }
  });

  it('the local verifier refuses the same, even when signed with the stack key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cahier-token-'));
    const file = join(dir, 'local-jwt-key.json');
    const tokens = await LocalTokens.loadOrCreate(file);
    const key = await importJWK(JSON.parse(await readFile(file, 'utf8')), 'ES256');
    const forge = (edit: (jwt: SignJWT) => SignJWT) =>
      edit(new SignJWT({ 'cognito:groups': ['buyers'] }).setProtectedHeader({ alg: 'ES256' }).setSubject('mallory').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE)).sign(key);
    const t = now();
    await expect(tokens.verify(await forge((j) => j.setIssuedAt(t).setExpirationTime(t + 3600)))).resolves.toMatchObject({ sub: 'mallory' });
    for (const [why, token] of [
      ['no exp', await forge((j) => j.setIssuedAt(t))],
      ['no iat', await forge((j) => j.setExpirationTime(t + 3600))],
      ['lives 30 days', await forge((j) => j.setIssuedAt(t).setExpirationTime(t + 30 * 86400))],
      ['nbf to come', await forge((j) => j.setIssuedAt(t).setExpirationTime(t + 3600).setNotBefore(t + 600))],
    ] as const) {
      await expect(tokens.verify(token), why).rejects.toThrow();
    }
    await expect(tokens.sign({ sub: 'x', groups: ['buyers'], ttlSeconds: 25 * 3600 })).rejects.toThrow(RangeError);
    await rm(dir, { recursive: true, force: true });
  });

  it('over HTTP, a token without exp is a 401', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cahier-token-'));
    const file = join(dir, 'local-jwt-key.json');
    const tokens = await LocalTokens.loadOrCreate(file);
    const key = await importJWK(JSON.parse(await readFile(file, 'utf8')), 'ES256');
    const local = await startLocalApi({
      handlers: createApiHandlers(stack.composition, defaultPipeline(), captureTelemetry().telemetry),
      verifyToken: async (token) => toGatewayClaims(await tokens.verify(token)),
    });
    const eternal = await new SignJWT({ 'cognito:groups': ['buyers'] }).setProtectedHeader({ alg: 'ES256' }).setSubject('buyer-1').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().sign(key);
    const res = await fetch(`${local.url}/tenders`, { headers: { authorization: `Bearer ${eternal}` } });
    expect(res.status).toBe(401);
    const fresh = await tokens.sign({ sub: 'buyer-1', groups: ['buyers'], ttlSeconds: 600 });
    expect((await fetch(`${local.url}/tenders`, { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);
    await local.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('group claims (defect 4)', () => {
  it("reads the JWT array and API Gateway's flattening of it, nothing else", () => {
    expect(parseGroupsClaim(['buyers', 'criteria-editors'])).toEqual(['buyers', 'criteria-editors']);
    expect(parseGroupsClaim('[buyers criteria-editors]')).toEqual(['buyers', 'criteria-editors']);
    expect(parseGroupsClaim('[]')).toEqual([]);
    for (const other of ['buyers', '["buyers"]', 'buyers,criteria-editors', '[buyers  criteria-editors]', 42, { 0: 'buyers' }]) {
      expect([...callerFromClaims({ sub: 'u', 'cognito:groups': other })!.roles], JSON.stringify(other)).toEqual([]);
    }
  });

  it('a comma belongs to a group name (Cognito allows it): "[staff,buyers]" is no buyer', () => {
    expect(parseGroupsClaim('[staff,buyers]')).toEqual(['staff,buyers']);
    expect([...callerFromClaims({ sub: 'u', 'cognito:groups': '[staff,buyers]' })!.roles]).toEqual([]);
  });

  it('a group name with a space, which Cognito cannot issue, grants nothing and is not split', () => {
    expect([...callerFromClaims({ sub: 'u', 'cognito:groups': ['school buyers'] })!.roles]).toEqual([]);
    expect([...callerFromClaims({ sub: 'u', 'cognito:groups': ['x buyers', 'criteria-editors'] })!.roles]).toEqual([]);
  });

  it('locally, a token whose group has a space is refused, so "[x buyers]" never reaches a handler', async () => {
    await expect(stack.issuer.sign({ sub: 'u', groups: ['x buyers'] })).rejects.toThrow(/not a name Cognito allows/);
    const dir = await mkdtemp(join(tmpdir(), 'cahier-token-'));
    const file = join(dir, 'local-jwt-key.json');
    const tokens = await LocalTokens.loadOrCreate(file);
    const key = await importJWK(JSON.parse(await readFile(file, 'utf8')), 'ES256');
    const token = await new SignJWT({ 'cognito:groups': ['x buyers'] }).setProtectedHeader({ alg: 'ES256' }).setSubject('u').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(key);
    await expect(tokens.verify(token)).rejects.toThrow(/group names/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('scripts/local-token.ts (defect 9)', () => {
  const run = (env: Record<string, string | undefined>, cwd: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'scripts/local-token.ts'), 'buyer', 'alice'], { cwd, env: { PATH: process.env.PATH, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('without DATA_DIR fails naming the variable and creates no key', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'cahier-local-token-'));
    const result = await run({}, cwd);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('DATA_DIR');
    expect(result.stdout).toBe('');
    expect(existsSync(join(cwd, '.data'))).toBe(false);
    await rm(cwd, { recursive: true, force: true });
  });

  it("with a DATA_DIR that has no key, fails instead of making one; with the stack's key, prints a token it verifies", async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'cahier-local-token-'));
    const empty = await run({ DATA_DIR: join(cwd, 'nothing') }, cwd);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain('no local signing key');
    expect(existsSync(join(cwd, 'nothing', 'local-jwt-key.json'))).toBe(false);
    const tokens = await LocalTokens.loadOrCreate(join(cwd, 'stack', 'local-jwt-key.json'));
    const ok = await run({ DATA_DIR: join(cwd, 'stack') }, cwd);
    expect(ok.code).toBe(0);
    await expect(tokens.verify(ok.stdout.trim())).resolves.toMatchObject({ sub: 'alice', 'cognito:groups': ['buyers'] });
    await rm(cwd, { recursive: true, force: true });
  });
});

describe('buyer text, every string of the request (defect 5)', () => {
  const withCustom = (metric: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const body = example('commune');
    body.lots[0].customRequirements = [{ label: 'Autonomie', requirement: 'La batterie tient une journée de cours.', level: 'minimum', metric, ...extra } as never];
    return body;
  };
  const HOSTILE = [
    ['NUL', 'h\u0000'],
    ['a right-to-left override', 'h\u202Eeruoh'],
    ['a left-to-right isolate', '\u2066h'],
    ['a lone surrogate', 'h\uD800'],
  ] as const;

  it('metric.unit: 422 on its path, nothing written', async () => {
    const before = await stack.counts();
    for (const [what, unit] of HOSTILE) {
      for (const path of ['/tenders/validate', '/tenders']) {
        const res = await stack.call('POST', path, { token: stack.tokens.buyer, body: withCustom({ type: 'numeric', unit, comparator: 'gte', value: 8 }) });
        expect(res.status, `${what} on ${path}`).toBe(422);
        expect(res.json.errors.map((e: { path: string }) => e.path), what).toEqual(['lots.0.customRequirements.0.metric.unit']);
      }
    }
    expect(await stack.counts()).toEqual(before);
  });

  it('enumerated options and value, and free text, go through the same check', async () => {
    const enumMetric = { type: 'enum', options: ['Wi-Fi 5', 'Wi-Fi 6\u202E'], comparator: 'gte', value: 'Wi-Fi 5' };
    const res = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: withCustom(enumMetric) });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['lots.0.customRequirements.0.metric.options.1']);
    const title = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: { ...example('commune'), title: 'Tablettes \u202Egpj.exe' } });
    expect(title.status).toBe(422);
    expect(title.json.errors[0].path).toBe('title');
  });

  it('right-to-left scripts and the implicit direction marks stay allowed', async () => {
    const res = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: withCustom({ type: 'numeric', unit: 'ساعة\u200F', comparator: 'gte', value: 8 }) });
    expect(res.status).toBe(200);
  });
});

describe('regeneration audits the stored bytes (defect 6)', () => {
  it('an altered stored document is reported as stored-altered, a deleted one as missing; an intact tender as identical', async () => {
    const created = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: { ...example('commune'), title: 'Audit des documents stockés' } });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const intact = await stack.call('POST', `/tenders/${id}/regenerate`, { token: stack.tokens.buyer });
    expect(intact.json.identical).toBe(true);
    expect(intact.json.documents.map((d: { status: string }) => d.status)).toEqual(['identical', 'identical', 'identical']);

    // Bit rot (or tampering): one byte of the stored PDF changes; the record still names the old hash.
    const record = await stack.composition.tenders.get(id);
    const pdf = record.documents.find((d) => d.name === 'cctp.pdf')!;
    const bytes = Buffer.from(await stack.composition.documents.get(pdf.key));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0x01, bytes.length - 100);
    await stack.composition.documents.put(pdf.key, bytes, 'application/pdf');
    const report = record.documents.find((d) => d.name === 'report.json')!;
    await stack.composition.documents.delete(report.key);

    const audit = await stack.call('POST', `/tenders/${id}/regenerate`, { token: stack.tokens.buyer });
    expect(audit.status).toBe(200);
    expect(audit.json.identical).toBe(false);
    const byName = Object.fromEntries(audit.json.documents.map((d: { name: string }) => [d.name, d]));
    expect(byName['cctp.pdf']).toMatchObject({ status: 'stored-altered', identical: false, recordedSha256: pdf.sha256, regeneratedSha256: pdf.sha256 });
    expect(byName['cctp.pdf'].storedSha256).not.toBe(pdf.sha256);
    expect(byName['report.json']).toMatchObject({ status: 'missing', storedSha256: '', identical: false });
  });
});

describe('HTTP hygiene (defect 8)', () => {
  const SECURITY = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

  it('every API answer, success or problem, says nosniff, no referrer and a CSP that allows nothing', async () => {
    const answers = [
      await stack.call('GET', '/health'),
      await stack.call('GET', '/frameworks', { token: stack.tokens.buyer }),
      await stack.call('GET', '/frameworks'),
      await stack.call('GET', '/no-such-route'),
      await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: '{' }),
    ];
    for (const res of answers) {
      for (const [name, value] of Object.entries(SECURITY)) expect(res.headers.get(name), `${res.status} ${name}`).toBe(value);
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; frame-ancestors 'none'/);
    }
  });

  it('HEAD is answered wherever GET is: same status and headers, no body; the Lambda handler too', async () => {
    for (const [path, token] of [['/health', undefined], ['/frameworks', stack.tokens.buyer], ['/criteria/tablet.storage.user', stack.tokens.editor]] as const) {
      const get = await stack.call('GET', path, token ? { token } : {});
      const head = await stack.call('HEAD', path, token ? { token } : {});
      expect(head.status, path).toBe(get.status);
      expect(head.text, path).toBe('');
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    }
    expect((await stack.call('HEAD', '/frameworks')).status).toBe(401);
    const handler = createFunctionHandler('health', { getHealth: async () => ({ status: 200, body: { status: 'ok' } }) }, captureTelemetry().telemetry);
    const res = await handler({ version: '2.0', routeKey: 'HEAD /health', rawPath: '/health', rawQueryString: '', isBase64Encoded: false, requestContext: { requestId: 'h', http: { method: 'HEAD', path: '/health' } } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBeUndefined();
    expect(res.headers?.['content-length']).toBe(String(Buffer.byteLength('{"status":"ok"}')));
  });

  it('OPTIONS answers a preflight as the API stack is configured: the shared CORS lists for an allowed origin, no CORS header otherwise', async () => {
    const local = await startLocalApi({
      handlers: createApiHandlers(stack.composition, defaultPipeline(), captureTelemetry().telemetry),
      verifyToken: async (token) => toGatewayClaims(await stack.issuer.verify(token)),
      corsOrigins: ['https://cahier.example.gouv.fr'],
    });
    const preflight = (origin: string) =>
      fetch(`${local.url}/tenders`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const allowed = await preflight('https://cahier.example.gouv.fr');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://cahier.example.gouv.fr');
    expect(allowed.headers.get('access-control-allow-methods')).toBe(CORS_ALLOW_METHODS.join(','));
    expect(allowed.headers.get('access-control-allow-headers')).toBe(CORS_ALLOW_HEADERS.join(','));
    expect(allowed.headers.get('access-control-max-age')).toBe(String(CORS_MAX_AGE_SECONDS));
    const foreign = await preflight('https://evil.example');
    expect(foreign.status).toBe(204);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${local.url}/frameworks`, { headers: { origin: 'https://cahier.example.gouv.fr', authorization: `Bearer ${stack.tokens.buyer}` } });
    expect(get.headers.get('access-control-expose-headers')).toBe(CORS_EXPOSE_HEADERS.join(','));
    expect((await fetch(`${local.url}/nothing`, { method: 'OPTIONS' })).status).toBe(404);
    await local.close();
  });

  it('the OpenAPI document has what Redocly and Spectral recommend: servers, licence, tags declared, a description and a 4xx on every operation, the key lifetime', async () => {
    const doc = (await stack.call('GET', '/openapi.json')).json;
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.info.license.name).toBeTruthy();
    expect(doc.info.contact).toBeTruthy();
    const declared = new Set(doc.tags.map((t: { name: string }) => t.name));
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { description?: string; tags: string[]; responses: Record<string, unknown> }>>)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.description, `${method} ${path}`).toBeTruthy();
        for (const tag of op.tags) expect(declared.has(tag), `${method} ${path} tag ${tag}`).toBe(true);
        expect(Object.keys(op.responses).some((s) => s.startsWith('4')), `${method} ${path} 4xx`).toBe(true);
      }
    }
    const key = doc.paths['/tenders'].post.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key');
    expect(key.description).toContain('24 hours');
  });
});
