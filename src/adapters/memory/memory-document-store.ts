import { createHash } from 'node:crypto';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { DocumentStore, StoredObject, TaggedObject } from '#src/app/ports/document-store.ts';
import type { Clock } from '#src/app/ports/system.ts';
import { checkDocumentKey, checkDownloadTtl, contentDisposition } from '../stores/documents.ts';
import { compareBytes } from '../stores/paging.ts';
import { detached, Faults, roundTrip } from './faults.ts';

interface MemoryObject {
  content: Uint8Array;
  contentType: string;
  lastModified: Date;
  /** The entity tag: one per write, so that even a write of the same bytes changes it. */
  etag: string;
}

/** What S3's ListObjectsV2 returns at most per page. */
const S3_LIST_PAGE = 1000;

/**
 * Documents in memory, with the semantics of the S3 adapter (test/contracts/document-store.contract.ts
 * runs against both): the same key and lifetime checks, listings in UTF-8 byte order paged
 * underneath (a page is read when the previous one is consumed, so deleting while listing behaves
 * as with continuation tokens), modification times from the injected clock to the second, as S3
 * lists them, so tests can age objects for collectGarbage.
 */
export class MemoryDocumentStore implements DocumentStore {
  private readonly objects = new Map<string, MemoryObject>();
  private writes = 0;
  readonly faults = new Faults<'put' | 'delete'>();

  constructor(private readonly options: { clock?: Clock; listPageSize?: number } = {}) {}

  /** A `sha256` that does not match the bytes fails the write, as S3 fails it (XAmzContentSHA256Mismatch). */
  async put(key: string, content: Uint8Array, contentType: string, sha256?: string): Promise<void> {
    if (sha256 !== undefined && createHash('sha256').update(content).digest('hex') !== sha256) {
      throw new Error(`the SHA-256 given for ${key} does not match its bytes`);
    }
    await this.write(key, content, contentType);
  }

  async putIfAbsent(key: string, content: Uint8Array, contentType: string): Promise<boolean> {
    return this.write(key, content, contentType, { ifAbsent: true });
  }

  async putIfMatch(key: string, content: Uint8Array, contentType: string, etag: string): Promise<boolean> {
    return this.write(key, content, contentType, { ifMatch: etag });
  }

  /** One write; a condition is checked and the object written with no await in between: one conditional write, as S3 makes it. */
  private async write(key: string, content: Uint8Array, contentType: string, condition: { ifAbsent?: true; ifMatch?: string } = {}): Promise<boolean> {
    checkDocumentKey(key);
    await roundTrip();
    this.faults.check('put');
    if (condition.ifAbsent && this.objects.has(key)) return false;
    if (condition.ifMatch !== undefined && this.objects.get(key)?.etag !== condition.ifMatch) return false;
    const now = (this.options.clock ?? { now: () => new Date() }).now().getTime();
    this.objects.set(key, { content: content.slice(), contentType, lastModified: new Date(now - (now % 1000)), etag: `"${++this.writes}"` });
    return true;
  }

  async get(key: string): Promise<Uint8Array> {
    checkDocumentKey(key);
    const object = this.objects.get(key);
    if (!object) throw new NotFoundError('document', key);
    return object.content.slice();
  }

  async getTagged(key: string): Promise<TaggedObject> {
    checkDocumentKey(key);
    const object = this.objects.get(key);
    if (!object) throw new NotFoundError('document', key);
    return { content: object.content.slice(), etag: object.etag };
  }

  async exists(key: string): Promise<boolean> {
    checkDocumentKey(key);
    return this.objects.has(key);
  }

  /** A `memory:` URL naming the key, its lifetime and the download name: nothing can fetch it, tests can read it. */
  async presignedGet(key: string, ttlSeconds: number, options: { downloadName?: string; inline?: boolean } = {}): Promise<string> {
    checkDocumentKey(key);
    checkDownloadTtl(ttlSeconds);
    const query = new URLSearchParams({ expires: String(ttlSeconds) });
    if (options.downloadName) query.set('response-content-disposition', contentDisposition(options.downloadName, options.inline));
    return `memory:documents/${key.split('/').map(encodeURIComponent).join('/')}?${query.toString()}`;
  }

  async delete(key: string): Promise<void> {
    checkDocumentKey(key);
    await roundTrip();
    this.faults.check('delete');
    this.objects.delete(key);
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const pageSize = this.options.listPageSize ?? S3_LIST_PAGE;
    let after: string | undefined;
    for (;;) {
      await roundTrip();
      const page = [...this.objects.keys()]
        .filter((key) => key.startsWith(prefix) && (after === undefined || compareBytes(key, after) > 0))
        .sort(compareBytes)
        .slice(0, pageSize);
      for (const key of page) {
        const object = this.objects.get(key);
        if (object) yield { key, bytes: object.content.byteLength, lastModified: detached(object.lastModified) };
      }
      if (page.length < pageSize) return;
      after = page.at(-1);
    }
  }

  /** What S3 would answer to a HEAD: for tests that check media types; undefined when missing. */
  describe(key: string): { contentType: string; bytes: number; lastModified: Date } | undefined {
    const object = this.objects.get(key);
    return object && { contentType: object.contentType, bytes: object.content.byteLength, lastModified: detached(object.lastModified) };
  }
}
