/**
 * The web app's tokens (web/src/credentials.ts) and the API client's 401 handling
 * (web/src/api.ts): the access token is renewed with the refresh token before it expires and
 * after a 401 (once, then the request is sent again), concurrent callers share one refresh, a
 * refused refresh token ends the session (once) and a failing token endpoint does not.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../web/src/api.ts';
import type { HostedUi } from '../../web/src/auth.ts';
import { Credentials, REFRESH_KEY } from '../../web/src/credentials.ts';

const UI: HostedUi = { origin: 'https://login.example', clientId: 'client123', redirectUri: 'https://app.example/auth/callback', logoutUri: undefined };

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

let clock = 1_700_000_000_000;
const now = () => clock;
/** A readable JWT (unsigned: the app only reads claims, the API verifies). */
const jwt = (n: number, lifetimeSeconds = 3600) =>
  `e30.${Buffer.from(JSON.stringify({ sub: 'buyer-1', 'cognito:groups': ['buyers'], exp: Math.floor(clock / 1000) + lifetimeSeconds, n })).toString('base64url')}.sig`;

/** A fake token endpoint: answers `plan` in order (a new access token, or an error status and body). */
function tokenEndpoint(plan: Array<'ok' | { status: number; error?: string } | 'offline'>) {
  const calls: URLSearchParams[] = [];
  let issued = 0;
  const fetchFn = (async (_url: string, init: RequestInit) => {
    calls.push(new URLSearchParams(String(init.body)));
    const step = plan.shift() ?? 'ok';
    if (step === 'offline') throw new TypeError('Failed to fetch');
    if (step === 'ok') return new Response(JSON.stringify({ access_token: jwt(++issued), token_type: 'Bearer', expires_in: 3600 }), { status: 200 });
    return new Response(JSON.stringify(step.error ? { error: step.error } : {}), { status: step.status });
  }) as typeof fetch;
  return { calls, fetchFn };
}

function open(fetchFn: typeof fetch, storage = new MemoryStorage()) {
  const credentials = new Credentials({ ui: UI, storage, fetchFn, now });
  const ended = vi.fn();
  credentials.onEnded(ended);
  const session = credentials.open({ accessToken: jwt(0), expiresAt: clock + 3_600_000, lifetime: 3_600_000, refreshToken: 'refresh-1' });
  return { credentials, ended, session, storage };
}

describe('Credentials', () => {
  it('keeps the access token in memory only and the refresh token in the tab’s storage', () => {
    const { session, storage } = open(tokenEndpoint([]).fetchFn);
    expect(session).toEqual({ subject: 'buyer-1', label: 'buyer-1', groups: ['buyers'] });
    expect([...storage.items]).toEqual([[REFRESH_KEY, 'refresh-1']]);
  });

  it('answers the token it has until a quarter of its lifetime (30 s at most) is left, then refreshes first', async () => {
    const endpoint = tokenEndpoint(['ok']);
    const { credentials } = open(endpoint.fetchFn);
    const first = await credentials.token();
    clock += 3_600_000 - 31_000;
    expect(await credentials.token()).toBe(first);
    expect(endpoint.calls).toHaveLength(0);
    clock += 2_000;
    const renewed = await credentials.token();
    expect(renewed).not.toBe(first);
    expect(endpoint.calls).toHaveLength(1);
    expect(Object.fromEntries(endpoint.calls[0]!)).toEqual({ grant_type: 'refresh_token', client_id: 'client123', refresh_token: 'refresh-1' });
  });

  it('concurrent callers share one refresh; a 401 on a token already replaced costs no second refresh', async () => {
    const endpoint = tokenEndpoint(['ok']);
    const { credentials } = open(endpoint.fetchFn);
    const stale = await credentials.token();
    clock += 3_600_000;
    const tokens = await Promise.all([credentials.token(), credentials.token(), credentials.renew(stale!)]);
    expect(endpoint.calls).toHaveLength(1);
    expect(new Set([tokens[0], tokens[1], (tokens[2] as { token: string }).token]).size).toBe(1);
    expect(await credentials.renew(stale!)).toEqual({ kind: 'renewed', token: tokens[0] });
    expect(endpoint.calls).toHaveLength(1);
  });

  it('a refused refresh token (expired, revoked) ends the session once and forgets the tokens', async () => {
    const endpoint = tokenEndpoint([{ status: 400, error: 'invalid_grant' }]);
    const { credentials, ended, storage } = open(endpoint.fetchFn);
    clock += 3_600_000;
    const results = await Promise.all([credentials.token(), credentials.token()]);
    expect(results).toEqual([undefined, undefined]);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(storage.items.size).toBe(0);
    expect(await credentials.token()).toBeUndefined();
    expect(endpoint.calls).toHaveLength(1);
  });

  it('a failing token endpoint keeps the session and the refresh token, and is asked again next time', async () => {
    const endpoint = tokenEndpoint(['offline', { status: 503 }, 'ok']);
    const { credentials, ended, storage } = open(endpoint.fetchFn);
    const first = await credentials.token();
    clock += 3_600_000;
    expect(await credentials.renew(first!)).toEqual({ kind: 'unavailable' });
    expect(await credentials.renew(first!)).toEqual({ kind: 'unavailable' });
    expect(storage.getItem(REFRESH_KEY)).toBe('refresh-1');
    expect(await credentials.renew(first!)).toMatchObject({ kind: 'renewed' });
    expect(ended).not.toHaveBeenCalled();
  });

  it('resumes after a reload from the kept refresh token; a refused one resumes nothing and tells nobody', async () => {
    const storage = new MemoryStorage();
    storage.setItem(REFRESH_KEY, 'kept');
    const ok = new Credentials({ ui: UI, storage, fetchFn: tokenEndpoint(['ok']).fetchFn, now });
    expect(ok.canResume()).toBe(true);
    expect(await ok.resume()).toEqual({ kind: 'resumed', session: { subject: 'buyer-1', label: 'buyer-1', groups: ['buyers'] } });
    expect(await ok.token()).toBeTruthy();

    const refused = new Credentials({ ui: UI, storage, fetchFn: tokenEndpoint([{ status: 400, error: 'invalid_grant' }]).fetchFn, now });
    const ended = vi.fn();
    refused.onEnded(ended);
    expect(await refused.resume()).toEqual({ kind: 'ended' });
    expect(ended).not.toHaveBeenCalled();
    expect(refused.canResume()).toBe(false);
  });

  it('sign-out forgets the tokens and revokes the refresh token', async () => {
    const endpoint = tokenEndpoint([{ status: 200 }]);
    const { credentials, storage } = open(endpoint.fetchFn);
    await credentials.close();
    expect(storage.items.size).toBe(0);
    expect(Object.fromEntries(endpoint.calls[0]!)).toEqual({ token: 'refresh-1', client_id: 'client123' });
    expect(await credentials.token()).toBeUndefined();
  });

  describe('a pasted token (no refresh token)', () => {
    beforeEach(() => vi.useFakeTimers({ now: clock }));
    afterEach(() => vi.useRealTimers());

    it('opens a session that ends when the token expires', async () => {
      const credentials = new Credentials({ ui: UI, storage: new MemoryStorage(), fetchFn: tokenEndpoint([]).fetchFn, now: () => Date.now() });
      const ended = vi.fn();
      credentials.onEnded(ended);
      expect(credentials.openWithToken('not a token')).toBeUndefined();
      expect(credentials.openWithToken(jwt(1, 60))).toBeDefined();
      vi.advanceTimersByTime(59_000);
      expect(ended).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1_000);
      expect(ended).toHaveBeenCalledTimes(1);
      expect(await credentials.token()).toBeUndefined();
    });
  });
});

