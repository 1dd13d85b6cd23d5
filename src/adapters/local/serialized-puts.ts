import { NotFoundError } from '#src/core/model/errors.ts';
import type { DocumentStore, StoredObject, TaggedObject } from '#src/app/ports/document-store.ts';

/**
 * A document store whose conditional writes are held in this process: for the local stack, whose
 * embedded S3 (s3rver 3.7) ignores `If-None-Match: *` and `If-Match` and overwrites the object
 * (test/integration/s3-document-store.test.ts shows it does). The local server
 * is the only writer of its bucket, so checking and writing a key under a per-key queue here is
 * the condition S3 holds itself. Never used against AWS, where the wrapped S3DocumentStore's own
 * conditional write is the one that counts.
 */
export class SerializedPuts implements DocumentStore {
  /** The last write queued per key: the next conditional write of that key waits for it. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly store: DocumentStore) {}

  put(key: string, content: Uint8Array, contentType: string, sha256?: string): Promise<void> {
    return this.queued(key, () => this.store.put(key, content, contentType, sha256));
  }

  putIfAbsent(key: string, content: Uint8Array, contentType: string): Promise<boolean> {
    return this.queued(key, async () => {
      if (await this.store.exists(key)) return false;
      // Still asked of the store as a conditional write: a server that holds it (S3) stays the judge.
      return this.store.putIfAbsent(key, content, contentType);
    });
  }

  putIfMatch(key: string, content: Uint8Array, contentType: string, etag: string): Promise<boolean> {
    return this.queued(key, async () => {
      let current: TaggedObject;
      try {
        current = await this.store.getTagged(key);
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        throw error;
      }
      if (current.etag !== etag) return false;
      // Still asked of the store as a conditional write: a server that holds it (S3) stays the judge.
      return this.store.putIfMatch(key, content, contentType, etag);
    });
  }

  get(key: string): Promise<Uint8Array> {
    return this.store.get(key);
  }

  getTagged(key: string): Promise<TaggedObject> {
    return this.store.getTagged(key);
  }

  exists(key: string): Promise<boolean> {
    return this.store.exists(key);
  }

  presignedGet(key: string, ttlSeconds: number, options?: { downloadName?: string; inline?: boolean }): Promise<string> {
    return this.store.presignedGet(key, ttlSeconds, options);
  }

  delete(key: string): Promise<void> {
    return this.queued(key, () => this.store.delete(key));
  }

  list(prefix: string): AsyncIterable<StoredObject> {
    return this.store.list(prefix);
  }

  /** Runs `write` after every write of `key` queued before it, whatever their outcome. */
  private queued<T>(key: string, write: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(write, write);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }
}
