import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recheckTenderReading, regenerateTender } from '#src/app/generate-tender.ts';
import { defaultPipeline } from '#src/entry/pipeline.ts';
import { pdfText } from '../support/pdf-text.ts';
import { example } from '../support/pipeline.ts';
import { countDynamoDbCalls } from '../support/local-aws.ts';
import { closedPort, expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function download(tenderId: string, name: string, token: string): Promise<Uint8Array> {
  const redirect = await stack.call('GET', `/tenders/${tenderId}/documents/${name}`, { token });
  expect(redirect.status).toBe(302);
  const response = await fetch(redirect.headers.get('location')!);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

describe('POST /tenders with an Idempotency-Key', () => {
  it('a retry returns the same tender and writes nothing; the same body reformatted counts as the same request', async () => {
    const body = example('commune');
    const headers = { 'idempotency-key': 'order-2026-001' };
    const before = await stack.counts();

    const first = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body, headers });
    const afterFirst = await stack.counts();
    const retry = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body, headers });
    const reformatted = await stack.call('POST', '/tenders', {
      token: stack.tokens.buyer,
      body: JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 4),
      headers,
    });

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(afterFirst).toEqual({ items: before.items + 2, objects: before.objects + 3 }); // claim + tender; PDF, note interne, report
    for (const again of [retry, reformatted]) {
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.json.id).toBe(first.json.id);
      expect(again.json.report).toEqual(first.json.report);
    }
    expect(await stack.counts()).toEqual(afterFirst);
  });

  it('concurrent retries record one tender and one set of objects', async () => {
    const body = { ...example('commune'), title: 'Classe mobile, commande passée trois fois en même temps' };
    const before = await stack.counts();

    const results = await Promise.all(
      [1, 2, 3].map(() => stack.call('POST', '/tenders', { token: stack.tokens.buyer, body, headers: { 'idempotency-key': 'race-1' } })),
    );

    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(await stack.counts()).toEqual({ items: before.items + 2, objects: before.objects + 3 });
  });

  it('the same key with another body is a 422 and writes nothing; another caller’s same key is another tender', async () => {
    const headers = { 'idempotency-key': 'order-2026-001' };
    const before = await stack.counts();

    const reused = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: { ...example('commune'), title: 'Autre chose' }, headers });
    const afterReuse = await stack.counts();
    const mine = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('commune'), headers });
    const theirs = await stack.call('POST', '/tenders', { token: stack.tokens.otherBuyer, body: example('commune'), headers });

    expectProblemShape(reused, 422);
    expect(reused.json.type).toBe('urn:cahier:problem:idempotency-key-reused');
    expect(afterReuse).toEqual(before);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.json.id).not.toBe(mine.json.id);
  });

  it('refuses an Idempotency-Key that is not printable ASCII with 400', async () => {
    const res = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('commune'), headers: { 'idempotency-key': ' '.repeat(300) } });

    expectProblemShape(res, 400);
  });
});

describe('DynamoDB calls per tender', () => {
  it('3 without a key, 6 with one, 2 for a replay, once the reader keeps the framework version', async () => {
    const calls = countDynamoDbCalls(stack.composition.clients.dynamodb);
    const body = { ...example('commune'), title: 'Mesure des appels DynamoDB' };
    const measure = async (headers: Record<string, string>) => {
      calls.reset();
      const res = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body, headers });
      expect(res.status).toBe(201);
      return Object.fromEntries([...calls.counts].sort());
    };

    // The first snapshot of a framework version in this composition reads it and its criteria (if no earlier test did).
    const first = await measure({});
    const plain = await measure({});
    const keyed = await measure({ 'idempotency-key': 'count-calls' });
    const replay = await measure({ 'idempotency-key': 'count-calls' });

    // Snapshot: framework GetItem and one BatchGetItem the first time only; items and offers Query each time (the framework pins none); then the record.
    expect([{ BatchGetItem: 1, GetItem: 1, PutItem: 1, Query: 2 }, { PutItem: 1, Query: 2 }]).toContainEqual(first);
    expect(plain).toEqual({ PutItem: 1, Query: 2 });
    // Plus the claim lookup, the claim, and the check before the tender item.
    expect(keyed).toEqual({ GetItem: 2, PutItem: 2, Query: 2 });
    // The claim and the check that its tender item exists.
    expect(replay).toEqual({ GetItem: 2 });
  });
});

