import * as z from 'zod';
import { NotFoundError } from '#src/core/model/errors.ts';
import { tenderSummary, type TenderRecord, type TenderSummary } from '#src/app/tender-record.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import type { FrameworkPin, IdempotencyClaim, PutTenderResult, TenderRepository } from '#src/app/ports/tender-repository.ts';
import { AlreadyExistsError, IdempotencyKeyReusedError } from '#src/app/errors.ts';
import { compareBytes, decodeCursor, encodeCursor, pageLimit } from '../stores/paging.ts';
import { pinLimit, samePin } from '../stores/pins.ts';
import { canHold, checkDcePiecesRecord, checkFinishedRendering, checkTenderRecord, claimExpiry } from '../stores/tenders.ts';
import { detached, Faults, roundTrip } from './faults.ts';

interface Claim {
  record: TenderRecord;
  /** Epoch seconds, as the table's TTL attribute. */
  expiresAt: number;
}

/** The order of a caller's tenders: date, then id (the table's GSI2 sort key). */
const sortKey = (record: TenderRecord) => `${record.createdAt}#${record.id}`;

/**
 * Tender records and idempotency claims in memory, with the protocol of the DynamoDB adapter
 * (test/contracts/tender-repository.contract.ts runs against both): with a key, the claim (which
 * carries the whole record) is the commit point and the tender is written second, so a failure
 * armed at `tender` leaves a claim without its tender that a retry, a lookup or collectGarbage
 * completes; a failure at `claim` leaves nothing.
 */
export class MemoryTenderRepository implements TenderRepository {
  private readonly tenders = new Map<string, TenderRecord>();
  private readonly claims = new Map<string, Claim>();
  readonly faults = new Faults<'claim' | 'tender'>();

  async put(input: TenderRecord): Promise<PutTenderResult> {
    const record = checkTenderRecord(input);
    await roundTrip();
    const key = record.idempotencyKey;
    if (key === undefined) {
      if (this.tenders.has(record.id)) throw new AlreadyExistsError('tender', record.id);
      this.writeTender(record);
      return { record: detached(record), created: true };
    }
    const first = this.claims.get(claimId(record.owner, key));
    if (first) {
      if (first.record.requestHash !== record.requestHash) throw new IdempotencyKeyReusedError(key, first.record.id);
      await this.completeClaim(first.record);
      return { record: detached(first.record), created: false };
    }
    this.faults.check('claim');
    this.claims.set(claimId(record.owner, key), { record: detached(record), expiresAt: claimExpiry(record.createdAt) });
    const existing = await this.completeClaim(record);
    // The key had expired and been forgotten, but the identical request maps to the same tender id,
    // recorded then: answer that tender, as a replay.
    if (existing && existing.createdAt !== record.createdAt) return { record: detached(existing), created: false };
    return { record: detached(record), created: true };
  }

  async listByOwner(owner: string, page: PageRequest = {}): Promise<Page<TenderRecord>> {
    // An owner no record can have finds nothing, as in the table.
    const limit = pageLimit(page.limit);
    const before =
      page.cursor === undefined ? undefined : decodeCursor(page.cursor, z.strictObject({ owner: z.literal(owner), before: z.string().min(1) })).before;
    const mine = [...this.tenders.values()]
      .filter((r) => r.owner === owner && (before === undefined || compareBytes(sortKey(r), before) < 0))
      .sort((a, b) => compareBytes(sortKey(b), sortKey(a)));
    const items = detached(mine.slice(0, limit));
    return mine.length > limit ? { items, cursor: encodeCursor({ owner, before: sortKey(items.at(-1)!) }) } : { items };
  }

  async listSummariesByOwner(owner: string, page: PageRequest = {}): Promise<Page<TenderSummary>> {
    const { items, cursor } = await this.listByOwner(owner, page);
    return { items: items.map(tenderSummary), ...(cursor !== undefined ? { cursor } : {}) };
  }

  async listPinning(framework: FrameworkPin, limit: number): Promise<{ items: TenderRecord[]; truncated: boolean }> {
    const max = pinLimit(limit);
    await roundTrip();
    const pinning = [...this.tenders.values()].filter((r) => samePin(r.framework, framework)).sort((a, b) => compareBytes(sortKey(b), sortKey(a)));
    return { items: detached(pinning.slice(0, max)), truncated: pinning.length > max };
  }

  async completeRendering(input: TenderRecord): Promise<boolean> {
    const record = checkFinishedRendering(input);
    await roundTrip();
    const stored = this.tenders.get(record.id);
    if (!stored || stored.rendering?.status !== 'pending' || stored.createdAt !== record.createdAt || stored.owner !== record.owner) return false;
    this.writeTender(record);
    return true;
  }

  async recordDcePieces(input: TenderRecord): Promise<boolean> {
    const record = checkDcePiecesRecord(input);
    await roundTrip();
    const stored = this.tenders.get(record.id);
    if (!stored || stored.dcePieces !== undefined || stored.createdAt !== record.createdAt || stored.owner !== record.owner) return false;
    if (stored.rendering !== undefined && stored.rendering.status !== 'ready') return false;
    this.writeTender(record);
    return true;
  }

  async get(id: string): Promise<TenderRecord> {
    const record = this.tenders.get(id);
    if (!record) throw new NotFoundError('tender', id);
    return detached(record);
  }

  async findByIdempotencyKey(owner: string, key: string): Promise<TenderRecord | undefined> {
    if (!canHold.claim(owner, key)) return undefined;
    const claim = this.claims.get(claimId(owner, key));
    if (!claim) return undefined;
    await this.completeClaim(claim.record);
    return detached(claim.record);
  }

  async findExisting(ids: readonly string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => canHold.tender(id) && this.tenders.has(id)));
  }

  async *listPendingRenderings(createdBefore: Date): AsyncIterable<TenderRecord> {
    const cutoff = createdBefore.toISOString();
    const pending = [...this.tenders.values()]
      .filter((r) => r.rendering?.status === 'pending' && compareBytes(sortKey(r), cutoff) < 0)
      .sort((a, b) => compareBytes(sortKey(a), sortKey(b)));
    for (const record of pending) {
      await roundTrip();
      yield detached(record);
    }
  }

  async *listClaims(): AsyncIterable<IdempotencyClaim> {
    for (const claim of [...this.claims.values()]) {
      const { owner, idempotencyKey, id } = claim.record;
      yield { owner, key: idempotencyKey!, tenderId: id, expiresAt: new Date(claim.expiresAt * 1000) };
    }
  }

  async deleteClaim(owner: string, key: string): Promise<void> {
    this.claims.delete(claimId(owner, key));
  }

  /** The second step of a keyed `put`, or its completion: answers the tender already recorded under the id, if any. */
  private async completeClaim(record: TenderRecord): Promise<TenderRecord | undefined> {
    await roundTrip();
    const existing = this.tenders.get(record.id);
    if (existing) return existing;
    this.writeTender(record);
    return undefined;
  }

  private writeTender(record: TenderRecord): void {
    this.faults.check('tender');
    this.tenders.set(record.id, detached(record));
  }
}

/** Owner and key as one map key; JSON keeps ("a#b", "c") and ("a", "b#c") apart. */
function claimId(owner: string, key: string): string {
  return JSON.stringify([owner, key]);
}
