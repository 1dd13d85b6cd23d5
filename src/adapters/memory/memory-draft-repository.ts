import { NotFoundError } from '#src/core/model/errors.ts';
import { draftSummary, type DraftStatus, type DraftSummary, type StoredDraft } from '#src/core/model/draft.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import type { DraftRepository } from '#src/app/ports/draft-repository.ts';
import type { FrameworkPin } from '#src/app/ports/tender-repository.ts';
import { draftPin, samePin } from '../stores/pins.ts';
import { checkStoredDraft, draftOrder } from '../stores/drafts.ts';
import { detached, Faults, roundTrip } from './faults.ts';

/** Named drafts in memory, with the DynamoDB adapter's semantics (test/contracts/draft-repository.contract.ts). */
export class MemoryDraftRepository implements DraftRepository {
  private readonly drafts = new Map<string, StoredDraft>();
  readonly faults = new Faults<'draft'>();

  async create(input: StoredDraft): Promise<void> {
    const draft = checkStoredDraft(input);
    await roundTrip();
    if (draft.version !== 1) throw new VersionConflictError('draft', draft.id, 0, undefined);
    if (this.drafts.has(key(draft.owner, draft.id))) throw new AlreadyExistsError('draft', draft.id);
    this.faults.check('draft');
    this.drafts.set(key(draft.owner, draft.id), detached(draft));
  }

  async get(owner: string, id: string): Promise<StoredDraft> {
    await roundTrip();
    const draft = this.drafts.get(key(owner, id));
    if (!draft) throw new NotFoundError('draft', id);
    return detached(draft);
  }

  async list(owner: string): Promise<DraftSummary[]> {
    await roundTrip();
    return [...this.drafts.values()].filter((d) => d.owner === owner).map(draftSummary).sort(draftOrder);
  }

  async replace(input: StoredDraft, expectedVersion: number): Promise<void> {
    const draft = checkStoredDraft(input);
    await roundTrip();
    const current = this.drafts.get(key(draft.owner, draft.id));
    if (!current) throw new NotFoundError('draft', draft.id);
    if (current.version !== expectedVersion || draft.version !== expectedVersion + 1) {
      throw new VersionConflictError('draft', draft.id, expectedVersion, current.version);
    }
    this.faults.check('draft');
    this.drafts.set(key(draft.owner, draft.id), detached(draft));
  }

  async countPinning(framework: FrameworkPin): Promise<Record<DraftStatus, number>> {
    await roundTrip();
    const counts: Record<DraftStatus, number> = { incomplete: 0, ready: 0 };
    for (const draft of this.drafts.values()) if (samePin(draftPin(draft), framework)) counts[draft.status] += 1;
    return counts;
  }

  async delete(owner: string, id: string, expectedVersion: number): Promise<void> {
    await roundTrip();
    const current = this.drafts.get(key(owner, id));
    if (!current) throw new NotFoundError('draft', id);
    if (current.version !== expectedVersion) throw new VersionConflictError('draft', id, expectedVersion, current.version);
    this.faults.check('draft');
    this.drafts.delete(key(owner, id));
  }
}

const key = (owner: string, id: string) => `${owner}\u0000${id}`;
