import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '#src/adapters/aws-clients.ts';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import { SerializedPuts } from '#src/adapters/local/serialized-puts.ts';
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

// What every document store does, here on s3rver, with listings of 3 keys per page. s3rver ignores
// If-None-Match and If-Match (it overwrites; shown below), so the conditional writes are checked
// through the wrapper the local stack puts around this store, and the requests this store sends are
// checked below.
documentStoreContract('S3DocumentStore', async ({ listPageSize }) => new S3DocumentStore(aws.s3, aws.bucket, { listPageSize }), { conditionalPuts: false });
documentStoreContract('S3DocumentStore in SerializedPuts (the local stack)', async ({ listPageSize }) => new SerializedPuts(new S3DocumentStore(aws.s3, aws.bucket, { listPageSize })));

describe('S3DocumentStore', () => {
  it('signs the SHA-256 it is given as the payload hash instead of hashing the body again', async () => {
    // Prepare: s3rver does not check the body against the header, so a hash S3 would refuse shows whose it is.
    const sent: Array<string | undefined> = [];
    const s3 = createS3Client(aws.config);
    s3.middlewareStack.add(
      (next) => async (args) => {
        sent.push((args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256']);
        return next(args);
      },
      { step: 'deserialize', name: 'recordPayloadHash' },
    );
    const hashed = new S3DocumentStore(s3, aws.bucket);
    const content = binary(1000);
    const given = 'ab'.repeat(32);
    // Act
    await hashed.put('tenders/t-hash/cctp.pdf', content, 'application/pdf', given);
    await hashed.put('tenders/t-hash/note.pdf', content, 'application/pdf');
    // Assess
    expect(sent).toEqual([given, createHash('sha256').update(content).digest('hex')]);
    await expect(hashed.put('tenders/t-hash/x.pdf', content, 'application/pdf', 'AB'.repeat(32))).rejects.toThrow(/sha256/);
    s3.destroy();
  });

  it('creates only-if-absent with If-None-Match: * and reads S3’s 412 and 409 as « not written »', async () => {
    const sent: Array<string | undefined> = [];
    const refusal = { status: 0 };
    const s3 = createS3Client(aws.config);
    s3.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        sent.push(request.headers['if-none-match']);
        if (refusal.status !== 0) {
          throw Object.assign(new Error(refusal.status === 412 ? 'At least one of the pre-conditions you specified did not hold' : 'A conflicting conditional operation is in progress'), {
            name: refusal.status === 412 ? 'PreconditionFailed' : 'ConditionalRequestConflict',
            $metadata: { httpStatusCode: refusal.status },
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordConditionalHeader' },
    );
    const conditional = new S3DocumentStore(s3, aws.bucket);

    expect(await conditional.putIfAbsent('tenders/t-cond/bid.json', binary(16), 'application/json')).toBe(true);
    await conditional.put('tenders/t-cond/other.json', binary(16), 'application/json');
    refusal.status = 412;
    expect(await conditional.putIfAbsent('tenders/t-cond/bid.json', binary(16), 'application/json')).toBe(false);
    refusal.status = 409;
    expect(await conditional.putIfAbsent('tenders/t-cond/bid.json', binary(16), 'application/json')).toBe(false);

    expect(sent).toEqual(['*', undefined, '*', '*']);
    s3.destroy();
  });

  it('replaces only-if-unchanged with If-Match: the ETag read, and reads S3’s 412, 409 and 404 as « not written »', async () => {
    const sent: Array<string | undefined> = [];
    const refusal = { status: 0 };
    const s3 = createS3Client(aws.config);
    s3.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { method: string; headers: Record<string, string> };
        if (request.method === 'PUT') sent.push(request.headers['if-match']);
        if (refusal.status !== 0) {
          throw Object.assign(new Error('refused'), { name: refusal.status === 404 ? 'NoSuchKey' : 'PreconditionFailed', $metadata: { httpStatusCode: refusal.status } });
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordConditionalHeader' },
    );
    const conditional = new S3DocumentStore(s3, aws.bucket);
    await conditional.put('tenders/t-match/analysis/input.json', binary(16), 'application/json');
    const { etag } = await conditional.getTagged('tenders/t-match/analysis/input.json');

    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await conditional.putIfMatch('tenders/t-match/analysis/input.json', binary(8), 'application/json', etag)).toBe(true);
    for (const status of [412, 409, 404]) {
      refusal.status = status;
      expect(await conditional.putIfMatch('tenders/t-match/analysis/input.json', binary(8), 'application/json', etag), String(status)).toBe(false);
    }
    refusal.status = 500;
    await expect(conditional.putIfMatch('tenders/t-match/analysis/input.json', binary(8), 'application/json', etag)).rejects.toThrow('refused');

    expect(sent).toEqual([undefined, etag, etag, etag, etag, etag]);
    s3.destroy();
  });

  it('runs on an s3rver that ignores If-None-Match and If-Match, which is why the local stack holds them in SerializedPuts', async () => {
    // When an upgrade of s3rver honours them, this fails: the contract can then run on the bare store.
    const key = 'tenders/t-s3rver/analysis/input.json';
    await store.put(key, binary(4), 'application/json');

    expect(await store.putIfAbsent(key, binary(5), 'application/json')).toBe(true);
    expect(await store.putIfMatch(key, binary(6), 'application/json', '"0123456789abcdef0123456789abcdef"')).toBe(true);
    expect(await store.get(key)).toEqual(binary(6));
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
});
