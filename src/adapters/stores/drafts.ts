import { issuesFromZod, ValidationError } from '#src/core/model/errors.ts';
import { StoredDraftSchema, type DraftSummary, type StoredDraft } from '#src/core/model/draft.ts';
import { compareBytes } from './paging.ts';

/** The check before any draft write, in the real store and the fake alike. */
export function checkStoredDraft(draft: StoredDraft): StoredDraft {
  const parsed = StoredDraftSchema.safeParse(draft);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  if (parsed.data.updatedAt < parsed.data.createdAt) throw new ValidationError([{ path: 'updatedAt', message: 'a draft is updated after it is created' }]);
  return parsed.data;
}

/** Most recently updated first, then by id, so that equal times order the same everywhere. */
export function draftOrder(a: DraftSummary, b: DraftSummary): number {
  return compareBytes(`${b.updatedAt}#${b.id}`, `${a.updatedAt}#${a.id}`);
}
