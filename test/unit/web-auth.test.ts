/**
 * The web app's Cognito hosted sign-in (web/src/auth.ts): PKCE, the hosted UI's URLs, the
 * callback and its state check, the token exchange and refresh against a fake token endpoint
 * and its errors. Real Cognito is not reachable from the tests.
 */
import { describe, expect, it } from 'vitest';
import {
  apiToken,
  authorizeUrl,
  base64url,
  beginSignIn,
  callTokenEndpoint,
  codeChallenge,
  completeSignIn,
  hostedUi,
  logoutUrl,
  LOCAL_CLIENT_ID,
  parseCallback,
  PENDING_KEY,
  randomToken,
  refreshRequest,
  revokeRequest,
  SignInError,
  stateMatches,
  tokenRequest,
  type HostedUi,
} from '../../web/src/auth.ts';
import { LOCAL_CLIENT_ID as SERVER_CLIENT_ID } from '#src/adapters/local/local-oauth.ts';

const DOMAIN = 'https://cahier-test.auth.eu-west-3.amazoncognito.com';
const REDIRECT = 'https://d111111abcdef8.cloudfront.net/auth/callback';
const LOGOUT = 'https://d111111abcdef8.cloudfront.net/';

/** config.json as infra/web-stack.ts writes it (loginUrl from CDK's signInUrl). */
const CONFIG = {
  kind: 'cognito' as const,
  loginUrl: `${DOMAIN}/oauth2/authorize?client_id=client123&response_type=code&redirect_uri=${REDIRECT}`,
  region: 'eu-west-3',
  userPoolId: 'eu-west-3_abc',
  clientId: 'client123',
  redirectUri: REDIRECT,
  logoutUri: LOGOUT,
};

const UI: HostedUi = { origin: DOMAIN, clientId: 'client123', redirectUri: REDIRECT, logoutUri: LOGOUT };

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('PKCE', () => {
  it('the S256 challenge matches RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('verifiers are 43 URL-safe characters, fresh each time', () => {
    const a = randomToken();
    const b = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(base64url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
  });

  it('a sign-in keeps a verifier of RFC 7636 length and charset and sends its S256 challenge, never the verifier', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const storage = new MemoryStorage();
      const url = new URL(await beginSignIn(UI, storage));
      const { verifier, state } = JSON.parse(storage.getItem(PENDING_KEY)!) as { verifier: string; state: string };
      // 43 to 128 characters of [A-Z a-z 0-9 - . _ ~] (§4.1); 32 random bytes give 43.
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
      expect(verifier).toHaveLength(43);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('code_challenge')).toBe(await codeChallenge(verifier));
      expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(url.search).not.toContain(verifier);
      expect(state).toMatch(/^[A-Za-z0-9_-]{22}$/);
      seen.add(verifier);
    }
    expect(seen.size).toBe(50);
  });
});