describe('API client', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  /** An API that accepts only `valid` tokens, and records what it was sent. */
  function api(valid: () => string | undefined) {
    const sent: Array<{ authorization: string | undefined; body: string | undefined }> = [];
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      const authorization = (init.headers as Record<string, string>).authorization;
      sent.push({ authorization, body: init.body as string | undefined });
      return authorization === `Bearer ${valid()}`
        ? new Response(JSON.stringify({ ok: true }), { status: 200 })
        : new Response(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401 }), { status: 401 });
    }) as typeof fetch;
    return sent;
  }

  it('on a 401, renews the token once and sends the same request again', async () => {
    const endpoint = tokenEndpoint(['ok']);
    const { credentials } = open(endpoint.fetchFn);
    const before = await credentials.token();
    // The API refuses the token this client still thinks good (a clock ahead, a revoked token).
    let accepted: string | undefined;
    const sent = api(() => accepted);
    const onUnauthorized = vi.fn();
    const client = createApi('', { token: () => credentials.token(), renew: (stale) => credentials.renew(stale).then((r) => ((accepted = r.kind === 'renewed' ? r.token : undefined), r)) }, onUnauthorized);
    const { body } = await client.request<{ ok: boolean }>('POST', '/tenders/validate', { body: { title: 'x' } });
    expect(body).toEqual({ ok: true });
    expect(sent).toHaveLength(2);
    expect(sent[0]!.authorization).toBe(`Bearer ${before}`);
    expect(sent[1]!.authorization).toBe(`Bearer ${accepted}`);
    expect(sent[1]!.body).toBe(sent[0]!.body);
    expect(endpoint.calls).toHaveLength(1);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('a second 401 after renewing signs out, without a third try', async () => {
    const { credentials } = open(tokenEndpoint(['ok', 'ok']).fetchFn);
    const sent = api(() => 'never');
    const onUnauthorized = vi.fn();
    const client = createApi('', credentials, onUnauthorized);
    await expect(client.request('GET', '/tenders')).rejects.toMatchObject({ status: 401 });
    expect(sent).toHaveLength(2);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('a refused refresh token ends the session once (the credentials tell the app), no retry', async () => {
    const { credentials, ended } = open(tokenEndpoint([{ status: 400, error: 'invalid_grant' }]).fetchFn);
    const sent = api(() => 'never');
    const onUnauthorized = vi.fn();
    await expect(createApi('', credentials, onUnauthorized).request('GET', '/tenders')).rejects.toMatchObject({ status: 401 });
    expect(sent).toHaveLength(1);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('a token endpoint out of reach is a network error, the session stays', async () => {
    const { credentials, ended } = open(tokenEndpoint(['offline']).fetchFn);
    api(() => 'never');
    const onUnauthorized = vi.fn();
    await expect(createApi('', credentials, onUnauthorized).request('GET', '/tenders')).rejects.toMatchObject({ status: 0 });
    expect(ended).not.toHaveBeenCalled();
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
});
