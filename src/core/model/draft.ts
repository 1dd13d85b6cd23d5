import * as z from 'zod';
import { issuesFromZod, uniqueIssues, ValidationError, type Issue } from './errors.ts';
import { buyerTextProblem, forEachString } from './tender-request.ts';
import { NewTenderRequestSchema } from './tender-request-v2.ts';

/**
 * A buyer's named draft: a tender request (version 1 or 2) kept on the server while the buyer
 * works on it, under a name of their choosing, with a version for optimistic concurrency.
 *
 * Draft mode. A draft may be incomplete, never wrong. Its request is checked with the request
 * schema, and an issue is let through only when it says that something is still missing: a
 * required field absent or left empty (`""`), a list or a number below its minimum, a rule
 * across fields (a minimum above the maximum, a renewal length without the initial duration).
 * Everything else is refused with its field path, exactly as POST /tenders would: a value of
 * the wrong type, an enumerated value that does not exist, a malformed identifier (SIRET and
 * its check digit, UAI, CPV, date) that is typed, a reference to a site or tranche that does not
 * exist, a text over its length, and any text with
 * the characters a request may not hold. Completeness is the job of POST /tenders/validate,
 * which the wizard calls as the buyer types. Fields the schema does not know are ignored, as POST
 * /tenders ignores them; each stored draft records whether its request
 * would be accepted as it stands (`status`).
 */

export const DRAFT_NAME_MAX = 120;

/** Drafts are addressed by the ids the store generates ([A-Za-z0-9_-], 8 to 64). */
export const DraftIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a draft id is 8 to 64 letters, digits, "-" or "_"');

export const DraftNameSchema = z
  .string()
  .trim()
  .min(1, 'give the draft a name')
  .max(DRAFT_NAME_MAX)
  .superRefine((name, ctx) => {
    const problem = buyerTextProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('The buyer’s name for the draft (« Collèges 2027 — tablettes »)');

/** What a client sends to create or replace a draft. */
export const DraftInputSchema = z
  .strictObject({
    name: DraftNameSchema,
    request: z
      .record(z.string(), z.unknown())
      .describe('A tender request, version 1 or 2 (`schemaVersion`), possibly incomplete: see the draft mode in the API description'),
  })
  .describe('A named draft of a tender request');
export type DraftInput = z.infer<typeof DraftInputSchema>;

export const DraftStatusSchema = z
  .enum(['incomplete', 'ready'])
  .describe('`ready`: the request passes the request schema as it stands (POST /tenders may still find legal errors); `incomplete`: something is missing');
export type DraftStatus = z.infer<typeof DraftStatusSchema>;

/** A stored draft, as the repositories keep it and GET /drafts/{id} returns it. */
export const StoredDraftSchema = z.strictObject({
  id: DraftIdSchema,
  owner: z.string().min(1).max(512),
  name: z.string().min(1).max(DRAFT_NAME_MAX),
  request: z.record(z.string(), z.unknown()),
  status: DraftStatusSchema,
  /** Starts at 1; each replacement adds 1. The ETag is `"<version>"`. */
  version: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type StoredDraft = z.infer<typeof StoredDraftSchema>;

/** What a listing shows of a draft: never its request. */
export const DraftSummarySchema = StoredDraftSchema.omit({ request: true, owner: true }).extend({
  title: z.string().optional().describe('The request’s title, when it has one'),
});
export type DraftSummary = z.infer<typeof DraftSummarySchema>;


function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * An issue that only says the draft is not finished yet (see the draft mode above): the value is
 * absent or empty, or below a minimum, or a rule across fields failed. A rule on one typed text
 * (a SIRET's or a CPV code's check digit, a tranche or site that does not exist) says that text is
 * wrong, and is refused like a malformed one.
 */
function saysMissing(issue: z.core.$ZodIssue, request: unknown): boolean {
  const value = valueAt(request, issue.path);
  if (value === undefined || value === '') return true;
  if (issue.code === 'too_small') return true;
  return issue.code === 'custom' && typeof value !== 'string';
}

/**
 * Checks a draft's request in draft mode: throws a ValidationError with the paths (under
 * `request.`) of what is wrong; returns whether the request is complete as it stands.
 */
export function checkDraftRequest(request: Record<string, unknown>): DraftStatus {
  const issues: Issue[] = [];
  forEachString(request, [], (text, path) => {
    const problem = buyerTextProblem(text);
    if (problem) issues.push({ path: ['request', ...path].join('.'), message: problem });
  });
  const parsed = NewTenderRequestSchema.safeParse(request);
  if (!parsed.success) {
    const wrong = parsed.error.issues.filter((issue) => !saysMissing(issue, request));
    issues.push(...issuesFromZod({ issues: wrong }, 'request'));
  }
  if (issues.length > 0) throw new ValidationError(uniqueIssues(issues));
  return parsed.success ? 'ready' : 'incomplete';
}

/** A draft body as the API receives it: the name and the request checked in draft mode. */
export function parseDraftInput(body: unknown): DraftInput & { status: DraftStatus } {
  const parsed = DraftInputSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  return { ...parsed.data, status: checkDraftRequest(parsed.data.request) };
}

/** The listing's view of a draft. */
export function draftSummary(draft: StoredDraft): DraftSummary {
  const title = typeof draft.request.title === 'string' && draft.request.title.trim() !== '' ? draft.request.title.trim() : undefined;
  return {
    id: draft.id,
    name: draft.name,
    status: draft.status,
    version: draft.version,
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
    ...(title !== undefined ? { title } : {}),
  };
}

/** The listing's search: every word of the query is in the name or the title, case and accents ignored. */
export function draftMatches(summary: Pick<DraftSummary, 'name' | 'title'>, query: string): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('fr');
  const text = fold(`${summary.name}\n${summary.title ?? ''}`);
  return fold(query).split(/\s+/).every((word) => text.includes(word));
}