describe('hosted UI URLs', () => {
  it('reads the domain and client from config.json', () => {
    expect(hostedUi(CONFIG)).toEqual(UI);
    expect(hostedUi({ kind: 'cognito', loginUrl: CONFIG.loginUrl })).toEqual({ ...UI, logoutUri: undefined });
    expect(hostedUi({ kind: 'cognito' })).toBeUndefined();
    expect(hostedUi({ kind: 'cognito', loginUrl: 'not a url' })).toBeUndefined();
  });

  it('locally, the local stack’s endpoints under /local, called back on the page’s origin', () => {
    const origin = 'http://127.0.0.1:3000';
    expect(hostedUi({ kind: 'local' }, origin)).toEqual({ origin: `${origin}/local`, clientId: LOCAL_CLIENT_ID, redirectUri: `${origin}/auth/callback`, logoutUri: undefined });
    expect(hostedUi({ kind: 'local', clientId: 'other' }, origin)?.clientId).toBe('other');
    // The app's default is the client the local stack registers.
    expect(LOCAL_CLIENT_ID).toBe(SERVER_CLIENT_ID);
    expect(new URL(authorizeUrl(hostedUi({ kind: 'local' }, origin)!, { state: 's', challenge: 'c', loginHint: 'buyer' })).searchParams.get('login_hint')).toBe('buyer');
  });

  it('the authorize URL asks for a code with an S256 challenge and the state', () => {
    const url = new URL(authorizeUrl(UI, { state: 'st', challenge: 'ch' }));
    expect(`${url.origin}${url.pathname}`).toBe(`${DOMAIN}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: REDIRECT,
      scope: 'openid email',
      code_challenge_method: 'S256',
      code_challenge: 'ch',
      state: 'st',
    });
    expect(url.search).toContain('scope=openid+email');
  });

  it('the token request is form-encoded, with the verifier and no secret', () => {
    const { url, init } = tokenRequest(UI, 'the-code', 'the-verifier');
    expect(url).toBe(`${DOMAIN}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'the-code',
      redirect_uri: REDIRECT,
      code_verifier: 'the-verifier',
    });
  });

  it('the refresh and revoke requests are form-encoded, with the client id and no secret', () => {
    const refresh = refreshRequest(UI, 'the-refresh-token');
    expect(refresh.url).toBe(`${DOMAIN}/oauth2/token`);
    expect(refresh.init.method).toBe('POST');
    expect(refresh.init.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(String(refresh.init.body)))).toEqual({ grant_type: 'refresh_token', client_id: 'client123', refresh_token: 'the-refresh-token' });
    const revoke = revokeRequest(UI, 'the-refresh-token');
    expect(revoke.url).toBe(`${DOMAIN}/oauth2/revoke`);
    expect(Object.fromEntries(new URLSearchParams(String(revoke.init.body)))).toEqual({ token: 'the-refresh-token', client_id: 'client123' });
  });

  it('the logout URL names the client and where to come back', () => {
    const url = new URL(logoutUrl(UI)!);
    expect(`${url.origin}${url.pathname}`).toBe(`${DOMAIN}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'client123', logout_uri: LOGOUT });
    expect(logoutUrl({ ...UI, logoutUri: undefined })).toBeUndefined();
  });
});

describe('callback', () => {
  it('parses a code and state, an OAuth error, or neither', () => {
    expect(parseCallback(new URLSearchParams('code=abc&state=xyz'))).toEqual({ kind: 'code', code: 'abc', state: 'xyz' });
    expect(parseCallback(new URLSearchParams('error=access_denied&error_description=User+cancelled'))).toEqual({
      kind: 'error',
      error: 'access_denied',
      description: 'User cancelled',
    });
    expect(parseCallback(new URLSearchParams('code=abc'))).toEqual({ kind: 'invalid' });
    expect(parseCallback(new URLSearchParams(''))).toEqual({ kind: 'invalid' });
  });

  it('the state must be the one kept', () => {
    expect(stateMatches('abc', 'abc')).toBe(true);
    expect(stateMatches('abc', 'abd')).toBe(false);
    expect(stateMatches('abc', 'abcd')).toBe(false);
    expect(stateMatches(undefined, 'abc')).toBe(false);
    expect(stateMatches('', '')).toBe(false);
  });

  it('picks the access token for the API, else the id token', () => {
    expect(apiToken({ access_token: 'a', id_token: 'i' })).toBe('a');
    expect(apiToken({ id_token: 'i' })).toBe('i');
    expect(apiToken({})).toBeUndefined();
  });
});

describe('sign-in flow', () => {
  async function begin(storage: MemoryStorage) {
    const url = new URL(await beginSignIn(UI, storage));
    const pending = JSON.parse(storage.getItem(PENDING_KEY)!) as { state: string; verifier: string };
    return { url, pending };
  }

  it('keeps state and verifier, sends the challenge, then exchanges the code with the verifier once', async () => {
    const storage = new MemoryStorage();
    const { url, pending } = await begin(storage);
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('code_challenge')).toBe(await codeChallenge(pending.verifier));

    const calls: Array<{ url: string; body: URLSearchParams }> = [];
    const fakeFetch = (async (input: string, init: RequestInit) => {
      calls.push({ url: input, body: new URLSearchParams(String(init.body)) });
      return new Response(JSON.stringify({ access_token: 'access.jwt', id_token: 'id.jwt', token_type: 'Bearer', expires_in: 3600 }), { status: 200 });
    }) as typeof fetch;
    const { tokens } = await completeSignIn(UI, new URLSearchParams({ code: 'c0de', state: pending.state }), storage, fakeFetch, () => 1_000_000);

    expect(tokens).toEqual({ accessToken: 'access.jwt', expiresAt: 1_000_000 + 3_600_000, lifetime: 3_600_000, refreshToken: undefined });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${DOMAIN}/oauth2/token`);
    expect(calls[0]!.body.get('code')).toBe('c0de');
    expect(calls[0]!.body.get('code_verifier')).toBe(pending.verifier);
    expect(storage.getItem(PENDING_KEY)).toBeNull();

    // Replayed callback: the pending sign-in is gone.
    await expect(completeSignIn(UI, new URLSearchParams({ code: 'c0de', state: pending.state }), storage, fakeFetch)).rejects.toMatchObject({ reason: 'state' });
    expect(calls).toHaveLength(1);
  });

  it('refuses a wrong state without calling the token endpoint', async () => {
    const storage = new MemoryStorage();
    await begin(storage);
    let called = false;
    const fakeFetch = (async () => {
      called = true;
      return new Response('{}');
    }) as typeof fetch;
    const attempt = completeSignIn(UI, new URLSearchParams({ code: 'c', state: 'forged' }), storage, fakeFetch);
    await expect(attempt).rejects.toBeInstanceOf(SignInError);
    await expect(attempt).rejects.toMatchObject({ reason: 'state' });
    expect(called).toBe(false);
  });

  it('reports an OAuth error and a failing token endpoint', async () => {
    const storage = new MemoryStorage();
    const { pending } = await begin(storage);
    const never = (async () => {
      throw new Error('not called');
    }) as typeof fetch;
    await expect(completeSignIn(UI, new URLSearchParams({ error: 'access_denied' }), storage, never)).rejects.toMatchObject({ reason: 'refused' });

    const again = await begin(storage);
    const failing = (async () => new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 })) as typeof fetch;
    await expect(completeSignIn(UI, new URLSearchParams({ code: 'c', state: again.pending.state }), storage, failing)).rejects.toMatchObject({
      reason: 'rejected',
      message: expect.stringContaining('invalid_grant'),
    });
    expect(pending.state).not.toBe(again.pending.state);
  });

  it('comes back to the route kept at the start, and only to a route of the app', async () => {
    const storage = new MemoryStorage();
    const ok = (async () => new Response(JSON.stringify({ access_token: 'a.b.c', refresh_token: 'r', expires_in: 60 }))) as typeof fetch;
    await beginSignIn(UI, storage, { returnTo: '/cctp/3' });
    let state = (JSON.parse(storage.getItem(PENDING_KEY)!) as { state: string }).state;
    expect(await completeSignIn(UI, new URLSearchParams({ code: 'c', state }), storage, ok)).toMatchObject({ returnTo: '/cctp/3', tokens: { refreshToken: 'r' } });
    await beginSignIn(UI, storage, { returnTo: 'https://evil.example/' });
    state = (JSON.parse(storage.getItem(PENDING_KEY)!) as { state: string }).state;
    expect((await completeSignIn(UI, new URLSearchParams({ code: 'c', state }), storage, ok)).returnTo).toBeUndefined();
  });
});

