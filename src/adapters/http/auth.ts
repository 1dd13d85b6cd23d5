import * as z from 'zod';
import { OwnerSchema } from '#src/app/tender-ids.ts';
import type { Viewer } from '#src/app/generate-tender.ts';
import { httpErrors } from './errors.ts';
import type { Role } from './routes.ts';

/** Cognito user pool groups and the role each grants. */
export const GROUP_ROLES = { buyers: 'buyer', 'criteria-editors': 'editor', 'catalogue-managers': 'catalogue-manager' } as const;

export type CallerRole = (typeof GROUP_ROLES)[keyof typeof GROUP_ROLES];

/** Who calls, from verified token claims: `sub` is the owner of what they create. */
export interface Caller {
  subject: string;
  roles: ReadonlySet<CallerRole>;
}

/**
 * Cognito's group name pattern (CreateGroup's GroupName: `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`, 1 to 128
 * characters): letters, marks, symbols, digits and punctuation, commas included, never white space.
 */
export const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

/**
 * Groups in the two forms Cognito's claim reaches a handler in, and no other: the JWT's JSON
 * array (a decoded token), and API Gateway's flattening of that array, "[buyers criteria-editors]"
 * (names joined by single spaces, which no group name contains). Commas are part of a name, not a
 * separator; a bare string, a JSON text or a name that Cognito could not have issued gives no
 * group at all rather than a guess.
 */
export function parseGroupsClaim(value: unknown): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.every((g) => typeof g === 'string' && GROUP_NAME.test(g)) ? (value as string[]) : [];
  if (typeof value !== 'string' || !value.startsWith('[') || !value.endsWith(']')) return [];
  const inner = value.slice(1, -1);
  if (inner === '') return [];
  const names = inner.split(' ');
  return names.every((g) => GROUP_NAME.test(g)) ? names : [];
}

const GroupsClaimSchema = z.unknown().transform(parseGroupsClaim);

/**
 * Longest lifetime (exp - iat) of a token the API accepts: a day, Cognito's maximum for access and
 * ID tokens. API Gateway's authorizer checks `exp` but neither a maximum lifetime nor `nbf`.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/** A NumericDate claim: a number, or the decimal string API Gateway turns numbers into. */
function numericDate(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,12}(?:\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Why verified claims are still refused on time grounds (undefined when they are not): no `exp`
 * or an `exp` past, no `iat`, a lifetime over MAX_TOKEN_LIFETIME_SECONDS, an `nbf` to come.
 * Applied to Cognito's claims in every handler and to local tokens by the local verifier.
 */
export function tokenTimeProblem(claims: Record<string, unknown>, nowSeconds: number): string | undefined {
  const exp = numericDate(claims.exp);
  const iat = numericDate(claims.iat);
  if (exp === undefined) return 'the token has no expiry (exp)';
  if (exp <= nowSeconds) return 'the token has expired';
  if (iat === undefined) return 'the token has no issue time (iat)';
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) return `the token lives longer than ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours`;
  if (claims.nbf !== undefined) {
    const nbf = numericDate(claims.nbf);
    if (nbf === undefined || nbf > nowSeconds) return 'the token is not valid yet (nbf)';
  }
  return undefined;
}

const ClaimsSchema = z.looseObject({ sub: OwnerSchema, 'cognito:groups': GroupsClaimSchema });

/**
 * The caller described by already-verified JWT claims (API Gateway's JWT authorizer in AWS, the
 * local server's verifier on a laptop). Undefined when there are none or they name no subject.
 */
export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller | undefined {
  if (!claims) return undefined;
  const parsed = ClaimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const roles = new Set<CallerRole>();
  for (const group of parsed.data['cognito:groups']) {
    if (Object.hasOwn(GROUP_ROLES, group)) roles.add(GROUP_ROLES[group as keyof typeof GROUP_ROLES]);
  }
  return { subject: parsed.data.sub, roles };
}

/**
 * The caller roles each route role lets through. A catalogue manager (group `catalogue-managers`)
 * reads the reference data and checks catalogues, and never edits criteria; editors do
 * everything a catalogue manager does.
 */
export const ROLE_GROUPS: Record<Exclude<Role, 'public'>, readonly CallerRole[]> = {
  reader: ['buyer', 'editor', 'catalogue-manager'],
  buyer: ['buyer'],
  editor: ['editor'],
  catalogue: ['editor', 'catalogue-manager'],
};

/** Throws 401 without a caller, 403 when the caller lacks the role; returns the caller otherwise. */
export function authorize(role: Role, caller: Caller | undefined): Caller | undefined {
  if (role === 'public') return caller;
  if (!caller) throw httpErrors.unauthorized();
  const allowed = ROLE_GROUPS[role].some((r) => caller.roles.has(r));
  if (!allowed) {
    const groups = Object.entries(GROUP_ROLES).filter(([, r]) => ROLE_GROUPS[role].includes(r)).map(([g]) => `"${g}"`);
    const needed = groups.length === 1 ? `group ${groups[0]}` : `groups ${groups.slice(0, -1).join(', ')} or ${groups.at(-1)}`;
    throw httpErrors.forbidden(`this route needs ${needed}`);
  }
  return caller;
}

/** Editors may read every tender; anyone else only their own. */
export function viewerOf(caller: Caller): Viewer {
  return { owner: caller.subject, readsAllTenders: caller.roles.has('editor') };
}
