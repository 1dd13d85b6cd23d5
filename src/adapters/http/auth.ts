import * as z from 'zod';
import { OwnerSchema } from '#src/app/tender-record.ts';
import type { Viewer } from '#src/app/generate-tender.ts';
import { httpErrors } from './errors.ts';
import type { Role } from './routes.ts';

/** Cognito user pool groups and the role each grants. */
export const GROUP_ROLES = { buyers: 'buyer', 'criteria-editors': 'editor' } as const;

export type CallerRole = (typeof GROUP_ROLES)[keyof typeof GROUP_ROLES];

/** Who calls, from verified token claims: `sub` is the owner of what they create. */
export interface Caller {
  subject: string;
  roles: ReadonlySet<CallerRole>;
}

/**
 * Groups as they reach a handler: a JSON array (a decoded token), API Gateway's flattened
 * "[a b]" string, a JSON array string, or a single group name.
 */
const GroupsClaimSchema = z
  .union([z.array(z.string()), z.string()])
  .optional()
  .transform((value): string[] => {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    const text = value.trim();
    if (text.startsWith('[') && text.endsWith(']')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parsed.filter((g): g is string => typeof g === 'string');
      } catch {
        // API Gateway's form: "[buyers criteria-editors]".
      }
      return text.slice(1, -1).split(/[\s,]+/).filter(Boolean);
    }
    return text === '' ? [] : [text];
  });

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

/** Throws 401 without a caller, 403 when the caller lacks the role; returns the caller otherwise. */
export function authorize(role: Role, caller: Caller | undefined): Caller | undefined {
  if (role === 'public') return caller;
  if (!caller) throw httpErrors.unauthorized();
  const allowed = role === 'reader' ? caller.roles.has('buyer') || caller.roles.has('editor') : caller.roles.has(role);
  if (!allowed) {
    const needed = role === 'reader' ? 'groups "buyers" or "criteria-editors"' : role === 'buyer' ? 'group "buyers"' : 'group "criteria-editors"';
    throw httpErrors.forbidden(`this route needs ${needed}`);
  }
  return caller;
}

/** Editors may read every tender; anyone else only their own. */
export function viewerOf(caller: Caller): Viewer {
  return { owner: caller.subject, readsAllTenders: caller.roles.has('editor') };
}
