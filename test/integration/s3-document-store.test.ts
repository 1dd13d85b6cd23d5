import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import { startLocalAws, type LocalAws } from '../support/local-aws.ts';

let aws: LocalAws;
let store: S3DocumentStore;

beforeAll(async () => {
  aws = await startLocalAws();
  store = new S3DocumentStore(aws.s3, aws.bucket);
});
afterAll(async () => {
  await aws?.stop();
});

/** Every byte value, then a pattern: a body that any text conversion would damage. */
function binary(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i < 256 ? i : (i * 31 + 7) % 256));
}

describe('S3DocumentStore', () => {
  it('stores bytes and reads them back unchanged', async () => {
    const content = binary(300_000);

    await store.put('tenders/t-roundtrip/cctp.pdf', content, 'application/pdf');

    expect(Buffer.from(await store.get('tenders/t-roundtrip/cctp.pdf')).equals(Buffer.from(content))).toBe(true);
    expect(await store.exists('tenders/t-roundtrip/cctp.pdf')).toBe(true);
    expect(await store.exists('tenders/t-roundtrip/missing.pdf')).toBe(false);
    await expect(store.get('tenders/t-roundtrip/missing.pdf')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('hands out a URL that downloads the bytes without credentials, for at most 15 minutes', async () => {
    const content = binary(4096);
    await store.put('tenders/t-url/cctp.pdf', content, 'application/pdf');

    const url = await store.presignedGet('tenders/t-url/cctp.pdf', 900, { downloadName: "CCTP d'école.pdf" });
    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="CCTP_d_ecole.pdf"; filename*=UTF-8''CCTP%20d%27%C3%A9cole.pdf`,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(content))).toBe(true);
    // s3rver does not check SigV4 signatures, so tampering and expiry can only be proven on S3
    // itself; what can be checked here is what the URL asks for.
    const params = new URL(url).searchParams;
    expect(params.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(params.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(params.get('X-Amz-Expires')).toBe('900');
    expect(new URL(await store.presignedGet('tenders/t-url/cctp.pdf', 60)).searchParams.get('X-Amz-Expires')).toBe('60');
  });

  it('refuses URL lifetimes beyond 15 minutes and malformed keys', async () => {
    for (const ttl of [0, -1, 901, 3600, 1.5, Number.NaN]) {
      await expect(store.presignedGet('tenders/t-url/cctp.pdf', ttl), String(ttl)).rejects.toBeInstanceOf(RangeError);
    }
    for (const key of ['', '/tenders/x', 'tenders/../secrets', 'a'.repeat(1025)]) {
      await expect(store.put(key, new Uint8Array(1), 'text/plain')).rejects.toBeInstanceOf(RangeError);
    }
  });

  it('lists objects under a prefix in key order and deletes them', async () => {
    await store.put('tenders/t-list/report.json', new TextEncoder().encode('{}'), 'application/json');
    await store.put('tenders/t-list/cctp.pdf', binary(100), 'application/pdf');
    await store.put('other/t-list.txt', binary(1), 'text/plain');

    const listed = [];
    for await (const object of store.list('tenders/t-list/')) listed.push(object);

    expect(listed.map((o) => [o.key, o.bytes])).toEqual([
      ['tenders/t-list/cctp.pdf', 100],
      ['tenders/t-list/report.json', 2],
    ]);
    expect(listed[0]!.lastModified.getTime()).toBeGreaterThan(Date.now() - 60_000);

    await store.delete('tenders/t-list/cctp.pdf');
    await store.delete('tenders/t-list/never-existed.pdf');
    expect(await store.exists('tenders/t-list/cctp.pdf')).toBe(false);
  });
});
