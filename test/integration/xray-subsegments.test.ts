import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbClients, createS3Client, type AwsConfig } from '#src/adapters/aws-clients.ts';
import { DAEMON_HEADER, MAX_DATAGRAM_BYTES, type DatagramSocket } from '#src/adapters/observability/xray-daemon.ts';
import { MAX_CAUSE_MESSAGE, XRAY_MIDDLEWARE_NAME } from '#src/adapters/observability/xray-aws-calls.ts';
import { awsCallTracingFromEnv } from '#src/entry/lambda-composition.ts';
import { startLocalAws, type LocalAws } from '../support/local-aws.ts';

/**
 * The X-Ray subsegments of real SDK v3 calls (DynamoDB on dynalite, S3 on s3rver), with the
 * environment Lambda gives a function under active tracing, received by a UDP socket standing in
 * for the X-Ray daemon on 127.0.0.1.
 */
let aws: LocalAws;
let table: string;
let daemon: Socket;
let daemonAddress: string;
const datagrams: Buffer[] = [];

beforeAll(async () => {
  aws = await startLocalAws();
  table = await aws.newTable();
  daemon = createSocket('udp4');
  daemon.on('message', (message) => datagrams.push(message));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  daemonAddress = `127.0.0.1:${(daemon.address() as AddressInfo).port}`;
});
afterAll(async () => {
  daemon?.close();
  await aws?.stop();
});
beforeEach(() => {
  datagrams.length = 0;
});

