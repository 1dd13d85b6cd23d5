/**
 * The local stack's OAuth endpoints (src/adapters/local/local-oauth.ts behind
 * src/adapters/local/http-server.ts), which the web app uses locally as it uses Cognito's in AWS:
 * authorization code with PKCE S256 and state, refresh, revocation; the access tokens they issue
 * pass the API's checks (signature, exp, lifetime) and no longer once expired; loopback Host and
 * Origin only (defect 2); errors as RFC 6749 says.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HttpApiHandler } from '#src/adapters/http/lambda-types.ts';
import type { FunctionName } from '#src/adapters/http/routes.ts';
import { startLocalApi, type LocalApi } from '#src/adapters/local/http-server.ts';
import { LOCAL_CLIENT_ID, LocalAuthorizationServer } from '#src/adapters/local/local-oauth.ts';
import { LocalTokens, toGatewayClaims } from '#src/adapters/local/local-tokens.ts';

const USERS = { buyer: { sub: 'local-buyer', groups: ['buyers'] }, editor: { sub: 'local-editor', groups: ['criteria-editors'] } };
const ok: HttpApiHandler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: event.requestContext.authorizer?.jwt?.claims.sub }) });
const handlers = Object.fromEntries((['health', 'openapi', 'catalogue-read', 'criteria-write', 'tenders'] as FunctionName[]).map((n) => [n, ok])) as Record<FunctionName, HttpApiHandler>;

let tokens: LocalTokens;
let api: LocalApi;
let clock = Date.now();
let origin: string;
let host: string;

beforeAll(async () => {
  tokens = await LocalTokens.generate();
  const oauth = new LocalAuthorizationServer({ tokens, users: USERS, accessTokenTtlSeconds: 2, refreshTokenTtlSeconds: 600, now: () => clock });
  api = await startLocalApi({ handlers, verifyToken: async (t) => toGatewayClaims(await tokens.verify(t)), web: { dir: '/nonexistent', config: { apiUrl: '' }, oauth } });
  origin = api.url;
  host = new URL(api.url).host;
});

afterAll(async () => {
  await api?.close();
});

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A raw request (fetch cannot set Host, and follows redirects). */
function call(method: string, path: string, options: { headers?: Record<string, string>; form?: Record<string, string>; bearer?: string } = {}): Promise<Answer> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const headers: Record<string, string> = { host, ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}), ...options.headers };
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

const verifier = () => randomBytes(32).toString('base64url');
const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');

function authorizeQuery(overrides: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: LOCAL_CLIENT_ID,
    redirect_uri: `${origin}/auth/callback`,
    code_challenge_method: 'S256',
    state: 'st4te',
    login_hint: 'buyer',
    ...overrides,
  };
  return new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
}

/** Authorizes with `v`'s challenge; the redirect's query. */
async function authorize(v: string, overrides: Record<string, string | undefined> = {}): Promise<URLSearchParams> {
  const res = await call('GET', `/local/oauth2/authorize?${authorizeQuery({ code_challenge: challengeOf(v), ...overrides })}`);
  expect(res.status, res.body).toBe(302);
  const location = new URL(String(res.headers.location));
  expect(`${location.origin}${location.pathname}`).toBe(`${origin}/auth/callback`);
  return location.searchParams;
}

const exchange = (code: string, v: string, extra: Record<string, string> = {}) =>
  call('POST', '/local/oauth2/token', { form: { grant_type: 'authorization_code', client_id: LOCAL_CLIENT_ID, code, redirect_uri: `${origin}/auth/callback`, code_verifier: v, ...extra } });
const refresh = (refreshToken: string) => call('POST', '/local/oauth2/token', { form: { grant_type: 'refresh_token', client_id: LOCAL_CLIENT_ID, refresh_token: refreshToken } });

describe('sign-in and refresh, as with Cognito', () => {
  test('code with PKCE → access and refresh tokens; the API accepts the access token; refresh gives a new one; revocation ends it', async () => {
    const v = verifier();
    const back = await authorize(v);
    expect(back.get('state')).toBe('st4te');
    const code = back.get('code')!;
    expect(code).toMatch(/^[\w-]{43}$/);

    const res = await exchange(code, v);
    expect(res.status, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const issued = JSON.parse(res.body) as { access_token: string; refresh_token: string; token_type: string; expires_in: number };
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 2 });
    const claims = await tokens.verify(issued.access_token);
    expect(claims).toMatchObject({ sub: 'local-buyer', 'cognito:groups': ['buyers'] });
    expect(claims.exp! - claims.iat!).toBe(2);
    expect(JSON.parse((await call('GET', '/tenders', { bearer: issued.access_token })).body)).toEqual({ sub: 'local-buyer' });

    const renewed = await refresh(issued.refresh_token);
    expect(renewed.status, renewed.body).toBe(200);
    const next = JSON.parse(renewed.body) as { access_token: string; refresh_token?: string };
    expect(next.refresh_token).toBeUndefined();
    expect((await tokens.verify(next.access_token)).sub).toBe('local-buyer');

    expect((await call('POST', '/local/oauth2/revoke', { form: { token: issued.refresh_token, client_id: LOCAL_CLIENT_ID } })).status).toBe(200);
    const afterRevoke = await refresh(issued.refresh_token);
    expect(afterRevoke.status).toBe(400);
    expect(JSON.parse(afterRevoke.body)).toMatchObject({ error: 'invalid_grant' });
  });

  test('an access token past its exp is refused by the API (401); its refresh token still gives a good one', async () => {
    const v = verifier();
    const issued = JSON.parse((await exchange((await authorize(v)).get('code')!, v)).body) as { access_token: string; refresh_token: string };
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await call('GET', '/tenders', { bearer: issued.access_token })).status).toBe(401);
    const fresh = JSON.parse((await refresh(issued.refresh_token)).body) as { access_token: string };
    expect((await call('GET', '/tenders', { bearer: fresh.access_token })).status).toBe(200);
  });

  test('a refresh token past its lifetime is refused: invalid_grant', async () => {
    const v = verifier();
    const issued = JSON.parse((await exchange((await authorize(v)).get('code')!, v)).body) as { refresh_token: string };
    clock += 601_000;
    try {
      const res = await refresh(issued.refresh_token);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    } finally {
      clock -= 601_000;
    }
  });
});

