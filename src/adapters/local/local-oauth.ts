import { createHash, randomBytes } from 'node:crypto';
import type { LocalTokens } from './local-tokens.ts';

/** The web app's client id on the local stack (web/src/auth.ts LOCAL_CLIENT_ID says the same). */
export const LOCAL_CLIENT_ID = 'cahier-local-web';

/** An authorization code is exchanged within this time, once. */
const CODE_TTL_MS = 60_000;
/** Codes and refresh tokens kept at most (the oldest are forgotten first): a bound on memory, far above one laptop's use. */
const MAX_GRANTS = 10_000;
/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge: BASE64URL of 32 bytes. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export interface LocalOAuthOptions {
  tokens: LocalTokens;
  /** Who may sign in, by `login_hint` (the local sign-in page's profiles). */
  users: Record<string, { sub: string; groups: readonly string[] }>;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  now?: () => number;
}

export type OAuthAnswer = { status: number; body: Record<string, unknown> } | { status: 302; location: string };

interface Grant {
  user: string;
  expiresAt: number;
}

/**
 * Plays the Cognito hosted UI's OAuth endpoints on the local stack, so that the web app signs in
 * and refreshes locally exactly as in AWS: `GET /oauth2/authorize` (code grant, PKCE S256
 * required, `login_hint` picks the profile: there is no password locally), `POST /oauth2/token`
 * (`authorization_code` with the verifier, `refresh_token`) and `POST /oauth2/revoke`. Access
 * tokens are the local stack's signed tokens (LocalTokens: `exp`, lifetime and `nbf` checked by
 * the API); codes and refresh tokens are random, kept in memory (a restart ends every session,
 * as a revoked refresh token would), errors are RFC 6749's. The HTTP server serves these only to
 * loopback Host and Origin (src/adapters/local/http-server.ts).
 */
export class LocalAuthorizationServer {
  private readonly codes = new Map<string, Grant & { challenge: string; redirectUri: string }>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly now: () => number;

  constructor(private readonly options: LocalOAuthOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The authorize endpoint. `origin` is the page's own (`http://127.0.0.1:3000`): the only
   * redirect URI registered is `<origin>/auth/callback`. A wrong client or redirect URI answers
   * 400 (never redirect to an unchecked URI); other errors go back to the redirect URI.
   */
  authorize(query: URLSearchParams, origin: string): OAuthAnswer {
    const redirectUri = query.get('redirect_uri');
    if (query.get('client_id') !== LOCAL_CLIENT_ID) return oauthError(400, 'invalid_client', `client_id must be ${LOCAL_CLIENT_ID}`);
    if (redirectUri !== `${origin}/auth/callback`) return oauthError(400, 'invalid_request', `redirect_uri must be ${origin}/auth/callback`);
    const state = query.get('state') ?? '';
    const back = (params: Record<string, string>) => ({ status: 302 as const, location: `${redirectUri}?${new URLSearchParams({ ...params, ...(state ? { state } : {}) })}` });
    if (query.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' });
    if (!state) return back({ error: 'invalid_request', error_description: 'state is required' });
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !CHALLENGE.test(challenge)) {
      return back({ error: 'invalid_request', error_description: 'PKCE is required: code_challenge_method=S256 and a 43-character code_challenge' });
    }
    const user = query.get('login_hint') ?? '';
    if (!Object.hasOwn(this.options.users, user)) return back({ error: 'access_denied', error_description: `login_hint must be one of ${Object.keys(this.options.users).join(', ')}` });
    this.prune();
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { user, challenge, redirectUri, expiresAt: this.now() + CODE_TTL_MS });
    return back({ code });
  }

  /** The token endpoint: a form body (`application/x-www-form-urlencoded`). */
  async token(form: URLSearchParams): Promise<OAuthAnswer> {
    if (form.get('client_id') !== LOCAL_CLIENT_ID) return oauthError(400, 'invalid_client', `client_id must be ${LOCAL_CLIENT_ID}`);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const grant = this.codes.get(code);
      // Single use: a code is gone after the first attempt, good or bad.
      this.codes.delete(code);
      if (!grant || grant.expiresAt <= this.now()) return oauthError(400, 'invalid_grant', 'the code is unknown, used or expired');
      if (form.get('redirect_uri') !== grant.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri differs from the authorize request');
      const verifier = form.get('code_verifier') ?? '';
      if (!VERIFIER.test(verifier) || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        return oauthError(400, 'invalid_grant', 'the code_verifier does not match the code_challenge');
      }
      this.prune();
      const refreshToken = randomBytes(48).toString('base64url');
      this.refreshTokens.set(refreshToken, { user: grant.user, expiresAt: this.now() + this.options.refreshTokenTtlSeconds * 1000 });
      return { status: 200, body: { ...(await this.access(grant.user)), refresh_token: refreshToken } };
    }
    if (grantType === 'refresh_token') {
      const grant = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!grant || grant.expiresAt <= this.now()) return oauthError(400, 'invalid_grant', 'the refresh token is unknown, revoked or expired');
      // As Cognito without rotation: a new access token, the same refresh token (whose lifetime does not slide).
      return { status: 200, body: await this.access(grant.user) };
    }
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  /** RFC 7009: the refresh token stops working; an unknown token is not an error. */
  revoke(form: URLSearchParams): OAuthAnswer {
    if (form.get('client_id') !== LOCAL_CLIENT_ID) return oauthError(400, 'invalid_client', `client_id must be ${LOCAL_CLIENT_ID}`);
    this.refreshTokens.delete(form.get('token') ?? '');
    return { status: 200, body: {} };
  }

  private async access(user: string): Promise<Record<string, unknown>> {
    const subject = this.options.users[user]!;
    const ttlSeconds = this.options.accessTokenTtlSeconds;
    const token = await this.options.tokens.sign({ sub: subject.sub, groups: [...subject.groups], ttlSeconds });
    return { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds };
  }

  /** Forgets expired codes and refresh tokens, and the oldest refresh tokens beyond the bound. */
  private prune(): void {
    const now = this.now();
    for (const grants of [this.codes, this.refreshTokens] as Array<Map<string, Grant>>) {
      for (const [key, grant] of grants) if (grant.expiresAt <= now || grants.size >= MAX_GRANTS) grants.delete(key);
    }
  }
}

function oauthError(status: number, error: string, description: string): OAuthAnswer {
  return { status, body: { error, error_description: description } };
}
