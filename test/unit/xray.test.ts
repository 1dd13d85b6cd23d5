import { describe, expect, it } from 'vitest';
import { awsCallSubsegment, parseTraceHeader } from '#src/adapters/observability/xray-aws-calls.ts';
import { DAEMON_HEADER, encodeDatagram, MAX_DATAGRAM_BYTES, parseDaemonAddress } from '#src/adapters/observability/xray-daemon.ts';
import { lambdaTraceHeader } from '#src/adapters/observability/lambda-trace.ts';

describe('parseDaemonAddress', () => {
  it('reads host:port and the UDP address of the two-address form', () => {
    expect(parseDaemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(parseDaemonAddress('tcp:127.0.0.1:2000 udp:127.0.0.2:2001')).toEqual({ host: '127.0.0.2', port: 2001 });
    expect(parseDaemonAddress('xray-daemon:2000')).toEqual({ host: 'xray-daemon', port: 2000 });
  });

  it('turns tracing off rather than failing on an absent or malformed address', () => {
    for (const value of [undefined, '', 'localhost', '127.0.0.1:0', '127.0.0.1:70000', 'tcp:127.0.0.1:2000', '[::1]:2000', 'a b c']) {
      expect(parseDaemonAddress(value), String(value)).toBeUndefined();
    }
  });
});

describe('parseTraceHeader', () => {
  it('reads the trace, the parent and whether the invocation is sampled', () => {
    expect(parseTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a:0')).toEqual({
      root: '1-5759e988-bd862e3fe1be46a994272793',
      parent: '53995c3f42cd8ad8',
      sampled: true,
    });
    expect(parseTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0')?.sampled).toBe(false);
    expect(parseTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8')?.sampled).toBe(false);
  });

  it('refuses a header without a valid trace id or parent', () => {
    for (const header of [undefined, '', 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1', 'Root=abc;Parent=53995c3f42cd8ad8;Sampled=1', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=XYZ;Sampled=1']) {
      expect(parseTraceHeader(header), String(header)).toBeUndefined();
    }
  });
});

describe('encodeDatagram', () => {
  it('writes the daemon header line then the document, and refuses what would not fit in one datagram', () => {
    expect(encodeDatagram({ a: 1 })!.toString('utf8')).toBe(`${DAEMON_HEADER}{"a":1}`);
    const fits = 'x'.repeat(MAX_DATAGRAM_BYTES - DAEMON_HEADER.length - '{"a":""}'.length);
    expect(encodeDatagram({ a: fits })).toHaveLength(MAX_DATAGRAM_BYTES);
    expect(encodeDatagram({ a: `${fits}x` })).toBeUndefined();
  });
});

describe('lambdaTraceHeader', () => {
  it('prefers the runtime’s invoke store (concurrent invocations in one process) to _X_AMZN_TRACE_ID, read at each call', () => {
    const env: Record<string, string | undefined> = { _X_AMZN_TRACE_ID: 'Root=from-env' };
    const lambda = globalThis as { awslambda?: unknown };
    expect(lambdaTraceHeader(env)).toBe('Root=from-env');
    env._X_AMZN_TRACE_ID = 'Root=next-invocation';
    expect(lambdaTraceHeader(env)).toBe('Root=next-invocation');
    lambda.awslambda = { InvokeStore: { getXRayTraceId: () => 'Root=from-store' } };
    try {
      expect(lambdaTraceHeader(env)).toBe('Root=from-store');
    } finally {
      delete lambda.awslambda;
    }
  });
});

describe('awsCallSubsegment', () => {
  const trace = { root: '1-5759e988-bd862e3fe1be46a994272793', parent: '53995c3f42cd8ad8', sampled: true };
  const call = { service: 'S3', operation: 'GetObject', region: 'eu-west-3', startMs: 1_000, endMs: 1_250, input: { Bucket: 'b', Key: 'k' }, requestId: 'R', extendedRequestId: undefined, attempts: 1 };
  const thrown = (fault: string | undefined) => ({ name: 'E', message: 'm', fault, throttling: false, remote: true });
  const flags = (d: Record<string, unknown>) => ['error', 'throttle', 'fault'].filter((f) => d[f] === true);

  it('flags by the HTTP status: 4xx error, 429 throttle and error, 5xx fault, a thrown 304 nothing', () => {
    expect(flags(awsCallSubsegment({ ...call, status: 200 }, trace, 'a'.repeat(16)))).toEqual([]);
    expect(flags(awsCallSubsegment({ ...call, status: 404, error: thrown('client') }, trace, 'a'.repeat(16)))).toEqual(['error']);
    expect(flags(awsCallSubsegment({ ...call, status: 429, error: thrown('client') }, trace, 'a'.repeat(16)))).toEqual(['error', 'throttle']);
    expect(flags(awsCallSubsegment({ ...call, status: 503, error: thrown('server') }, trace, 'a'.repeat(16)))).toEqual(['fault']);
    expect(flags(awsCallSubsegment({ ...call, status: 304, error: thrown('client') }, trace, 'a'.repeat(16)))).toEqual([]);
  });

  it('without a status, flags a fault unless the SDK says the client was at fault', () => {
    expect(flags(awsCallSubsegment({ ...call, status: undefined, error: { ...thrown(undefined), remote: false } }, trace, 'a'.repeat(16)))).toEqual(['fault']);
    expect(flags(awsCallSubsegment({ ...call, status: undefined, error: { ...thrown('client'), remote: false } }, trace, 'a'.repeat(16)))).toEqual(['error']);
  });

  it('writes times in epoch seconds, the retries and the bucket, never the object key', () => {
    const doc = awsCallSubsegment({ ...call, status: 200, attempts: 3 }, trace, 'b'.repeat(16));

    expect(doc).toMatchObject({ id: 'b'.repeat(16), trace_id: trace.root, parent_id: trace.parent, start_time: 1, end_time: 1.25, aws: { retries: 2, bucket_name: 'b' } });
    expect(JSON.stringify(doc)).not.toContain('"k"');
  });
});
