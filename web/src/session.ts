/**
 * Who is signed in, as the access token's claims say (read for display and routing only; the API
 * checks them). The token itself is not here: web/src/credentials.ts holds it, and renews it
 * without changing the session.
 */
export interface Session {
  subject: string;
  /** Who to show: the email or user name when the token has one (Cognito), else the subject. */
  label: string;
  groups: string[];
}

export function isBuyer(session: Session | undefined): boolean {
  return session?.groups.includes('buyers') ?? false;
}

export function isEditor(session: Session | undefined): boolean {
  return session?.groups.includes('criteria-editors') ?? false;
}

/** Catalogue managers (group `catalogue-managers`) check catalogues; editors may too. */
export function isCatalogueManager(session: Session | undefined): boolean {
  return session?.groups.includes('catalogue-managers') ?? false;
}

/** The claims of a JWT, unverified; undefined when it is not a readable JWT. */
function claimsOf(token: string): Record<string, unknown> | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1]!.length / 4) * 4, '='));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The session a token opens and its `exp` (seconds), or undefined when it is not a readable, unexpired JWT. */
export function sessionFromToken(token: string, now: number = Date.now()): { session: Session; expiresAt: number | undefined } | undefined {
  const claims = claimsOf(token);
  if (!claims) return undefined;
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean) : [];
  const expiresAt = typeof claims.exp === 'number' ? claims.exp : undefined;
  if (expiresAt !== undefined && expiresAt * 1000 <= now) return undefined;
  const subject = String(claims.sub ?? '');
  const named = [claims.email, claims['cognito:username'], claims.username].find((v): v is string => typeof v === 'string' && v !== '');
  return { session: { subject, label: named ?? subject, groups }, expiresAt };
}
