/**
 * What every DocumentStore does (src/app/ports/document-store.ts): run on the S3 adapter against
 * s3rver (test/integration/s3-document-store.test.ts) and on the fake (test/contracts/fakes.test.ts).
 * `create` gives a store for each test, listing `listPageSize` keys per underlying page; stores may
 * share a bucket, so every test writes under its own prefix.
 */
import { createHash, randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { DocumentStore, StoredObject } from '#src/app/ports/document-store.ts';

/** Every byte value, then a pattern: a body that any text conversion would damage. */
export function binary(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i < 256 ? i : (i * 31 + 7) % 256));
}

async function all(iterable: AsyncIterable<StoredObject>): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const object of iterable) out.push(object);
  return out;
}

/**
 * `conditionalPuts: false` for a store on a server that ignores `If-None-Match` and `If-Match`
 * (s3rver): its putIfAbsent and putIfMatch cases are skipped there, and run on the same store
 * wrapped as the local stack wraps it.
 */
export function documentStoreContract(
  name: string,
  create: (options: { listPageSize: number }) => Promise<DocumentStore>,
  options: { conditionalPuts: boolean } = { conditionalPuts: true },
): void {
  describe(`${name} (DocumentStore contract)`, () => {
    let store: DocumentStore;
    let prefix: string;
    beforeEach(async () => {
      store = await create({ listPageSize: 3 });
      prefix = `tenders/c-${randomUUID()}/`;
    });

    it('stores bytes and reads them back unchanged, replacing an object written again', async () => {
      const content = binary(70_000);

      await store.put(`${prefix}cctp.pdf`, content, 'application/pdf');

      expect(Buffer.from(await store.get(`${prefix}cctp.pdf`)).equals(Buffer.from(content))).toBe(true);
      expect(await store.exists(`${prefix}cctp.pdf`)).toBe(true);
      expect(await store.exists(`${prefix}missing.pdf`)).toBe(false);
      await expect(store.get(`${prefix}missing.pdf`)).rejects.toMatchObject({ name: 'NotFoundError', resource: 'document' });
      await expect(store.get(`${prefix}missing.pdf`)).rejects.toBeInstanceOf(NotFoundError);

      await store.put(`${prefix}cctp.pdf`, binary(10), 'application/pdf');
      expect(await store.get(`${prefix}cctp.pdf`)).toEqual(binary(10));
    });

    it('keeps its own copy: changing the bytes given or read does not change the stored object', async () => {
      const content = binary(300);
      await store.put(`${prefix}cctp.pdf`, content, 'application/pdf');
      content.fill(0);
      (await store.get(`${prefix}cctp.pdf`)).fill(1);

      expect(await store.get(`${prefix}cctp.pdf`)).toEqual(binary(300));
    });

    it('stores bytes given with their SHA-256', async () => {
      const content = binary(70_000);

      await store.put(`${prefix}cctp.pdf`, content, 'application/pdf', createHash('sha256').update(content).digest('hex'));

      expect(Buffer.from(await store.get(`${prefix}cctp.pdf`)).equals(Buffer.from(content))).toBe(true);
    });

    it('stores an empty object', async () => {
      await store.put(`${prefix}empty.txt`, new Uint8Array(0), 'text/plain');

      expect((await store.get(`${prefix}empty.txt`)).byteLength).toBe(0);
      expect((await all(store.list(prefix))).map((o) => [o.key, o.bytes])).toEqual([[`${prefix}empty.txt`, 0]]);
    });

    it('lists objects under a prefix in key order across pages, with sizes and times, and deletes them', async () => {
      const before = Date.now();
      const names = ['report.json', 'cctp.pdf', 'bpu.xlsx', 'a/nested.txt', 'cctp.docx', 'z.txt', 'ocds.json'];
      for (const [i, file] of names.entries()) await store.put(`${prefix}${file}`, binary(i + 1), 'application/octet-stream');
      await store.put(`${prefix.slice(0, -1)}-sibling/x.txt`, binary(1), 'text/plain');
      await store.put(`other/${prefix}cctp.pdf`, binary(1), 'text/plain');

      const listed = await all(store.list(prefix));

      expect(listed.map((o) => o.key)).toEqual([...names].sort().map((file) => `${prefix}${file}`));
      expect(listed.map((o) => o.bytes)).toEqual([...names].sort().map((file) => names.indexOf(file) + 1));
      for (const object of listed) {
        expect(object.lastModified.getTime()).toBeGreaterThanOrEqual(before - 1_000);
        expect(object.lastModified.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
      }
      expect(await all(store.list(`${prefix}a/`))).toHaveLength(1);
      expect(await all(store.list(`${prefix}nothing/`))).toEqual([]);

      await store.delete(`${prefix}cctp.pdf`);
      await store.delete(`${prefix}never-existed.pdf`);
      expect(await store.exists(`${prefix}cctp.pdf`)).toBe(false);
      expect(await all(store.list(prefix))).toHaveLength(names.length - 1);
    });

    it('lists every object once while the caller deletes what it has seen', async () => {
      const keys = Array.from({ length: 10 }, (_, i) => `${prefix}doc-${String(i).padStart(2, '0')}.pdf`);
      for (const key of keys) await store.put(key, binary(4), 'application/pdf');

      const seen: string[] = [];
      for await (const object of store.list(prefix)) {
        seen.push(object.key);
        await store.delete(object.key);
      }

      expect(seen).toEqual(keys);
      expect(await all(store.list(prefix))).toEqual([]);
    });

    it('orders keys by their UTF-8 bytes, as S3 does', async () => {
      const files = ['école.pdf', 'ecole.pdf', 'Z.pdf', 'z.pdf', '\u{1F4C4}.pdf', '\uFF21.pdf'];
      for (const file of files) await store.put(`${prefix}${file}`, binary(1), 'application/pdf');

      const listed = (await all(store.list(prefix))).map((o) => o.key.slice(prefix.length));

      expect(listed).toEqual(['Z.pdf', 'ecole.pdf', 'z.pdf', 'école.pdf', '\uFF21.pdf', '\u{1F4C4}.pdf']);
    });

    it('hands out download URLs of 1 to 900 seconds naming the object, and refuses malformed keys', async () => {
      await store.put(`${prefix}cctp.pdf`, binary(10), 'application/pdf');

      const url = await store.presignedGet(`${prefix}cctp.pdf`, 900, { downloadName: "CCTP d'école.pdf" });

      expect(url).toContain(prefix);
      expect(decodeURIComponent(url)).toContain(`filename*=UTF-8''CCTP%20d%27%C3%A9cole.pdf`);
      // (A space is %20 in a presigned URL, + in a form-encoded query.)
      expect(decodeURIComponent(url)).toMatch(/attachment;(?: |\+)filename=/);
      // A preview: the browser shows the file under its name instead of saving it.
      expect(decodeURIComponent(await store.presignedGet(`${prefix}cctp.pdf`, 60, { downloadName: '01_RC.pdf', inline: true }))).toMatch(/inline;(?: |\+)filename="01_RC\.pdf"/);
      for (const ttl of [0, -1, 901, 3600, 1.5, Number.NaN]) {
        await expect(store.presignedGet(`${prefix}cctp.pdf`, ttl), String(ttl)).rejects.toBeInstanceOf(RangeError);
      }
      for (const key of ['', '/tenders/x', 'tenders/../secrets', 'tenders/./x', 'a'.repeat(1025), 'é'.repeat(513)]) {
        await expect(store.put(key, new Uint8Array(1), 'text/plain'), key).rejects.toBeInstanceOf(RangeError);
        await expect(store.get(key), key).rejects.toBeInstanceOf(RangeError);
        await expect(store.delete(key), key).rejects.toBeInstanceOf(RangeError);
      }
    });

    it.runIf(options.conditionalPuts)('creates an object only if its key is free: once of several writers at once, never over an existing object', async () => {
      const key = `${prefix}bids/acme/bid.json`;
      const first = new TextEncoder().encode('{"first":true}');

      expect(await store.putIfAbsent(key, first, 'application/json')).toBe(true);
      expect(await store.putIfAbsent(key, new TextEncoder().encode('{"second":true}'), 'application/json')).toBe(false);
      expect(new TextDecoder().decode(await store.get(key))).toBe('{"first":true}');
      const race = `${prefix}bids/zeta/bid.json`;
      const writers = Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`{"writer":${i}}`));
      const outcomes = await Promise.all(writers.map((bytes) => store.putIfAbsent(race, bytes, 'application/json')));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(new TextDecoder().decode(await store.get(race))).toBe(`{"writer":${outcomes.indexOf(true)}}`);
      await expect(store.putIfAbsent('../escape', first, 'application/json')).rejects.toBeInstanceOf(RangeError);
    });

    it.runIf(options.conditionalPuts)('replaces an object only if it is still the one read: never over a later write, a deleted object or a missing key', async () => {
      const key = `${prefix}analysis/input.json`;
      const text = (value: string) => new TextEncoder().encode(value);
      await store.put(key, text('{"v":1}'), 'application/json');
      const read = await store.getTagged(key);
      expect(new TextDecoder().decode(read.content)).toBe('{"v":1}');

      expect(await store.putIfMatch(key, text('{"v":2}'), 'application/json', read.etag)).toBe(true);
      // The tag read before that write is stale now.
      expect(await store.putIfMatch(key, text('{"v":3}'), 'application/json', read.etag)).toBe(false);
      expect(new TextDecoder().decode(await store.get(key))).toBe('{"v":2}');
      const second = await store.getTagged(key);
      expect(second.etag).not.toBe(read.etag);
      await store.delete(key);
      expect(await store.putIfMatch(key, text('{"v":4}'), 'application/json', second.etag)).toBe(false);
      expect(await store.exists(key)).toBe(false);
      await expect(store.getTagged(key)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.putIfMatch('../escape', text('{}'), 'application/json', second.etag)).rejects.toBeInstanceOf(RangeError);
    });

    it.runIf(options.conditionalPuts)('lets one only of several writers who read the same object replace it', async () => {
      const key = `${prefix}analysis/input.json`;
      await store.put(key, new TextEncoder().encode('{"v":0}'), 'application/json');
      const { etag } = await store.getTagged(key);
      const writers = Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`{"writer":${i}}`));

      const outcomes = await Promise.all(writers.map((bytes) => store.putIfMatch(key, bytes, 'application/json', etag)));

      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(new TextDecoder().decode(await store.get(key))).toBe(`{"writer":${outcomes.indexOf(true)}}`);
    });
  });
}
