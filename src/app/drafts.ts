import { DraftIdSchema, draftMatches, parseDraftInput, type DraftSummary, type StoredDraft } from '#src/core/model/draft.ts';
import { DomainError, NotFoundError } from '#src/core/model/errors.ts';
import type { DraftRepository } from './ports/draft-repository.ts';
import type { Clock, IdGenerator } from './ports/system.ts';

/**
 * A buyer's named drafts: create, read, list with a search, replace (rename, save) and delete,
 * always under the caller's identity and, for a change, the version the caller read. The body is
 * checked in draft mode (src/core/model/draft.ts) before anything is written.
 */
export interface DraftDeps {
  drafts: DraftRepository;
  clock: Clock;
  ids: IdGenerator;
  /** At most this many drafts per buyer (MAX_DRAFTS_PER_OWNER by default). */
  maxDrafts?: number;
}

/**
 * Drafts a buyer may keep: enough for every consultation of a year, few enough that the listing
 * (one query of summaries) stays one page. A buyer at the limit deletes a draft first (409).
 */
export const MAX_DRAFTS_PER_OWNER = 200;

/** The buyer already keeps the most drafts allowed (HTTP 409). */
export class TooManyDraftsError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(readonly limit: number) {
    super(`a buyer keeps at most ${limit} drafts: delete one first`);
    this.name = 'TooManyDraftsError';
  }
}

/** An id that no draft can have is not found, without asking the store. */
function knownId(id: string): string {
  if (!DraftIdSchema.safeParse(id).success) throw new NotFoundError('draft', id);
  return id;
}

export async function createDraft(owner: string, body: unknown, c: DraftDeps): Promise<StoredDraft> {
  const input = parseDraftInput(body);
  const limit = c.maxDrafts ?? MAX_DRAFTS_PER_OWNER;
  if ((await c.drafts.list(owner)).length >= limit) throw new TooManyDraftsError(limit);
  const now = c.clock.now().toISOString();
  const draft: StoredDraft = { id: c.ids.newId(), owner, name: input.name, request: input.request, status: input.status, version: 1, createdAt: now, updatedAt: now };
  await c.drafts.create(draft);
  return draft;
}

export async function getDraft(owner: string, id: string, c: Pick<DraftDeps, 'drafts'>): Promise<StoredDraft> {
  return c.drafts.get(owner, knownId(id));
}

export async function listDrafts(owner: string, query: { q?: string; status?: StoredDraft['status'] }, c: Pick<DraftDeps, 'drafts'>): Promise<DraftSummary[]> {
  const all = await c.drafts.list(owner);
  return all.filter((d) => (query.q === undefined || draftMatches(d, query.q)) && (query.status === undefined || d.status === query.status));
}

export async function replaceDraft(owner: string, id: string, body: unknown, expectedVersion: number, c: DraftDeps): Promise<StoredDraft> {
  knownId(id);
  const input = parseDraftInput(body);
  const current = await c.drafts.get(owner, id);
  const now = c.clock.now().toISOString();
  const draft: StoredDraft = {
    ...current,
    name: input.name,
    request: input.request,
    status: input.status,
    version: expectedVersion + 1,
    updatedAt: now < current.createdAt ? current.createdAt : now,
  };
  await c.drafts.replace(draft, expectedVersion);
  return draft;
}

export async function deleteDraft(owner: string, id: string, expectedVersion: number, c: Pick<DraftDeps, 'drafts'>): Promise<void> {
  return c.drafts.delete(owner, knownId(id), expectedVersion);
}