let traces = 0;
/** A trace header as Lambda sets it for one invocation, with a fresh trace and parent. */
function invocation(sampled: '0' | '1' = '1'): { root: string; parent: string; header: string } {
  const n = (++traces).toString(16).padStart(8, '0');
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${n}0123456789abcdef`;
  const parent = `${n}aaaabbbb`;
  return { root, parent, header: `Root=${root};Parent=${parent};Sampled=${sampled}` };
}

function lambdaEnv(traceHeader: string): Record<string, string | undefined> {
  return { AWS_LAMBDA_FUNCTION_NAME: 'cahier-dev-test', AWS_XRAY_DAEMON_ADDRESS: daemonAddress, _X_AMZN_TRACE_ID: traceHeader };
}

function tracedClients(env: Record<string, string | undefined>, config: AwsConfig = aws.config, openSocket?: () => DatagramSocket) {
  const tracing = awsCallTracingFromEnv(env, openSocket);
  const { client: dynamodb, document } = createDynamoDbClients(config, tracing?.instrument);
  return { tracing, dynamodb, document, s3: createS3Client(config, tracing?.instrument) };
}

interface Subsegment {
  type: string;
  id: string;
  trace_id: string;
  parent_id: string;
  name: string;
  namespace: string;
  start_time: number;
  end_time: number;
  aws: { operation: string; region?: string; request_id?: string; retries?: number; table_name?: string; bucket_name?: string };
  http?: { response: { status: number } };
  error?: true;
  throttle?: true;
  fault?: true;
  cause?: { exceptions: Array<{ id: string; type: string; message: string; remote: boolean }> };
}

/** Each datagram: the daemon's header line, then one subsegment document with the fields X-Ray requires. */
function received(): Subsegment[] {
  return datagrams.map((d) => {
    expect(d.length).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
    const text = d.toString('utf8');
    expect(text.startsWith(DAEMON_HEADER)).toBe(true);
    expect(JSON.parse(text.slice(0, DAEMON_HEADER.length))).toEqual({ format: 'json', version: 1 });
    const doc = JSON.parse(text.slice(DAEMON_HEADER.length)) as Subsegment;
    expect(doc).toMatchObject({ type: 'subsegment', namespace: 'aws' });
    expect(doc.id).toMatch(/^[0-9a-f]{16}$/);
    expect(doc.trace_id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(doc.parent_id).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof doc.start_time).toBe('number');
    expect(doc.end_time).toBeGreaterThanOrEqual(doc.start_time);
    return doc;
  });
}

/** Waits until `count` datagrams arrived (loopback UDP, from this process). */
async function arrived(count: number): Promise<Subsegment[]> {
  await expect.poll(() => datagrams.length).toBeGreaterThanOrEqual(count);
  return received();
}

/**
 * What was sent before a marker call of a sampled trace, through a client of its own: UDP on
 * loopback keeps a single sender's order, so once the marker arrived anything sent earlier has.
 */
async function sentBeforeMarker(): Promise<Subsegment[]> {
  const marker = invocation();
  await tracedClients(lambdaEnv(marker.header)).dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'marker' }, sk: { S: 'marker' } } }));
  await expect.poll(() => received().some((s) => s.trace_id === marker.root)).toBe(true);
  return received().filter((s) => s.trace_id !== marker.root);
}

describe('X-Ray subsegments of SDK calls', () => {
  it('sends one subsegment per DynamoDB and S3 call, named after the service, in the invocation’s trace, under its parent', async () => {
    const { root, parent, header } = invocation();
    const { document, s3 } = tracedClients(lambdaEnv(header));

    const answers = [
      await document.send(new PutCommand({ TableName: table, Item: { pk: 'XRAY#1', sk: 'A', n: 1 } })),
      await document.send(new GetCommand({ TableName: table, Key: { pk: 'XRAY#1', sk: 'A' } })),
      await s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: 'xray/a.txt', Body: 'a' })),
      await s3.send(new GetObjectCommand({ Bucket: aws.bucket, Key: 'xray/a.txt' })),
    ];
    const subsegments = await arrived(4);

    expect(subsegments.map((s) => [s.name, s.aws.operation])).toEqual([
      ['DynamoDB', 'PutItem'],
      ['DynamoDB', 'GetItem'],
      ['S3', 'PutObject'],
      ['S3', 'GetObject'],
    ]);
    expect(new Set(subsegments.map((s) => s.id)).size).toBe(4);
    for (const s of subsegments) {
      expect(s).toMatchObject({ trace_id: root, parent_id: parent, http: { response: { status: 200 } }, aws: { region: 'eu-west-3', retries: 0 } });
      expect(s.error ?? s.fault ?? s.throttle ?? s.cause).toBeUndefined();
    }
    // The request ids the SDK read from the answers (s3rver sends none for PutObject).
    expect(subsegments.map((s) => s.aws.request_id)).toEqual(answers.map((a) => a.$metadata.requestId));
    expect(subsegments[0]!.aws.request_id).toMatch(/^[0-9A-Z]{52}$/);
    expect(subsegments.slice(0, 2).map((s) => s.aws.table_name)).toEqual([table, table]);
    expect(subsegments.slice(2).map((s) => s.aws.bucket_name)).toEqual([aws.bucket, aws.bucket]);
  });

  it('follows the trace header of each invocation, read at each call', async () => {
    const first = invocation();
    const second = invocation();
    const env = lambdaEnv(first.header);
    const { document } = tracedClients(env);

    await document.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'XRAY#none' } }));
    env._X_AMZN_TRACE_ID = second.header;
    await document.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'XRAY#none' } }));
    const subsegments = await arrived(2);

    expect(subsegments.map((s) => [s.trace_id, s.parent_id, s.aws.operation])).toEqual([
      [first.root, first.parent, 'Query'],
      [second.root, second.parent, 'Query'],
    ]);
  });

  it('passes the trace on to the service with the subsegment as parent', async () => {
    const { root, header } = invocation();
    const { dynamodb } = tracedClients(lambdaEnv(header));
    const onTheWire: string[] = [];
    dynamodb.middlewareStack.add(
      (next) => async (args) => {
        onTheWire.push((args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id']!);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'wire' },
    );

    await dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'XRAY#2' }, sk: { S: 'A' } } }));
    const [subsegment] = await arrived(1);

    expect(onTheWire).toEqual([`Root=${root};Parent=${subsegment!.id};Sampled=1`]);
  });

  it('marks a call the service refused as an error (4xx) with its cause, and the caller still gets the SDK’s error', async () => {
    const { header } = invocation();
    const { dynamodb, s3 } = tracedClients(lambdaEnv(header));

    const missingTable = dynamodb.send(new GetItemCommand({ TableName: 'cahier-no-such-table', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    await expect(missingTable).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const missingKey = s3.send(new GetObjectCommand({ Bucket: aws.bucket, Key: 'xray/none.txt' }));
    await expect(missingKey).rejects.toMatchObject({ name: 'NoSuchKey' });
    const [dynamo, object] = await arrived(2);

    expect(dynamo).toMatchObject({ name: 'DynamoDB', error: true, http: { response: { status: 400 } }, aws: { operation: 'GetItem', table_name: 'cahier-no-such-table' } });
    expect(dynamo!.fault).toBeUndefined();
    expect(dynamo!.cause!.exceptions).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{16}$/), type: 'ResourceNotFoundException', message: expect.any(String), remote: true }]);
    expect(object).toMatchObject({ name: 'S3', error: true, http: { response: { status: 404 } }, aws: { operation: 'GetObject' }, cause: { exceptions: [{ type: 'NoSuchKey', remote: true }] } });
  });

  it('marks a call that never got an answer as a fault', async () => {
    const { header } = invocation();
    // A port that was just free on loopback: the connection is refused, no HTTP status.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const { dynamodb } = tracedClients(lambdaEnv(header), { ...aws.config, dynamodbEndpoint: `http://127.0.0.1:${port}` });

    await expect(dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))).rejects.toThrow();
    const [subsegment] = await arrived(1);

    expect(subsegment).toMatchObject({ fault: true, aws: { operation: 'GetItem' }, cause: { exceptions: [{ remote: false }] } });
    expect(subsegment!.http).toBeUndefined();
    expect(subsegment!.error).toBeUndefined();
  });

  it('spans the retries of one call in one subsegment and counts them', async () => {
    const { header } = invocation();
    const { dynamodb } = tracedClients(lambdaEnv(header), { ...aws.config, maxAttempts: 3 });
    // Fault injection: the first attempt fails as a 503 would; the retry reaches dynalite.
    let attempts = 0;
    dynamodb.middlewareStack.add(
      (next) => async (args) => {
        if (++attempts === 1) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'failFirstAttempt' },
    );

    await dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'XRAY#3' }, sk: { S: 'A' } } }));
    const subsegments = await arrived(1);

    expect(attempts).toBe(2);
    expect(subsegments).toHaveLength(1);
    expect(subsegments[0]).toMatchObject({ aws: { operation: 'GetItem', retries: 1 }, http: { response: { status: 200 } } });
    expect(subsegments[0]!.fault).toBeUndefined();
  });

  it('marks a throttled call', async () => {
    const { header } = invocation();
    const { dynamodb } = tracedClients(lambdaEnv(header));
    // Fault injection: what the SDK throws for DynamoDB's throttling answer.
    dynamodb.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
          name: 'ThrottlingException',
          $fault: 'client',
          $retryable: { throttling: true },
          $metadata: { httpStatusCode: 400, requestId: 'R1', attempts: 1 },
        });
      },
      { step: 'finalizeRequest', priority: 'low', name: 'throttle' },
    );

    await expect(dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    const [subsegment] = await arrived(1);

    expect(subsegment).toMatchObject({ error: true, throttle: true, http: { response: { status: 400 } }, aws: { request_id: 'R1', retries: 0 } });
  });

  it('keeps a datagram within the daemon’s 64 KiB whatever the error message', async () => {
    const { header } = invocation();
    const { dynamodb } = tracedClients(lambdaEnv(header));
    const huge = 'é'.repeat(100_000);
    // Fault injection: an error whose message alone would not fit in a datagram.
    dynamodb.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error(huge), { name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      },
      { step: 'finalizeRequest', priority: 'low', name: 'hugeError' },
    );

    await expect(dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))).rejects.toHaveProperty('message', huge);
    const [subsegment] = await arrived(1);

    expect(subsegment!.cause!.exceptions[0]!.message).toHaveLength(MAX_CAUSE_MESSAGE);
  });
});

