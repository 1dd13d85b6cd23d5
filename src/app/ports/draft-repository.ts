import type { DraftStatus, DraftSummary, StoredDraft } from '#src/core/model/draft.ts';
import type { FrameworkPin } from './tender-repository.ts';

/**
 * Buyers' named drafts (DynamoDB, or in memory for the fast tests), always addressed under their
 * owner: a draft of another owner is not found, whatever its id. Every change is conditional on
 * the version the caller read (optimistic concurrency); nothing is written when the condition fails.
 */
export interface DraftRepository {
  /** Stores a new draft (version 1). AlreadyExistsError when the owner already has that id; ValidationError when it does not fit StoredDraftSchema. */
  create(draft: StoredDraft): Promise<void>;

  /** NotFoundError when the owner has no draft with that id. */
  get(owner: string, id: string): Promise<StoredDraft>;

  /** The owner's drafts without their requests, most recently updated first. */
  list(owner: string): Promise<DraftSummary[]>;

  /**
   * Replaces a draft by its next version (`draft.version` = `expectedVersion` + 1).
   * NotFoundError when it does not exist; VersionConflictError when its version is not `expectedVersion`.
   */
  replace(draft: StoredDraft, expectedVersion: number): Promise<void>;

  /**
   * How many drafts of every owner pin a framework version (their request's `framework`), by
   * status: a count only, never their content, which is their owners' own. For the ministry's editors.
   */
  countPinning(framework: FrameworkPin): Promise<Record<DraftStatus, number>>;

  /** Deletes a draft. NotFoundError when it does not exist; VersionConflictError when its version is not `expectedVersion`. */
  delete(owner: string, id: string, expectedVersion: number): Promise<void>;
}
