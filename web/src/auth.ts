/**
 * Hosted sign-in (Cognito's, or the local stack's that plays it): OAuth 2.0 authorization code
 * with PKCE (RFC 7636) and a checked state, for a public client (no secret); the token endpoint's
 * answers and errors, and the refresh and revocation requests that web/src/credentials.ts sends.
 * Pure functions and a storage/fetch-injected flow, so that Node (vitest) can test them:
 * WebCrypto, URL and URLSearchParams are the same there as in the browser.
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

/** config.json of the local stack (src/entry/local-server.ts): its own authorization server under `/local`. */
export interface LocalAuthConfig {
  kind: 'local';
  /** The local stack's client id (LOCAL_CLIENT_ID in src/adapters/local/local-oauth.ts); this default otherwise. */
  clientId?: string;
}

/** The local stack's public client, as src/adapters/local/local-oauth.ts registers it. */
export const LOCAL_CLIENT_ID = 'cahier-local-web';

/** Endpoints and client of the hosted UI (Cognito's, or the local stack's that plays it). */
export interface HostedUi {
  /** Where the OAuth endpoints are (`/oauth2/authorize`, `/oauth2/token`, `/oauth2/revoke`, `/logout`): e.g. https://cahier-prod.auth.eu-west-3.amazoncognito.com, or http://127.0.0.1:3000/local. */
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

/**
 * The hosted UI: Cognito's when config.json names one (a stage with a Cognito domain); locally the
 * local stack's endpoints under `<page origin>/local`, called back on `<page origin>/auth/callback`
 * as CloudFront is. Undefined when a Cognito stage has no domain.
 */
export function hostedUi(auth: LocalAuthConfig | CognitoAuthConfig, origin?: string): HostedUi | undefined {
  if (auth.kind === 'local') {
    const pageOrigin = origin ?? location.origin;
    return { origin: `${pageOrigin}/local`, clientId: auth.clientId ?? LOCAL_CLIENT_ID, redirectUri: `${pageOrigin}/auth/callback`, logoutUri: undefined };
  }
  if (!auth.loginUrl) return undefined;
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

export function authorizeUrl(ui: HostedUi, options: { state: string; challenge: string; loginHint?: string }): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: ui.clientId,
    redirect_uri: ui.redirectUri,
    scope: SCOPES.join(' '),
    code_challenge_method: 'S256',
    code_challenge: options.challenge,
    state: options.state,
    // OpenID Connect's hint of who signs in: the local stack's profile (`buyer`, `editor`).
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  });
  return `${ui.origin}/oauth2/authorize?${query}`;
}

function formPost(url: string, fields: Record<string, string>): { url: string; init: RequestInit } {
  return {
    url,
    init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), cache: 'no-store', credentials: 'omit' },
  };
}

/** The token request: form-encoded, no client secret (public client), the verifier proves the caller started the flow. */
export function tokenRequest(ui: HostedUi, code: string, verifier: string): { url: string; init: RequestInit } {
  return formPost(`${ui.origin}/oauth2/token`, { grant_type: 'authorization_code', client_id: ui.clientId, code, redirect_uri: ui.redirectUri, code_verifier: verifier });
}

/** The refresh request (RFC 6749 §6): a new access token for the refresh token, no secret either. */
export function refreshRequest(ui: HostedUi, refreshToken: string): { url: string; init: RequestInit } {
  return formPost(`${ui.origin}/oauth2/token`, { grant_type: 'refresh_token', client_id: ui.clientId, refresh_token: refreshToken });
}

/** Revokes a refresh token (Cognito's `/oauth2/revoke`, RFC 7009) and the access tokens it issued. */
export function revokeRequest(ui: HostedUi, refreshToken: string): { url: string; init: RequestInit } {
  return formPost(`${ui.origin}/oauth2/revoke`, { token: refreshToken, client_id: ui.clientId });
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
  /** The hash route to come back to once signed in (where the buyer was when the session ended). */
  returnTo?: string;
}

type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Starts a sign-in: keeps a fresh state and verifier for this tab (and where to come back to) and
 * answers the hosted UI URL to go to.
 */