describe('PKCE, state and codes', () => {
  test('a wrong verifier is refused, and the code is spent by that attempt', async () => {
    const v = verifier();
    const code = (await authorize(v)).get('code')!;
    const wrong = await exchange(code, verifier());
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body)).toMatchObject({ error: 'invalid_grant' });
    expect(JSON.parse((await exchange(code, v)).body)).toMatchObject({ error: 'invalid_grant' });
  });

  test('a code is used once; a verifier out of RFC 7636’s charset or length is refused', async () => {
    const v = verifier();
    const code = (await authorize(v)).get('code')!;
    expect((await exchange(code, v)).status).toBe(200);
    expect((await exchange(code, v)).status).toBe(400);
    const short = 'a'.repeat(42);
    const codeShort = (await authorize(short)).get('code')!;
    expect((await exchange(codeShort, short)).status).toBe(400);
    const odd = `${'a'.repeat(42)}+`;
    const codeOdd = (await authorize(odd)).get('code')!;
    expect((await exchange(codeOdd, odd)).status).toBe(400);
  });

  test('the redirect_uri of the exchange must be the authorize request’s', async () => {
    const v = verifier();
    const code = (await authorize(v)).get('code')!;
    expect(JSON.parse((await exchange(code, v, { redirect_uri: 'http://127.0.0.1:1/auth/callback' })).body)).toMatchObject({ error: 'invalid_grant' });
  });

  test('no PKCE, plain PKCE, no state, an unknown profile: back to the app with an error and no code', async () => {
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ code_challenge: undefined }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge_method: undefined }, 'invalid_request'],
      [{ state: undefined }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ login_hint: 'admin' }, 'access_denied'],
    ];
    for (const [overrides, error] of cases) {
      const res = await call('GET', `/local/oauth2/authorize?${authorizeQuery({ code_challenge: challengeOf(verifier()), ...overrides })}`);
      expect(res.status, JSON.stringify(overrides)).toBe(302);
      const back = new URL(String(res.headers.location)).searchParams;
      expect(back.get('error'), JSON.stringify(overrides)).toBe(error);
      expect(back.get('code')).toBeNull();
    }
  });

  test('a foreign redirect_uri or client is answered 400, never redirected to', async () => {
    for (const overrides of [{ redirect_uri: 'http://evil.example/auth/callback' }, { redirect_uri: `${origin}/elsewhere` }, { client_id: 'other' }]) {
      const res = await call('GET', `/local/oauth2/authorize?${authorizeQuery({ code_challenge: challengeOf(verifier()), ...overrides })}`);
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(res.headers.location).toBeUndefined();
    }
  });

  test('token endpoint: form body only, known grant types, its own client', async () => {
    const json = await call('POST', '/local/oauth2/token', { headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(json.body)).toMatchObject({ error: 'invalid_request' });
    expect(JSON.parse((await call('POST', '/local/oauth2/token', { form: { grant_type: 'password', client_id: LOCAL_CLIENT_ID } })).body)).toMatchObject({ error: 'unsupported_grant_type' });
    expect(JSON.parse((await call('POST', '/local/oauth2/token', { form: { grant_type: 'refresh_token', client_id: 'other', refresh_token: 'x' } })).body)).toMatchObject({ error: 'invalid_client' });
    expect((await call('GET', '/local/oauth2/token')).status).toBe(405);
  });
});

describe('loopback only (defect 2)', () => {
  test('another Host or a foreign Origin: 403 on every local OAuth endpoint, no code nor token given', async () => {
    const { port } = new URL(api.url);
    const v = verifier();
    const refreshToken = (JSON.parse((await exchange((await authorize(v)).get('code')!, v)).body) as { refresh_token: string }).refresh_token;
    const cases: Array<Record<string, string>> = [{ host: `evil.example:${port}` }, { host, origin: 'http://evil.example' }, { host, origin: 'null' }];
    for (const headers of cases) {
      const answers = [
        await call('GET', `/local/oauth2/authorize?${authorizeQuery({ code_challenge: challengeOf(v), redirect_uri: `http://${headers.host}/auth/callback` })}`, { headers }),
        await call('POST', '/local/oauth2/token', { headers, form: { grant_type: 'refresh_token', client_id: LOCAL_CLIENT_ID, refresh_token: refreshToken } }),
        await call('POST', '/local/oauth2/revoke', { headers, form: { token: refreshToken, client_id: LOCAL_CLIENT_ID } }),
      ];
      for (const res of answers) {
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(res.headers.location).toBeUndefined();
        expect(res.body).not.toContain('access_token');
      }
    }
    // The refresh token survived the foreign revocation attempt.
    expect((await refresh(refreshToken)).status).toBe(200);
  });

  test('the callback path goes to the app’s hash route, as CloudFront does', async () => {
    const res = await call('GET', '/auth/callback?code=abc&state=xyz');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/#/auth/callback?code=abc&state=xyz');
  });
});