describe('X-Ray subsegments: when nothing is sent', () => {
  it('sends nothing for a trace that is not sampled, outside Lambda, or without a daemon address, and the calls succeed', async () => {
    const unsampled = invocation('0').header;
    const envs = [
      lambdaEnv(unsampled),
      { ...lambdaEnv(invocation().header), AWS_LAMBDA_FUNCTION_NAME: undefined },
      { ...lambdaEnv(invocation().header), AWS_XRAY_DAEMON_ADDRESS: undefined },
      { ...lambdaEnv(invocation().header), _X_AMZN_TRACE_ID: undefined },
      { ...lambdaEnv(invocation().header), AWS_XRAY_DAEMON_ADDRESS: 'not an address' },
    ];

    for (const env of envs) {
      const { dynamodb, s3 } = tracedClients(env);
      await dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'XRAY#4' }, sk: { S: 'A' } } }));
      await s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: 'xray/b.txt', Body: 'b' }));
    }

    expect(await sentBeforeMarker()).toEqual([]);
    expect(tracedClients(envs[0]!).tracing, 'sampling is decided per call').toBeDefined();
    expect(envs.slice(1, 3).concat(envs.slice(4)).map((env) => tracedClients(env).tracing)).toEqual([undefined, undefined, undefined]);
  });

  it('sends nothing for a presigned URL: no call is made', async () => {
    const { s3 } = tracedClients(lambdaEnv(invocation().header));

    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: aws.bucket, Key: 'xray/a.txt' }), { expiresIn: 60 });

    expect(url).toContain('X-Amz-Signature=');
    expect(await sentBeforeMarker()).toEqual([]);
  });

  it('never fails a call when the socket throws or reports an error, and counts what was lost', async () => {
    const { header } = invocation();
    // Fault injection: sockets that refuse every datagram, at once or in their callback.
    const throwing: DatagramSocket = { unref: () => throwing as never, on: () => throwing as never, send: () => { throw new Error('EPERM'); } } as unknown as DatagramSocket;
    const failingLater = {
      unref: () => failingLater,
      on: () => failingLater,
      send: (_: Buffer, _port: number, _host: string, callback: (error: Error | null) => void) => setImmediate(() => callback(new Error('EHOSTUNREACH'))),
    } as unknown as DatagramSocket;

    for (const socket of [throwing, failingLater]) {
      const { dynamodb, tracing } = tracedClients(lambdaEnv(header), aws.config, () => socket);
      const answer = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'XRAY#5' }, sk: { S: 'A' } } }));

      expect(answer.$metadata.httpStatusCode).toBe(200);
      await expect.poll(() => tracing!.daemon.stats).toEqual({ sent: 0, dropped: 1 });
    }
  });

  it('installs its middleware once per client however often it is applied', () => {
    const { tracing, dynamodb } = tracedClients(lambdaEnv(invocation().header));

    tracing!.instrument(dynamodb);

    expect(dynamodb.middlewareStack.identify().filter((m) => m.startsWith(XRAY_MIDDLEWARE_NAME))).toHaveLength(1);
  });
});
