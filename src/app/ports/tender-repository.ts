import type { TenderRecord, TenderSummary } from '#src/app/tender-record.ts';
import type { Page, PageRequest } from './page.ts';

export interface PutTenderResult {
  /** The stored record: the one given, or the first one recorded under the same idempotency key. */
  record: TenderRecord;
  /** False when an earlier request with the same idempotency key had already recorded a tender. */
  created: boolean;
}

/**
 * Generated tenders. Call `put` only once every object in `record.documents` exists in the
 * document store: a record never points to missing documents; objects without a record are
 * orphans that `findOrphanDocuments` lists.
 */
export interface TenderRepository {
  /**
   * Records a tender. Without an idempotency key: conditional on the id being new
   * (AlreadyExistsError otherwise). With one: the first request under (owner, key) wins; a retry
   * with the same requestHash gets the first record back with `created: false` and writes
   * nothing; a different requestHash is an IdempotencyKeyReusedError.
   */
  put(record: TenderRecord): Promise<PutTenderResult>;

  /**
   * Records the end of a deferred rendering: replaces the tender with `record` (same id, its
   * rendering ready or failed), on condition that the stored tender's rendering is still pending.
   * False when it is not (a second delivery of the same job finished first): nothing is written.
   * The idempotency claim keeps the record as first written; readers of a claim read the tender.
   */
  completeRendering(record: TenderRecord): Promise<boolean>;

  /**
   * Records that a tender's DCE pieces are stored apart (`dcePieces: 'stored'`), for a tender whose
   * zip was stored before the documents job stored its pieces too: replaces the tender with
   * `record` (marked), on condition that the stored tender has the same owner and date, a rendering
   * absent or ready, and no mark yet. False otherwise (another reading marked it first): nothing is
   * written.
   */
  recordDcePieces(record: TenderRecord): Promise<boolean>;

  /** NotFoundError when there is no such tender. */
  get(id: string): Promise<TenderRecord>;

  /** A caller's tenders, newest first. */
  listByOwner(owner: string, page?: PageRequest): Promise<Page<TenderRecord>>;

  /** The same page as listByOwner (same items, same cursor), each record summarised: what GET /tenders reads, not the requests. */
  listSummariesByOwner(owner: string, page?: PageRequest): Promise<Page<TenderSummary>>;

  /**
   * The tenders of every owner that pin a framework version (their record's `framework`), newest
   * first, at most `limit` (1 to 100); `truncated` when there are more. For the ministry's editors
   * (the impact of a change): the route checks the role, the repository does not.
   */
  listPinning(framework: FrameworkPin, limit: number): Promise<{ items: TenderRecord[]; truncated: boolean }>;

  /** The tender recorded under a caller's idempotency key, if any. */
  findByIdempotencyKey(owner: string, key: string): Promise<TenderRecord | undefined>;

  /** Which of these tender ids have a record (for orphan detection). */
  findExisting(ids: readonly string[]): Promise<Set<string>>;

  /**
   * Tenders whose deferred rendering is still pending and which were recorded before `createdBefore`
   * (a rendering is pending from the tender's creation), oldest first, paged underneath: what the gc
   * marks failed once no job can still finish them. Read from an index, so a rendering that
   * finished a moment ago may still be listed: completeRendering's condition decides.
   */
  listPendingRenderings(createdBefore: Date): AsyncIterable<TenderRecord>;

  /** Every idempotency claim, paged underneath (for the cleanup of collectGarbage). */
  listClaims(): AsyncIterable<IdempotencyClaim>;

  /** Forgets an idempotency key (its claim); the tender it recorded stays. Deleting a missing claim is not an error. */
  deleteClaim(owner: string, key: string): Promise<void>;
}

/** What an idempotency claim says, without the record it carries. */
export interface IdempotencyClaim {
  owner: string;
  key: string;
  tenderId: string;
  /** When the key is forgotten: DynamoDB's TTL deletes the claim after this, and so does collectGarbage. */
  expiresAt: Date;
}

/** A framework version as tenders and drafts pin it. */
export interface FrameworkPin {
  id: string;
  version: number;
}