describe('storage outages', () => {
  it('S3 unavailable during generation: 503 problem, no tender record, no claim', async () => {
    const port = await closedPort();
    const down = await stack.startVariant((config) => ({ ...config, aws: { ...config.aws, s3Endpoint: `http://127.0.0.1:${port}` } }));
    const before = await stack.counts();

    const plain = await fetch(`${down.url}/tenders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.tokens.otherBuyer}`, 'content-type': 'application/json' },
      body: JSON.stringify(example('ville')),
    });
    const keyed = await fetch(`${down.url}/tenders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.tokens.otherBuyer}`, 'content-type': 'application/json', 'idempotency-key': 'during-outage' },
      body: JSON.stringify(example('ville')),
    });

    for (const res of [plain, keyed]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('retry-after')).toBe('5');
      const problem = await res.json();
      expect(problem).toMatchObject({ status: 503, type: 'urn:cahier:problem:service-unavailable' });
      expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    }
    expect(await stack.counts()).toEqual(before);
    expect((await stack.call('GET', '/tenders', { token: stack.tokens.otherBuyer })).json.items).toHaveLength(1); // the one from the test above
    expect(down.logs.filter((l) => l.level === 'error').map((l) => l.status)).toEqual([503, 503]);

    // The retry once S3 is back generates the tender.
    const retry = await stack.call('POST', '/tenders', { token: stack.tokens.otherBuyer, body: example('ville'), headers: { 'idempotency-key': 'during-outage' } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('DynamoDB unavailable: 503 on reads, and the health probe still answers', async () => {
    const port = await closedPort();
    const down = await stack.startVariant((config) => ({ ...config, aws: { ...config.aws, dynamodbEndpoint: `http://127.0.0.1:${port}` } }));

    const frameworks = await fetch(`${down.url}/frameworks`, { headers: { authorization: `Bearer ${stack.tokens.buyer}` } });
    const health = await fetch(`${down.url}/health`);

    expect(frameworks.status).toBe(503);
    expect(health.status).toBe(200);
  });
});

