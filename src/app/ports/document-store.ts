/** Short-lived download links: at most 15 minutes. */
export const MAX_DOWNLOAD_URL_TTL_SECONDS = 900;

export interface StoredObject {
  key: string;
  bytes: number;
  lastModified: Date;
}

/** An object's bytes and the store's entity tag for them (S3's ETag): opaque, what putIfMatch is conditioned on. */
export interface TaggedObject {
  content: Uint8Array;
  etag: string;
}

/** Generated documents (PDF, report), addressed by key. */
export interface DocumentStore {
  /**
   * Creates or replaces an object. `sha256`, the SHA-256 of `content` (lowercase hex) when the
   * caller has it, spares the store hashing the bytes again: S3 signs it as the payload hash, and
   * refuses the write when the bytes it receives do not match it.
   */
  put(key: string, content: Uint8Array, contentType: string, sha256?: string): Promise<void>;

  /**
   * Creates an object only if no object has that key, as one conditional write (S3's PutObject
   * with `If-None-Match: *`): true when written; false, writing nothing, when the key exists or a
   * concurrent conditional write of the same key wins. What never replaces an object (a bid's
   * record) is written this way, so two writers cannot both believe they created it.
   */
  putIfAbsent(key: string, content: Uint8Array, contentType: string): Promise<boolean>;

  /**
   * Replaces an object only if it still carries the entity tag `etag` (from getTagged), as one
   * conditional write (S3's PutObject with `If-Match`): true when written; false, writing nothing,
   * when another write changed the object meanwhile, it was deleted, or a concurrent conditional
   * write of the key wins. Read, check, then write this way: of two writers who read the same
   * object, one only writes (the buyer's marks).
   */
  putIfMatch(key: string, content: Uint8Array, contentType: string, etag: string): Promise<boolean>;

  /** The bytes of an object. NotFoundError when it does not exist. */
  get(key: string): Promise<Uint8Array>;

  /** The bytes of an object with its entity tag, read together. NotFoundError when it does not exist. */
  getTagged(key: string): Promise<TaggedObject>;

  exists(key: string): Promise<boolean>;

  /**
   * A URL that downloads the object without credentials for `ttlSeconds` (1 to 900; RangeError
   * otherwise). `downloadName` sets the file name the browser saves; with `inline`, the browser
   * shows the file (a PDF previewed in a tab) instead of saving it, under that name.
   */
  presignedGet(key: string, ttlSeconds: number, options?: { downloadName?: string; inline?: boolean }): Promise<string>;

  /** Deletes an object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;

  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>;
}
