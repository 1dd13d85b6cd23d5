import { callTokenEndpoint, refreshRequest, revokeRequest, SignInError, type HostedUi, type TokenSet } from './auth.ts';
import { sessionFromToken, type Session } from './session.ts';

/**
 * Where the tokens live, and why.
 *
 * - The access token (the bearer sent to the API) lives only in this object's memory: no script
 *   reads it from storage, it dies with the page, and a reload gets a fresh one.
 * - The refresh token lives in `sessionStorage` under REFRESH_KEY. It has to outlive a reload (a
 *   buyer pressing F5 halfway through a file keeps the session), and the app is static files on
 *   S3 and CloudFront calling Cognito's token endpoint directly: there is no server of ours to
 *   hold it in an HttpOnly cookie (a backend-for-frontend, the stronger choice, would be a new
 *   service to run and secure). `sessionStorage` is per tab and erased when the tab closes, unlike
 *   `localStorage`; what an injected script could do with it is bounded by the CSP (scripts from
 *   the app's own origin only, no inline script, `connect-src` limited to the API and Cognito),
 *   by the refresh token's lifetime (12 h, set on the user pool client) and by revocation on
 *   « Se déconnecter » (`/oauth2/revoke`, token revocation is enabled on the client).
 * - The draft in progress is not a credential: web/src/draft.ts keeps it in `localStorage` per
 *   user, so an ended session never takes it away.
 */
export const REFRESH_KEY = 'cahier:refresh';

type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The outcome of asking for a new access token. */
export type Renewal =
  | { kind: 'renewed'; token: string }
  /** No way to renew: the refresh token expired or was revoked, or there is none. The session is over. */
  | { kind: 'ended' }
  /** The token endpoint could not answer (network, 5xx): the refresh token is kept, to try again later. */
  | { kind: 'unavailable' };

export interface CredentialsOptions {
  /** The token endpoint's owner; undefined when the app cannot refresh (a Cognito stage without domain). */
  ui: HostedUi | undefined;
  storage: SessionStore;
  fetchFn: typeof fetch;
  now?: () => number;
}

/**
 * The signed-in user's tokens. `token()` answers an access token good for the next request,
 * refreshing it first when it is about to expire; `renew()` refreshes after the API answered
 * 401. Concurrent callers share one refresh. When renewing is impossible, the `ended` listener
 * runs once (the app then asks to sign in again, the draft stays).
 */
export class Credentials {
  private access: { token: string; expiresAt: number; lifetime: number } | undefined;
  private renewing: Promise<Renewal> | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private ended: (() => void) | undefined;
  private readonly now: () => number;

  constructor(private readonly options: CredentialsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Who is told that the session ended (the app shell). */
  onEnded(listener: (() => void) | undefined): void {
    this.ended = listener;
  }

  /** A refresh token from before a reload waits in this tab. */
  canResume(): boolean {
    return this.options.ui !== undefined && this.options.storage.getItem(REFRESH_KEY) !== null;
  }

  /** Opens a session with what the token endpoint answered; undefined when the access token is unreadable or expired. */
  open(tokens: TokenSet): Session | undefined {
    const read = sessionFromToken(tokens.accessToken, this.now());
    if (!read) return undefined;
    this.clearTimer();
    this.access = { token: tokens.accessToken, expiresAt: tokens.expiresAt, lifetime: tokens.lifetime };
    if (tokens.refreshToken) this.options.storage.setItem(REFRESH_KEY, tokens.refreshToken);
    else this.options.storage.removeItem(REFRESH_KEY);
    if (!tokens.refreshToken) this.endAtExpiry();
    return read.session;
  }

  /**
   * Opens a session with a bare access token (pasted on the local sign-in page): nothing to
   * refresh it with, so the session ends when it expires.
   */
  openWithToken(token: string): Session | undefined {
    const now = this.now();
    const read = sessionFromToken(token, now);
    if (!read || read.expiresAt === undefined) return undefined;
    const lifetime = read.expiresAt * 1000 - now;
    return this.open({ accessToken: token.trim(), expiresAt: now + lifetime, lifetime, refreshToken: undefined });
  }

  /** After a reload: a new access token for the kept refresh token, and the session it opens. */
  async resume(): Promise<{ kind: 'resumed'; session: Session } | { kind: 'ended' } | { kind: 'unavailable' }> {
    const renewal = await this.renew(undefined, false);
    if (renewal.kind !== 'renewed') return renewal;
    const read = sessionFromToken(renewal.token, this.now());
    return read ? { kind: 'resumed', session: read.session } : { kind: 'ended' };
  }

  /**
   * The access token for the next request, refreshed first when less than a quarter of its
   * lifetime (at most 30 s) is left; undefined when signed out or the session just ended. A
   * refresh that cannot be made now leaves the current token (the API's 401 then says so).
   */
  async token(): Promise<string | undefined> {
    const access = this.access;
    if (!access) return undefined;
    if (this.now() < access.expiresAt - Math.min(30_000, access.lifetime / 4)) return access.token;
    const renewal = await this.renew(access.token);
    return renewal.kind === 'renewed' ? renewal.token : renewal.kind === 'unavailable' ? access.token : undefined;
  }

  /**
   * A new access token, after `stale` was refused or is about to expire. When another caller
   * already replaced `stale`, answers that token without calling the token endpoint again.
   */
  renew(stale: string | undefined, hadSession = true): Promise<Renewal> {
    if (this.access && stale !== undefined && this.access.token !== stale && this.now() < this.access.expiresAt) {
      return Promise.resolve({ kind: 'renewed', token: this.access.token });
    }
    this.renewing ??= this.refresh(hadSession).finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async refresh(hadSession: boolean): Promise<Renewal> {
    const { ui, storage, fetchFn } = this.options;
    const refreshToken = storage.getItem(REFRESH_KEY);
    if (!ui || !refreshToken) return this.end(hadSession);
    try {
      const tokens = await callTokenEndpoint(refreshRequest(ui, refreshToken), fetchFn, this.now);
      // Cognito answers no refresh token unless rotation is on; then the new one replaces the old.
      this.open({ ...tokens, refreshToken: tokens.refreshToken ?? refreshToken });
      return this.access ? { kind: 'renewed', token: this.access.token } : this.end(hadSession);
    } catch (error) {
      if (error instanceof SignInError && error.reason === 'rejected') return this.end(hadSession);
      return { kind: 'unavailable' };
    }
  }

  /** Forgets every token and, best effort, revokes the refresh token (sign-out). */
  async close(): Promise<void> {
    const refreshToken = this.options.storage.getItem(REFRESH_KEY);
    this.forget();
    if (!refreshToken || !this.options.ui) return;
    const { url, init } = revokeRequest(this.options.ui, refreshToken);
    await this.options.fetchFn(url, init).catch(() => undefined);
  }

  private end(hadSession: boolean): Renewal {
    const wasOpen = this.access !== undefined || hadSession;
    this.forget();
    if (wasOpen) this.ended?.();
    return { kind: 'ended' };
  }

  private forget(): void {
    this.clearTimer();
    this.access = undefined;
    this.options.storage.removeItem(REFRESH_KEY);
  }

  /** Without a refresh token, the session ends when the access token does (the API would refuse it from then on). */
  private endAtExpiry(): void {
    const left = (this.access?.expiresAt ?? 0) - this.now();
    // setTimeout holds at most 2^31-1 ms; tokens live at most a day.
    this.expiryTimer = setTimeout(() => this.end(false), Math.max(0, Math.min(left, 2 ** 31 - 1)));
  }

  private clearTimer(): void {
    if (this.expiryTimer !== undefined) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }
}