describe('token endpoint answers', () => {
  const request = refreshRequest(UI, 'rt');
  const answering = (status: number, body: unknown) => (async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })) as typeof fetch;
  const reasonOf = (fetchFn: typeof fetch) => callTokenEndpoint(request, fetchFn).then(() => 'ok', (e: unknown) => (e instanceof SignInError ? e.reason : String(e)));

  it('a refused grant (expired or revoked refresh token, wrong client) is final: rejected', async () => {
    for (const error of ['invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_request', 'unsupported_grant_type']) {
      expect(await reasonOf(answering(400, { error }))).toBe('rejected');
    }
    expect(await reasonOf(answering(401, { error: 'invalid_client' }))).toBe('rejected');
  });

  it('anything else may pass: network, 5xx, throttling, nonsense, no token, no lifetime', async () => {
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await reasonOf(offline)).toBe('token');
    expect(await reasonOf(answering(500, { error: 'internal_error' }))).toBe('token');
    expect(await reasonOf(answering(503, 'Service Unavailable'))).toBe('token');
    expect(await reasonOf(answering(429, { error: 'slow_down' }))).toBe('token');
    expect(await reasonOf(answering(400, 'not json'))).toBe('token');
    expect(await reasonOf(answering(200, 'not json'))).toBe('token');
    expect(await reasonOf(answering(200, { token_type: 'Bearer', expires_in: 3600 }))).toBe('token');
    expect(await reasonOf(answering(200, { access_token: 'not-a-jwt' }))).toBe('token');
  });

  it('the lifetime comes from expires_in on this clock, else from the token’s exp', async () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    const now = () => 5_000_000;
    expect(await callTokenEndpoint(request, answering(200, { access_token: jwt({ exp: 1 }), expires_in: 300 }), now)).toMatchObject({ expiresAt: 5_300_000, lifetime: 300_000 });
    expect(await callTokenEndpoint(request, answering(200, { access_token: jwt({ exp: 5_000 + 120 }) }), now)).toMatchObject({ expiresAt: 5_120_000, lifetime: 120_000 });
  });
});
