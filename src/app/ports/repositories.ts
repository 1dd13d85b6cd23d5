import * as z from 'zod';
import type { CatalogueItem, Framework, Offer } from '#src/core/model/catalogue.ts';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import type { Category, Criterion, CriterionRef } from '#src/core/model/criterion.ts';
import { CriterionRefSchema } from '#src/core/model/criterion.ts';
import { OUTPUT_FORMATS } from '#src/core/model/output-formats.ts';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';

/**
 * Storage ports. Use cases depend on these interfaces only; the DynamoDB and S3 adapters in
 * src/adapters implement them, and unit tests can use in-memory fakes.
 *
 * Conventions shared by every port:
 * - a missing record is a NotFoundError, a lost optimistic lock a VersionConflictError, an
 *   attempt to overwrite an immutable record an AlreadyExistsError;
 * - a malformed argument the caller controls (a cursor, a limit) is a ValidationError;
 * - a stored record that no longer fits its schema is not a domain error: adapters throw a plain
 *   Error (HTTP 500), never return it.
 */

/** One page of a listing. `cursor` is opaque; pass it back to get the next page; absent on the last page. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface PageRequest {
  /** The `cursor` of the previous page. Cursors are bound to the listing that issued them. */
  cursor?: string;
  /** Page size, 1 to 100; 25 when absent. */
  limit?: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** A framework to publish: each criterion is pinned at the given version, or at its latest one when `version` is absent. */
export type FrameworkDraft = Omit<Framework, 'criteria'> & {
  criteria: Array<{ id: string; version?: number }>;
};

/** A criterion as an editor submits it: the repository assigns the version. */
export type CriterionDraft = Omit<Criterion, 'version'> & { version?: number };

/**
 * Reference criteria, frameworks, catalogue items and offers.
 *
 * Criterion versions are immutable. `putNewVersion` is the only way to add one and is an
 * optimistic lock: it succeeds only if `expectedVersion` is the latest version when it commits,
 * so two editors who read the same version cannot both write the next one.
 */
export interface CriteriaRepository {
  /** The latest version of a criterion. NotFoundError when the criterion does not exist. */
  getLatest(id: string): Promise<Criterion>;

  /** One version of a criterion. NotFoundError when that version does not exist. */
  getVersion(id: string, version: number): Promise<Criterion>;

  /** Every version of a criterion, oldest first (1, 2, 3…); empty when the criterion does not exist. */
  listVersions(id: string): Promise<Criterion[]>;

  /**
   * The given criterion versions, in the order of `refs` (duplicates allowed), in ceil(n / 100)
   * batch reads (plus retries of keys the store left unprocessed).
   * NotFoundError naming the first missing `id@version` when any is absent.
   */
  batchGetVersions(refs: readonly CriterionRef[]): Promise<Criterion[]>;

  /**
   * Writes version `expectedVersion + 1` of a criterion and makes it the latest.
   * `expectedVersion` is the version the editor read (0 to create the criterion); when the draft
   * carries a `version` it must be `expectedVersion + 1`.
   * VersionConflictError when `expectedVersion` is not the latest version; ValidationError when
   * the draft does not fit CriterionSchema. Returns the stored criterion.
   */
  putNewVersion(criterion: CriterionDraft, expectedVersion: number): Promise<Criterion>;

  /** Latest versions of the criteria of one category, by id. */
  listByCategory(category: Category, page?: PageRequest): Promise<Page<Criterion>>;

  /** The criterion versions a framework version pins, in the framework's order. NotFoundError for an unknown framework version. */
  listByFramework(frameworkId: string, version: number, page?: PageRequest): Promise<Page<Criterion>>;

  /** One framework version. NotFoundError when it does not exist. */
  getFramework(id: string, version: number): Promise<Framework>;

  /** The latest published version of a framework. NotFoundError when it does not exist. */
  getLatestFramework(id: string): Promise<Framework>;

  /** The latest version of every framework, by id. */
  listFrameworks(): Promise<Framework[]>;

  /**
   * Publishes an immutable framework version. Criteria without a version are pinned at their
   * latest version; every pinned version must exist, and version N > 1 needs version N - 1.
   * AlreadyExistsError when that framework version exists; ValidationError for an unknown
   * criterion version, a missing previous version or a draft that does not fit FrameworkSchema.
   */
  publishFramework(framework: FrameworkDraft): Promise<Framework>;

