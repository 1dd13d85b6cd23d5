import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import { binary, documentStoreContract } from '../contracts/document-store.contract.ts';
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

// What every document store does, here on s3rver, with listings of 3 keys per page.
documentStoreContract('S3DocumentStore', async ({ listPageSize }) => new S3DocumentStore(aws.s3, aws.bucket, { listPageSize }));

describe('S3DocumentStore', () => {
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
});