describe('GET /tenders/{id} re-checks the stored request under the rules in force today', () => {
  it('says the findings are unchanged for a tender generated under today’s rules, and writes nothing', async () => {
    const created = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('departement') });
    const before = await stack.counts();
    const view = await stack.call('GET', `/tenders/${created.json.id}`, { token: stack.tokens.buyer });

    expect(view.status).toBe(200);
    expect(view.json.recheck).toMatchObject({ changed: false, added: [], removed: [], blocking: false });
    expect(view.json.recheck.rules).toEqual(created.json.report.rules);
    expect(view.json.recheck.storedRules).toEqual(created.json.report.rules);
    expect(await stack.counts()).toEqual(before);
  });

  it('lists what changed when the stored findings were computed under other rules, leaving the documents as they are', async () => {
    const created = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('commune') });
    const record = await stack.composition.tenders.get(created.json.id);
    const reportKey = record.documents.find((d) => d.name === 'report.json')!.key;
    const pdfKey = record.documents.find((d) => d.name === 'cctp.pdf')!.key;
    const pdfBefore = await stack.composition.documents.get(pdfKey);
    // The report as an older rule set wrote it: one of today's findings missing, one finding today's rules no longer raise, no rule versions.
    const { rules: _rules, ...report } = created.json.report;
    const [kept, ...rest] = report.findings;
    const withdrawn = { code: 'PROCEDURE_ADVERTISING_REQUIRED', severity: 'error', message: 'Publicité obligatoire au-delà de 40 000 € HT.', reference: 'CCP R2122-8' };
    await stack.composition.documents.put(reportKey, Buffer.from(JSON.stringify({ ...report, findings: [...rest, withdrawn] })), 'application/json');

    const view = await stack.call('GET', `/tenders/${created.json.id}`, { token: stack.tokens.buyer });

    expect(view.json.recheck.changed).toBe(true);
    expect(view.json.recheck.added).toEqual([kept]);
    expect(view.json.recheck.removed).toEqual([withdrawn]);
    expect(view.json.recheck.storedRules).toBeUndefined();
    expect(view.json.recheck.rules.lawVersion).toMatch(/^[0-9a-f]{14}$/);
    // The listing says so on the tender's row, in numbers.
    const list = await stack.call('GET', '/tenders?limit=100', { token: stack.tokens.buyer });
    expect(list.json.items.find((t: { id: string }) => t.id === created.json.id).recheck).toEqual({ changed: true, blocking: false, added: 1, removed: 1 });
    expect(Buffer.from(await stack.composition.documents.get(pdfKey)).equals(Buffer.from(pdfBefore))).toBe(true);
    expect((await stack.composition.tenders.get(created.json.id)).documents).toEqual(record.documents);
  });

  it('answers a tender read again, and the list, with the same bytes: the re-check a fresh evaluation gives, kept in memory', async () => {
    const created = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('commune') });
    const first = await stack.call('GET', `/tenders/${created.json.id}`, { token: stack.tokens.buyer });
    const firstList = await stack.call('GET', '/tenders?limit=100', { token: stack.tokens.buyer });

    const again = await stack.call('GET', `/tenders/${created.json.id}`, { token: stack.tokens.buyer });
    const listAgain = await stack.call('GET', '/tenders?limit=100', { token: stack.tokens.buyer });

    expect(again.text).toBe(first.text);
    expect(listAgain.text).toBe(firstList.text);
    const { recheck: fresh } = await recheckTenderReading(await stack.composition.tenders.get(created.json.id), { ...stack.composition, ...defaultPipeline() });
    expect(again.json.recheck).toEqual(JSON.parse(JSON.stringify(fresh)));
  });
});

describe('regenerating an old tender after the criteria changed', () => {
  it('rebuilds byte-identical documents from the record while a new tender uses the new framework version', async () => {
    // A tender on framework version 3 (the examples' version).
    const old = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('commune') });
    expect(old.status).toBe(201);
    const oldPdf = await download(old.json.id, 'cctp.pdf', stack.tokens.buyer);

    // An editor changes a criterion the tender uses and publishes framework version 4 with it.
    const current = await stack.call('GET', '/criteria/tablet.storage.user', { token: stack.tokens.editor });
    const { version: _v, ...draft } = current.json;
    const edited = await stack.call('PUT', '/criteria/tablet.storage.user', {
      token: stack.tokens.editor,
      headers: { 'if-match': current.headers.get('etag')! },
      body: { ...draft, requirement: `${draft.requirement} Le stockage est mesuré après la mise à jour du système d’exploitation.`, reason: 'Préciser quand le stockage est mesuré' },
    });
    const published = await stack.call('POST', '/frameworks/carmo-education/versions', { token: stack.tokens.editor, body: { version: 4, reason: 'Publier la mesure du stockage' } });
    expect(edited.status).toBe(200);
    expect(published.json.criteria).toContainEqual({ id: 'tablet.storage.user', version: 3 });

    // The old tender regenerates identically, over HTTP and through the use case.
    const audit = await stack.call('POST', `/tenders/${old.json.id}/regenerate`, { token: stack.tokens.editor });
    const record = await stack.composition.tenders.get(old.json.id);
    const rebuilt = await regenerateTender(old.json.id, { owner: 'buyer-1', readsAllTenders: false }, { ...stack.composition, ...defaultPipeline() });
    expect(audit.json.identical).toBe(true);
    expect(rebuilt.identical).toBe(true);
    expect(Buffer.from(rebuilt.documents.find((d) => d.name === 'cctp.pdf')!.content).equals(Buffer.from(oldPdf))).toBe(true);
    expect(record.criteria).toContainEqual({ id: 'tablet.storage.user', version: 2 });

    // A new tender on version 4 prints the new requirement.
    const request = example('commune');
    request.framework.version = 4;
    const fresh = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: request });
    expect(fresh.status).toBe(201);
    expect(fresh.json.report.criteria).toContainEqual({ id: 'tablet.storage.user', version: 3 });
    const freshText = await pdfText(await download(fresh.json.id, 'cctp.pdf', stack.tokens.buyer));
    expect(freshText).toContain('mesuré après la mise à jour du système d’exploitation');
    expect(await pdfText(oldPdf)).not.toContain('mesuré après la mise à jour');
  });

  it('stores the record only after both documents exist, pointing to them', async () => {
    const created = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('departement') });
    const item = await stack.aws.document.send(
      new GetCommand({ TableName: stack.config.tableName, Key: { pk: `TENDER#${created.json.id}`, sk: 'META' } }),
    );

    expect(created.status).toBe(201);
    for (const document of item.Item!.data.documents) expect(await stack.composition.documents.exists(document.key)).toBe(true);
  });
});