  /** Creates or replaces catalogue items (they are reference data, not versioned). */
  putItems(items: readonly CatalogueItem[]): Promise<void>;

  /** Creates or replaces offers. */
  putOffers(offers: readonly Offer[]): Promise<void>;

  /** Every catalogue item, by id. */
  listItems(): Promise<CatalogueItem[]>;

  /** Every offer, by id. */
  listOffers(): Promise<Offer[]>;
}

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const TenderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8 to 64 letters, digits, "-" or "_"');

/** The caller's identity (a token subject): printable ASCII without spaces. */
export const OwnerSchema = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces');

/** An Idempotency-Key header value. */
export const IdempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x20-\x7e]+$/, 'expected printable ASCII');

export const StoredDocumentSchema = z.object({
  name: z.string().min(1).max(100),
  mediaType: z.string().min(1).max(100),
  key: z.string().min(1).max(1024),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256Schema,
});
export type StoredDocument = z.infer<typeof StoredDocumentSchema>;

/** Where the documents of a tender live in the document store: one prefix per tender. */
export function tenderDocumentKey(tenderId: string, name: string): string {
  return `${TENDER_DOCUMENTS_PREFIX}${tenderId}/${name}`;
}
export const TENDER_DOCUMENTS_PREFIX = 'tenders/';

/**
 * What a generated tender leaves behind: enough to regenerate it byte for byte (the request and
 * the framework and criterion versions it was resolved against) and to audit it (documents,
 * their hashes, owner, date).
 */
export const TenderRecordSchema = z
  .object({
    id: TenderIdSchema,
    owner: OwnerSchema,
    createdAt: z.iso.datetime(),
    idempotencyKey: IdempotencyKeySchema.optional(),
    requestHash: Sha256Schema.describe('SHA-256 of the request as received, with the formats unless pdf only (identityHash); tells a retry from a reused key'),
    request: TenderRequestSchema,
    framework: z.object({ id: SlugSchema, version: z.number().int().positive() }),
    criteria: z.array(CriterionRefSchema),
    formats: z
      .array(z.enum(OUTPUT_FORMATS))
      .min(1)
      .optional()
      .describe('The formats asked for, in generation order; absent on records made before formats could be chosen (pdf only)'),
    documents: z.array(StoredDocumentSchema).min(1).describe('Every stored object, the report included'),
    contentHash: Sha256Schema.describe('The generation report contentHash'),
  })
  .refine((r) => r.documents.every((d) => d.key.startsWith(tenderDocumentKey(r.id, ''))), {
    message: 'document keys live under the tender prefix',
    path: ['documents'],
  });
export type TenderRecord = z.infer<typeof TenderRecordSchema>;

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

  /** NotFoundError when there is no such tender. */
  get(id: string): Promise<TenderRecord>;

  /** A caller's tenders, newest first. */
  listByOwner(owner: string, page?: PageRequest): Promise<Page<TenderRecord>>;

  /** The tender recorded under a caller's idempotency key, if any. */
  findByIdempotencyKey(owner: string, key: string): Promise<TenderRecord | undefined>;

  /** Which of these tender ids have a record (for orphan detection). */
  findExisting(ids: readonly string[]): Promise<Set<string>>;
}

/** Short-lived download links: at most 15 minutes. */
export const MAX_DOWNLOAD_URL_TTL_SECONDS = 900;

export interface StoredObject {
  key: string;
  bytes: number;
  lastModified: Date;
}

/** Generated documents (PDF, report), addressed by key. */
export interface DocumentStore {
  /** Creates or replaces an object. */
  put(key: string, content: Uint8Array, contentType: string): Promise<void>;

  /** The bytes of an object. NotFoundError when it does not exist. */
  get(key: string): Promise<Uint8Array>;

  exists(key: string): Promise<boolean>;

  /**
   * A URL that downloads the object without credentials for `ttlSeconds` (1 to 900; RangeError
   * otherwise). `downloadName` sets the file name the browser saves.
   */
  presignedGet(key: string, ttlSeconds: number, options?: { downloadName?: string }): Promise<string>;

  /** Deletes an object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;

  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>;
}
