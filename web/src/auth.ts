/**
 * Cognito hosted sign-in: OAuth 2.0 authorization code with PKCE (RFC 7636), for a public client
 * (no secret). Pure functions and a storage/fetch-injected flow, so that Node (vitest) can test
 * them: WebCrypto, URL and URLSearchParams are the same there as in the browser.
 *
 * Which token the app sends to the API: the HTTP API's authorizer (infra/stateless-stack.ts,
 * HttpUserPoolAuthorizer) checks `iss` (the user pool) and `aud`, or `client_id` when a token has
 * no `aud`, against the web client's id. Both Cognito tokens pass (the id token carries
 * `aud`, the access token `client_id`), and both carry `sub` and `cognito:groups`, all the
 * handlers read. The app sends the access token, the one OAuth meant for APIs; the id token only
 * if the answer had no access token.
 */

/** What config.json says about the Cognito sign-in (infra/constructs/web-content.ts). */
export interface CognitoAuthConfig {
  kind: 'cognito';
  /** The hosted UI's authorize URL, already carrying client_id and redirect_uri (CDK signInUrl). */
  loginUrl?: string;
  region?: string;
  userPoolId?: string;
  clientId?: string;
  redirectUri?: string;
  logoutUri?: string;
}

/** Endpoints and client of the hosted UI. */
export interface HostedUi {
  /** e.g. https://cahier-prod.auth.eu-west-3.amazoncognito.com */
  origin: string;
  clientId: string;
  redirectUri: string;
  logoutUri: string | undefined;
}

/**
 * Scopes asked for. The user pool client allows `openid` and `email` (infra/stateful-stack.ts);
 * Cognito refuses a request naming a scope the client does not allow (`invalid_scope`).
 */
export const SCOPES = ['openid', 'email'] as const;

/** sessionStorage key of the pending sign-in (state and verifier), removed once used. */
export const PENDING_KEY = 'cahier:oauth-pending';

/** The hosted UI, when config.json names one (a stage with a Cognito domain); undefined otherwise. */
export function hostedUi(auth: { kind: 'local' } | CognitoAuthConfig): HostedUi | undefined {
  if (auth.kind !== 'cognito' || !auth.loginUrl) return undefined;
  let login: URL;
  try {
    login = new URL(auth.loginUrl);
  } catch {
    return undefined;
  }
  const clientId = auth.clientId ?? login.searchParams.get('client_id') ?? undefined;
  const redirectUri = auth.redirectUri ?? login.searchParams.get('redirect_uri') ?? undefined;
  if (!clientId || !redirectUri) return undefined;
  return { origin: login.origin, clientId, redirectUri, logoutUri: auth.logoutUri };
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random URL-safe string of `bytes` random bytes (32 bytes: 43 characters, RFC 7636's minimum length). */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier))). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function authorizeUrl(ui: HostedUi, options: { state: string; challenge: string }): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: ui.clientId,
    redirect_uri: ui.redirectUri,
    scope: SCOPES.join(' '),
    code_challenge_method: 'S256',
    code_challenge: options.challenge,
    state: options.state,
  });
  return `${ui.origin}/oauth2/authorize?${query}`;
}

/** The token request: form-encoded, no client secret (public client), the verifier proves the caller started the flow. */
export function tokenRequest(ui: HostedUi, code: string, verifier: string): { url: string; init: RequestInit } {
  const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: ui.clientId, code, redirect_uri: ui.redirectUri, code_verifier: verifier });
  return {
    url: `${ui.origin}/oauth2/token`,
    init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
  };
}

/** Cognito's logout endpoint: ends the hosted UI's session, then comes back to `logout_uri`. Undefined without one. */
export function logoutUrl(ui: HostedUi): string | undefined {
  if (!ui.logoutUri) return undefined;
  return `${ui.origin}/logout?${new URLSearchParams({ client_id: ui.clientId, logout_uri: ui.logoutUri })}`;
}

export type Callback = { kind: 'code'; code: string; state: string } | { kind: 'error'; error: string; description?: string } | { kind: 'invalid' };

/** What the hosted UI sent back on `#/auth/callback?…`: a code and state, an OAuth error, or neither. */
export function parseCallback(query: URLSearchParams): Callback {
  const error = query.get('error');
  if (error) {
    const description = query.get('error_description');
    return { kind: 'error', error, ...(description ? { description } : {}) };
  }
  const code = query.get('code');
  const state = query.get('state');
  if (!code || !state) return { kind: 'invalid' };
  return { kind: 'code', code, state };
}

/** The state came back unchanged (constant time over the expected length, though both are public by then). */
export function stateMatches(expected: string | undefined, received: string): boolean {
  if (!expected || expected.length !== received.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ received.charCodeAt(i);
  return diff === 0;
}

interface Pending {
  state: string;
  verifier: string;
}

type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Starts a sign-in: keeps a fresh state and verifier for this tab and answers the hosted UI URL to go to. */
export async function beginSignIn(ui: HostedUi, storage: SessionStore): Promise<string> {
  const pending: Pending = { state: randomToken(16), verifier: randomToken(32) };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  return authorizeUrl(ui, { state: pending.state, challenge: await codeChallenge(pending.verifier) });
}

export class SignInError extends Error {
  constructor(
    readonly reason: 'state' | 'refused' | 'invalid' | 'token',
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/**
 * Finishes a sign-in from the callback's query: the state must be the one this tab kept (else
 * the code is not ours: refused without calling Cognito), then the code and verifier are
 * exchanged for tokens. The pending state is used once. Answers the token to send to the API.
 */
export async function completeSignIn(ui: HostedUi, query: URLSearchParams, storage: SessionStore, fetchFn: typeof fetch): Promise<string> {
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  const callback = parseCallback(query);
  if (callback.kind === 'error') throw new SignInError('refused', callback.description ?? callback.error);
  if (callback.kind === 'invalid') throw new SignInError('invalid', 'the callback carries no code and state');
  let pending: Pending | undefined;
  try {
    pending = raw ? (JSON.parse(raw) as Pending) : undefined;
  } catch {
    pending = undefined;
  }
  if (!pending || !stateMatches(pending.state, callback.state)) throw new SignInError('state', 'the state does not match the sign-in this tab started');
  const { url, init } = tokenRequest(ui, callback.code, pending.verifier);
  let response: Response;
  try {
    response = await fetchFn(url, init);
  } catch {
    throw new SignInError('token', 'the token endpoint cannot be reached');
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok || !body) throw new SignInError('token', `the token endpoint answered ${response.status}${typeof body?.error === 'string' ? ` ${body.error}` : ''}`);
  const token = apiToken(body);
  if (!token) throw new SignInError('token', 'the token endpoint answered no token');
  return token;
}

/** The token to send to the API from a token endpoint answer: the access token, else the id token. */
export function apiToken(body: Record<string, unknown>): string | undefined {
  if (typeof body.access_token === 'string' && body.access_token) return body.access_token;
  if (typeof body.id_token === 'string' && body.id_token) return body.id_token;
  return undefined;
}
