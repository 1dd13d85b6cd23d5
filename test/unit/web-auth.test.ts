/**
 * The web app's Cognito hosted sign-in (web/src/auth.ts): PKCE, the hosted UI's URLs, the
 * callback and its state check, the token exchange against a fake token endpoint. Real Cognito
 * is not reachable from the tests.
 */
import { describe, expect, it } from 'vitest';
import {
  apiToken,
  authorizeUrl,
  base64url,
  beginSignIn,
  codeChallenge,
  completeSignIn,
  hostedUi,
  logoutUrl,
  parseCallback,
  PENDING_KEY,
  randomToken,
  SignInError,
  stateMatches,
  tokenRequest,
  type HostedUi,
} from '../../web/src/auth.ts';

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
});

describe('hosted UI URLs', () => {
  it('reads the domain and client from config.json', () => {
    expect(hostedUi(CONFIG)).toEqual(UI);
    expect(hostedUi({ kind: 'cognito', loginUrl: CONFIG.loginUrl })).toEqual({ ...UI, logoutUri: undefined });
    expect(hostedUi({ kind: 'cognito' })).toBeUndefined();
    expect(hostedUi({ kind: 'local' })).toBeUndefined();
    expect(hostedUi({ kind: 'cognito', loginUrl: 'not a url' })).toBeUndefined();
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
    const token = await completeSignIn(UI, new URLSearchParams({ code: 'c0de', state: pending.state }), storage, fakeFetch);

    expect(token).toBe('access.jwt');
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
      reason: 'token',
      message: expect.stringContaining('invalid_grant'),
    });
    expect(pending.state).not.toBe(again.pending.state);
  });
});
