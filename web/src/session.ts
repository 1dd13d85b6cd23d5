/** The signed-in user: a bearer token and what its claims say (read for display only; the API checks them). */
export interface Session {
  token: string;
  subject: string;
  /** Who to show: the email or user name when the token has one (Cognito), else the subject. */
  label: string;
  groups: string[];
  /** Seconds since the epoch. */
  expiresAt: number | undefined;
}

const KEY = 'cahier:session';

export function isBuyer(session: Session | undefined): boolean {
  return session?.groups.includes('buyers') ?? false;
}

export function isEditor(session: Session | undefined): boolean {
  return session?.groups.includes('criteria-editors') ?? false;
}

/** The session a token opens, or undefined when it is not a readable, unexpired JWT. */
export function sessionFromToken(token: string): Session | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1]!.length / 4) * 4, '='));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
    const raw = claims['cognito:groups'];
    const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean) : [];
    const expiresAt = typeof claims.exp === 'number' ? claims.exp : undefined;
    if (expiresAt !== undefined && expiresAt * 1000 <= Date.now()) return undefined;
    const subject = String(claims.sub ?? '');
    const named = [claims.email, claims['cognito:username'], claims.username].find((v): v is string => typeof v === 'string' && v !== '');
    return { token: token.trim(), subject, label: named ?? subject, groups, expiresAt };
  } catch {
    return undefined;
  }
}

/** The session kept for this tab (it survives a reload, not closing the tab). */
export function loadSession(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  return token ? sessionFromToken(token) : undefined;
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, session.token);
  else sessionStorage.removeItem(KEY);
}
