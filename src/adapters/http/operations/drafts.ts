import * as z from 'zod';
import { DRAFT_NAME_MAX, DraftStatusSchema, DraftSummarySchema, StoredDraftSchema, type StoredDraft } from '#src/core/model/draft.ts';
import { createDraft, deleteDraft, getDraft, listDrafts, replaceDraft, type DraftDeps } from '#src/app/drafts.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { httpErrors } from '#src/adapters/http/errors.ts';
import { callerOf, etagOf, expectedVersion, jsonBody, parseQuery, type ApiRequest } from '#src/adapters/http/request.ts';

export const DraftQuerySchema = z.strictObject({
  q: z.string().max(DRAFT_NAME_MAX).optional().describe('Words the name or the request’s title contain (case and accents ignored)'),
  status: DraftStatusSchema.optional(),
});

/** A draft as the API returns it: its owner is the caller, so it is not repeated. */
export const DraftViewSchema = StoredDraftSchema.omit({ owner: true }).describe('A named draft, with its version (the ETag)');
export const DraftListSchema = z.object({ items: z.array(DraftSummarySchema).describe('Most recently updated first') });

const view = ({ owner: _owner, ...draft }: StoredDraft) => draft;
const location = (id: string) => `/drafts/${encodeURIComponent(id)}`;

/** The version a change was made on: If-Match only (a draft is created by POST, never by If-None-Match). */
function versionRead(request: ApiRequest): number {
  if (!request.headers['if-match']?.trim()) throw httpErrors.preconditionRequired('send If-Match with the ETag of the draft you read');
  return expectedVersion(request);
}

/** The buyer's named drafts, under the caller's identity (another buyer's draft is a 404). */
export function draftOperations(c: DraftDeps): Operations {
  return {
    async listDrafts(request) {
      const query = parseQuery(request, DraftQuerySchema);
      return { status: 200, body: { items: await listDrafts(callerOf(request).subject, query, c) } };
    },

    async createDraft(request) {
      const draft = await createDraft(callerOf(request).subject, jsonBody(request), c);
      return { status: 201, headers: { etag: etagOf(draft.version), location: location(draft.id) }, body: view(draft) };
    },

    async getDraft(request) {
      const draft = await getDraft(callerOf(request).subject, request.params.id ?? '', c);
      return { status: 200, headers: { etag: etagOf(draft.version) }, body: view(draft) };
    },

    async replaceDraft(request) {
      const owner = callerOf(request).subject;
      const expected = versionRead(request);
      const draft = await replaceDraft(owner, request.params.id ?? '', jsonBody(request), expected, c);
      return { status: 200, headers: { etag: etagOf(draft.version) }, body: view(draft) };
    },

    async deleteDraft(request) {
      const owner = callerOf(request).subject;
      await deleteDraft(owner, request.params.id ?? '', versionRead(request), c);
      return { status: 204 };
    },
  };
}