describe('request schema v2 over HTTP', () => {
  const v2 = () => JSON.parse(readFileSync(new URL('../../examples/commune-tranches-garantie-v2.json', import.meta.url), 'utf8'));

  it('validates, generates and regenerates byte-identically a v2 request stored in DynamoDB', async () => {
    const validated = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: v2() });
    const created = await stack.call('POST', '/tenders?formats=pdf,xlsx,json', { token: stack.tokens.buyer, body: v2() });
    await stack.documentJobs.settled();
    const audit = await stack.call('POST', `/tenders/${created.json.id}/regenerate`, { token: stack.tokens.buyer });

    expect(validated.status).toBe(200);
    // The buyer's estimate, per lot and in total, HT and TTC, as the threshold rules count it.
    const { estimate } = validated.json;
    expect(estimate.lots).toHaveLength(v2().lots.length);
    expect(estimate.total).toBeCloseTo(estimate.lots.reduce((s: number, l: { value: number }) => s + l.value, 0), 2);
    for (const lot of estimate.lots) {
      expect(lot.perPeriod).toBeCloseTo(lot.firm + lot.tranches + lot.options, 2);
      expect(lot.valueTtc).toBeGreaterThan(lot.value);
    }
    expect(estimate.lots[0].tranches).toBeGreaterThan(0);
    expect(estimate.lots[0].options).toBeGreaterThan(0);
    expect(validated.json.findings.filter((f: { code: string }) => f.code === 'PROCEDURE_TIER')).toHaveLength(1);
    expect(created.status).toBe(201);
    expect((await stack.composition.tenders.get(created.json.id)).request).toMatchObject({ schemaVersion: 2, sites: [{ id: 'combes' }, { id: 'bourg' }] });
    expect(audit.json.identical).toBe(true);
  });

  it('answers 422 with the field path and reason for a line on an unknown site, and writes nothing', async () => {
    const body = v2();
    body.lots[0].items[0].sites = { ailleurs: 16 };
    const before = await stack.counts();

    const response = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body });

    expectProblemShape(response, 422);
    expect(response.json.errors).toContainEqual({ path: 'lots.0.items.0.sites.ailleurs', message: 'unknown site "ailleurs"' });
    expect(await stack.counts()).toEqual(before);
  });

  it('answers 422 with the field path for an advance to SMEs below the State’s minimum in force, and writes nothing', async () => {
    const body = v2();
    body.buyer.type = 'central-state';
    body.administrative = { ...body.administrative, advance: { smeRatePercent: 20 } };
    const before = await stack.counts();

    const response = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body });

    expectProblemShape(response, 422);
    expect(response.json.errors.map((e: { path: string }) => e.path)).toEqual(['administrative.advance.smeRatePercent']);
    expect(response.json.errors[0].message).toContain('30 %');
    expect(await stack.counts()).toEqual(before);
  });
});