export async function beginSignIn(ui: HostedUi, storage: SessionStore, options: { loginHint?: string; returnTo?: string } = {}): Promise<string> {
  const pending: Pending = { state: randomToken(16), verifier: randomToken(32), ...(options.returnTo ? { returnTo: options.returnTo } : {}) };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  return authorizeUrl(ui, { state: pending.state, challenge: await codeChallenge(pending.verifier), ...(options.loginHint ? { loginHint: options.loginHint } : {}) });
}

export class SignInError extends Error {
  constructor(
    /**
     * state: not a sign-in this tab started; refused: the hosted UI said no; invalid: no code;
     * rejected: the token endpoint refused the grant (code or refresh token expired, used or
     * revoked: sign in again); token: the token endpoint is unreachable, failing or answered
     * nonsense (a transient failure: the refresh token may still be good).
     */
    readonly reason: 'state' | 'refused' | 'invalid' | 'rejected' | 'token',
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/** What the token endpoint gave: the access token, when it ends (local clock) and the refresh token if any. */
export interface TokenSet {
  accessToken: string;
  /** Milliseconds since the epoch, on this machine's clock (from `expires_in`, so a skewed clock does not matter). */
  expiresAt: number;
  /** The access token's lifetime in milliseconds, as announced. */
  lifetime: number;
  refreshToken: string | undefined;
}

/** The OAuth errors by which a token endpoint refuses the grant itself (RFC 6749 §5.2): asking again will not help. */
const GRANT_REFUSED = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_request', 'unsupported_grant_type', 'invalid_scope']);

/**
 * Calls the token endpoint and reads its answer. `now` is read when the answer arrives. Throws
 * SignInError: `rejected` for a 4xx with an OAuth error above, `token` for anything else
 * (network, 5xx, 429, an answer without access token).
 */
export async function callTokenEndpoint(request: { url: string; init: RequestInit }, fetchFn: typeof fetch, now: () => number = Date.now): Promise<TokenSet> {
  let response: Response;
  try {
    response = await fetchFn(request.url, request.init);
  } catch {
    throw new SignInError('token', 'the token endpoint cannot be reached');
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const error = typeof body?.error === 'string' ? body.error : undefined;
  if (!response.ok || !body) {
    const refused = response.status >= 400 && response.status < 500 && error !== undefined && GRANT_REFUSED.has(error);
    throw new SignInError(refused ? 'rejected' : 'token', `the token endpoint answered ${response.status}${error ? ` ${error}` : ''}`);
  }
  const accessToken = apiToken(body);
  if (!accessToken) throw new SignInError('token', 'the token endpoint answered no token');
  // expires_in is RECOMMENDED (RFC 6749 §5.1), Cognito always sends it; without it, the token's own exp.
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : expiryIn(accessToken, now());
  if (expiresIn === undefined) throw new SignInError('token', 'the token endpoint answered a token without lifetime');
  const refreshToken = typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined;
  return { accessToken, expiresAt: now() + expiresIn * 1000, lifetime: expiresIn * 1000, refreshToken };
}

/** Seconds left before a JWT's `exp`, or undefined when it has none or cannot be read. */
function expiryIn(token: string, now: number): number | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='))) as { exp?: unknown };
    return typeof claims.exp === 'number' && claims.exp * 1000 > now ? claims.exp - now / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A finished sign-in: the tokens, and where to go back to. */
export interface SignedIn {
  tokens: TokenSet;
  returnTo: string | undefined;
}

/**
 * Finishes a sign-in from the callback's query: the state must be the one this tab kept (else
 * the code is not ours: refused without calling the token endpoint), then the code and verifier
 * are exchanged for tokens. The pending state is used once.
 */
export async function completeSignIn(ui: HostedUi, query: URLSearchParams, storage: SessionStore, fetchFn: typeof fetch, now: () => number = Date.now): Promise<SignedIn> {
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
  const tokens = await callTokenEndpoint(tokenRequest(ui, callback.code, pending.verifier), fetchFn, now);
  return { tokens, returnTo: typeof pending.returnTo === 'string' && pending.returnTo.startsWith('/') ? pending.returnTo : undefined };
}

/** The token to send to the API from a token endpoint answer: the access token, else the id token. */
export function apiToken(body: Record<string, unknown>): string | undefined {
  if (typeof body.access_token === 'string' && body.access_token) return body.access_token;
  if (typeof body.id_token === 'string' && body.id_token) return body.id_token;
  return undefined;
}
