import { catalogueOperations } from '#src/adapters/http/operations/catalogues.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import type { HttpApiHandler } from '#src/adapters/http/lambda-types.ts';
import { offerOperations } from '#src/adapters/http/operations/offers.ts';
import { tenderOperations } from '#src/adapters/http/operations/tenders.ts';
import { METRICS } from '#src/adapters/observability/metric-names.ts';
import { powertoolsLog, powertoolsMetrics, type Telemetry } from '#src/adapters/observability/telemetry.ts';
import { seedCatalogue } from '#src/app/seed-catalogue.ts';
import { createComposition, type Composition } from '#src/entry/composition.ts';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { offerDeps } from '#src/entry/offers-composition.ts';
import { defaultPipeline } from '#src/entry/pipeline.ts';
import { startLocalAws, type LocalAws } from '../support/local-aws.ts';
import { example } from '../support/pipeline.ts';
import { apiEvent } from '../infra/support/lambda-process.ts';

/**
 * The tenders function's logs and metrics as Powertools writes them to stdout (what CloudWatch
 * receives in AWS): the real Logger at DEBUG and the real EMF Metrics, stdout captured.
 */
const MARKER = 'Zygomorphe-Quintessence';
const now = Math.floor(Date.now() / 1000);
const BUYER = { sub: 'obs-buyer', 'cognito:groups': '[buyers]', iat: String(now), exp: String(now + 3600) };

let aws: LocalAws;
let composition: Composition;
let broken: Composition;
let telemetry: Telemetry;
const savedEnv = { ...process.env };

beforeAll(async () => {
  aws = await startLocalAws();
  const tableName = await aws.newTable();
  await seedCatalogue({ criteria: new DynamoDbCriteriaRepository({ db: aws.document, tableName }) }, await loadCatalogue(CATALOGUE_DIR));
  const config = { tableName, bucketName: aws.bucket, aws: { ...aws.config, maxAttempts: 3 }, urlTtlSeconds: 300 };
  composition = createComposition(config);
  // A bug whose message quotes what it was given: the fault line must not repeat it.
  broken = createComposition(config, {
    documents: { ...composition.documents, put: async (key: string) => Promise.reject(new TypeError(`cannot store ${key} for ${MARKER}`)) },
  });
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'Cahier/test';
  telemetry = { log: powertoolsLog({ level: 'DEBUG' }), metrics: powertoolsMetrics() };
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  composition?.close();
  broken?.close();
  await aws?.stop();
});

/** Runs `act` with stdout and stderr captured (Powertools writes errors to stderr); returns the lines written, parsed. */
async function stdoutOf(act: () => Promise<unknown>): Promise<{ text: string; lines: Record<string, any>[] }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  }
  try {
    await act();
  } finally {
    streams.forEach((s, i) => (s.write = writes[i]!));
  }
  const text = chunks.join('');
  return { text, lines: text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, any>) };
}

function tendersHandler(c: Composition): HttpApiHandler {
  const pipeline = defaultPipeline();
  return createFunctionHandler('tenders', { ...tenderOperations({ ...c, ...pipeline }), ...catalogueOperations(c), ...offerOperations(offerDeps(c, pipeline)) }, telemetry);
}

function buyerRequest(): Record<string, any> {
  const body = example('commune');
  body.title = `Classe mobile ${MARKER}`;
  body.buyer.name = `Commune de ${MARKER}`;
  return body;
}

describe('tenders function telemetry', () => {
  it('logs one JSON line per request with the request id and the tender id, never the buyer’s text, and counts the generation in EMF', async () => {
    const handler = tendersHandler(composition);
    const event = apiEvent('POST /tenders', '/tenders', { claims: BUYER, body: buyerRequest() });
    let id = '';

    const { text, lines } = await stdoutOf(async () => {
      const res = await handler(event, { awsRequestId: 'lambda-1' });
      expect(res.statusCode, res.body).toBe(201);
      id = JSON.parse(res.body!).id as string;
      const read = await handler(apiEvent('GET /tenders/{id}', `/tenders/${id}`, { claims: BUYER, params: { id } }), { awsRequestId: 'lambda-2' });
      expect(read.statusCode).toBe(200);
      expect(read.body).toContain(MARKER); // the answer carries it; the logs must not
    });

    expect(text).not.toContain(MARKER);
    const logs = lines.filter((l) => l.message === 'request');
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({ level: 'INFO', service: 'cahier', function: 'tenders', requestId: event.requestContext.requestId, lambdaRequestId: 'lambda-1', routeKey: 'POST /tenders', tenderId: id, status: 201 });
    expect(logs[1]).toMatchObject({ routeKey: 'GET /tenders/{id}', tenderId: id, status: 200, lambdaRequestId: 'lambda-2' });
    expect(typeof logs[0]!.durationMs).toBe('number');
    const emf = lines.filter((l) => l._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Cahier/test', Dimensions: [['service']] });
    expect(emf[0]!._aws.CloudWatchMetrics[0].Metrics).toEqual(
      expect.arrayContaining([
        { Name: METRICS.tendersGenerated, Unit: 'Count' },
        { Name: METRICS.generationTime, Unit: 'Milliseconds' },
        { Name: METRICS.documentBytes, Unit: 'Bytes' },
      ]),
    );
    expect(emf[0]![METRICS.tendersGenerated]).toBe(1);
    expect(emf[0]![METRICS.documentBytes]).toBeGreaterThan(1000);
  });

  it('counts the rule errors that block a generation, one series per code, and the 4xx', async () => {
    const blocked = buyerRequest();
    blocked.awardCriteria[0].weight = 10;

    const { text, lines } = await stdoutOf(async () => {
      const res = await tendersHandler(composition)(apiEvent('POST /tenders', '/tenders', { claims: BUYER, body: blocked }));
      expect(res.statusCode).toBe(422);
    });

    expect(text).not.toContain(MARKER);
    const ruleErrors = lines.filter((l) => l._aws?.CloudWatchMetrics[0].Metrics[0].Name === METRICS.ruleErrors);
    expect(ruleErrors.map((l) => l.code)).toContain('AWARD_WEIGHTS_SUM');
    expect(ruleErrors[0]!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'code']]);
    expect(lines.find((l) => l._aws && l[METRICS.http4xx] === 1)).toBeDefined();
  });

  it('logs a fault with its class and stack frames but not its message, which may quote the buyer', async () => {
    const event = apiEvent('POST /tenders', '/tenders', { claims: BUYER, body: buyerRequest() });

    const { text, lines } = await stdoutOf(async () => {
      const res = await tendersHandler(broken)(event);
      expect(res.statusCode).toBe(500);
    });

    expect(text).not.toContain(MARKER);
    const fault = lines.find((l) => l.message === 'fault');
    expect(fault).toMatchObject({ level: 'ERROR', requestId: event.requestContext.requestId, status: 500, error: { name: 'TypeError' } });
    expect(fault!.error.stack.length).toBeGreaterThan(0);
    expect(lines.find((l) => l._aws && l[METRICS.http5xx] === 1)).toBeDefined();
  });
});
