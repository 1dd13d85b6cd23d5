import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';
import { pdfText } from '../support/pdf-text.ts';
import { productWorkbook } from '../support/product-workbook.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sample = readFileSync(new URL('../../examples/catalogue/catalogue-centrale.csv', import.meta.url), 'utf8');
const expected = JSON.parse(readFileSync(new URL('../../examples/catalogue/catalogue-centrale.expected.json', import.meta.url), 'utf8')) as Record<string, string>;

let stack: ApiStack;
let otherManager: string;

beforeAll(async () => {
  stack = await startApiStack();
  otherManager = await stack.issuer.sign({ sub: 'catalogue-manager-2', groups: ['catalogue-managers'] });
});
afterAll(async () => {
  await stack?.stop();
});

const upload = (body: string | Buffer, options: { token?: string; query?: string; type?: string } = {}) =>
  stack.call('POST', `/catalogues?${options.query ?? 'framework=carmo-education&version=2&name=Centrale%20%E2%80%94%20tablettes'}`, {
    token: options.token ?? stack.tokens.catalogueManager,
    body,
    headers: { 'content-type': options.type ?? 'text/csv' },
  });

/** The keys under catalogues/ and the stored-catalogue items: what a refusal must leave as it was. */
async function stored(): Promise<{ objects: string[]; records: string[] }> {
  const list = await stack.composition.clients.s3.send(new ListObjectsV2Command({ Bucket: stack.aws.bucket, Prefix: 'catalogues/' }));
  const scan = await stack.composition.clients.document.send(new ScanCommand({ TableName: stack.config.tableName, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': 'CATREPORT#' } }));
  return { objects: (list.Contents ?? []).map((o) => o.Key!).sort(), records: (scan.Items ?? []).map((i) => String(i.pk)).sort() };
}

async function download(id: string, format: string, token = stack.tokens.catalogueManager): Promise<Uint8Array> {
  const link = await stack.call('GET', `/catalogues/${id}/report/${format}`, { token, headers: { accept: 'application/json' } });
  expect(link.status, link.text).toBe(200);
  return new Uint8Array(await (await fetch(link.json.url)).arrayBuffer());
}

describe('POST /catalogues', () => {
  it('checks the file, stores it under its SHA-256 with the four reports, and records the catalogue last', async () => {
    const before = await stack.counts();
    const res = await upload(sample);
    expect(res.status, res.text).toBe(201);
    const id = res.json.id as string;
    expect(res.headers.get('location')).toBe(`/catalogues/${id}`);
    const verdicts = Object.values(expected);
    expect(res.json).toMatchObject({
      owner: 'catalogue-manager-1',
      name: 'Centrale — tablettes',
      framework: { id: 'carmo-education', version: 2 },
      file: { sha256: createHash('sha256').update(sample).digest('hex'), bytes: Buffer.byteLength(sample), format: 'csv' },
      totals: { total: verdicts.length, conform: verdicts.filter((v) => v === 'conform').length },
    });
    expect(res.json.reports.map((r: { format: string; href: string }) => `${r.format} ${r.href}`)).toEqual(['json', 'csv', 'xlsx', 'pdf'].map((f) => `${f} /catalogues/${id}/report/${f}`));
    expect(await stack.counts()).toEqual({ items: before.items + 1, objects: before.objects + 5 });

    const got = await stack.call('GET', `/catalogues/${id}`, { token: stack.tokens.catalogueManager });
    expect(got.json).toEqual(res.json);
    // The stored JSON report is the check's report: same verdicts as POST /catalogues/check.
    const report = JSON.parse(Buffer.from(await download(id, 'json')).toString('utf8'));
    expect(Object.fromEntries(report.products.map((p: { reference: string; verdict: string }) => [p.reference, p.verdict]))).toEqual(expected);
    const check = await stack.call('POST', '/catalogues/check?framework=carmo-education&version=2', { token: stack.tokens.catalogueManager, body: sample, headers: { 'content-type': 'text/csv' } });
    expect(report).toEqual(check.json);
    const inline = await stack.call('GET', `/catalogues/${id}/report`, { token: stack.tokens.editor });
    expect(inline.json).toEqual(report);
    expect(Buffer.from((await download(id, 'xlsx')).subarray(0, 2)).toString('latin1')).toBe('PK');
    expect(Buffer.from(await download(id, 'csv')).toString('utf8').split('\r\n')[0]).toMatch(/^\ufeff?référence;fournisseur;/);
    expect(await pdfText(await download(id, 'pdf'))).toContain('carmo-education');
    // The redirect form, for a link the browser follows.
    const redirect = await stack.call('GET', `/catalogues/${id}/report/pdf`, { token: stack.tokens.catalogueManager });
    expect(redirect.status).toBe(302);
    expectProblemShape(await stack.call('GET', `/catalogues/${id}/report/docx`, { token: stack.tokens.catalogueManager }), 404);
  });

  it('stores the same bytes once: a second upload of the file adds its reports and its record, not another copy of the file', async () => {
    const body = 'reference;fournisseur;marque;modele;article;tablet.storage.user (Go)\nT-1;F;M;X;tablet;64\n';
    const first = await upload(body);
    expect(first.status, first.text).toBe(201);
    const before = await stack.counts();
    const second = await upload(body);
    expect(second.status).toBe(201);
    expect(second.json.file.sha256).toBe(first.json.file.sha256);
    expect(second.json.id).not.toBe(first.json.id);
    expect(await stack.counts()).toEqual({ items: before.items + 1, objects: before.objects + 4 });
  });

  it('accepts an .xlsx product sheet and the latest framework version when none is named', async () => {
    const csv = 'reference;fournisseur;marque;modele;article;tablet.storage.user (Go)\nT-2;F;M;X;tablet;128\n';
    const res = await upload(Buffer.from(await productWorkbook(csv)), { type: XLSX, query: 'framework=carmo-education&name=Classeur' });
    expect(res.status, res.text).toBe(201);
    expect(res.json.file.format).toBe('xlsx');
    const latest = await stack.call('GET', '/frameworks/carmo-education', { token: stack.tokens.catalogueManager });
    expect(res.json.framework.version).toBe(latest.json.version);
  });

  it('stores nothing, no object and no item, when it refuses a file: malformed rows, too large, unknown framework, no name, a buyer', async () => {
    const before = await stored();
    const counts = await stack.counts();
    const bad = await upload('reference;fournisseur;marque;modele;article;tablet.storage.user\nA;F;M;X;tablet;64 h\n');
    expectProblemShape(bad, 422);
    expect(bad.json.errors).toEqual([{ path: 'rows.2.tablet.storage.user', message: 'unit « h » does not convert to Go (expected Mo, Go, To)' }]);
    expectProblemShape(await upload(`${sample}${'x'.repeat(300 * 1024)}`), 413);
    const unknown = await upload(sample, { query: 'framework=nothing&name=x' });
    expectProblemShape(unknown, 422);
    expect(unknown.json.errors).toEqual([{ path: 'framework', message: 'unknown framework nothing' }]);
    const version = await upload(sample, { query: 'framework=carmo-education&version=99&name=x' });
    expect(version.json.errors).toEqual([{ path: 'framework', message: 'unknown framework carmo-education version 99' }]);
    const unnamed = await upload(sample, { query: 'framework=carmo-education' });
    expect(unnamed.json.errors.map((e: { path: string }) => e.path)).toEqual(['name']);
    expectProblemShape(await upload(sample, { token: stack.tokens.buyer }), 403);
    expect(await stored()).toEqual(before);
    expect(await stack.counts()).toEqual(counts);
  });
});

describe('GET and DELETE /catalogues', () => {
  it('lists a manager’s own catalogues, every one for an editor, paged newest first; another manager reaches none of them (404)', async () => {
    const mine = await upload(sample, { query: 'framework=carmo-education&version=2&name=Mine' });
    const theirs = await upload(sample, { token: otherManager, query: 'framework=carmo-education&version=2&name=Theirs' });
    const ownList = await stack.call('GET', '/catalogues?limit=100', { token: stack.tokens.catalogueManager });
    expect(ownList.json.items.every((c: { owner: string }) => c.owner === 'catalogue-manager-1')).toBe(true);
    expect(ownList.json.items[0].id).toBe(mine.json.id);
    const otherList = await stack.call('GET', '/catalogues', { token: otherManager });
    expect(otherList.json.items.map((c: { id: string }) => c.id)).toEqual([theirs.json.id]);
    const all = await stack.call('GET', '/catalogues?limit=100', { token: stack.tokens.editor });
    expect(all.json.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([mine.json.id, theirs.json.id]));
    expect(all.json.items.map((c: { createdAt: string }) => c.createdAt)).toEqual([...all.json.items.map((c: { createdAt: string }) => c.createdAt)].sort().reverse());
    const firstPage = await stack.call('GET', '/catalogues?limit=1', { token: stack.tokens.editor });
    const secondPage = await stack.call('GET', `/catalogues?limit=1&cursor=${firstPage.json.cursor}`, { token: stack.tokens.editor });
    expect([...firstPage.json.items, ...secondPage.json.items].map((c: { id: string }) => c.id)).toEqual(all.json.items.slice(0, 2).map((c: { id: string }) => c.id));
    expectProblemShape(await stack.call('GET', `/catalogues?cursor=${firstPage.json.cursor}`, { token: otherManager }), 422);

    for (const [method, path] of [['GET', ''], ['GET', '/report'], ['GET', '/report/json'], ['DELETE', '']] as const) {
      expectProblemShape(await stack.call(method, `/catalogues/${theirs.json.id}${path}`, { token: stack.tokens.catalogueManager }), 404);
    }
    expect((await stack.call('GET', `/catalogues/${theirs.json.id}`, { token: stack.tokens.editor })).status).toBe(200);
  });

  it('deletes the record, then its reports; the uploaded file stays; an editor may delete any', async () => {
    const created = await upload(sample, { query: 'framework=carmo-education&version=2&name=To%20delete' });
    const id = created.json.id as string;
    const before = await stored();
    expect(before.objects.filter((k) => k.startsWith(`catalogues/reports/${id}/`))).toHaveLength(4);
    const res = await stack.call('DELETE', `/catalogues/${id}`, { token: stack.tokens.catalogueManager });
    expect(res.status).toBe(204);
    const after = await stored();
    expect(after.records).not.toContain(`CATREPORT#${id}`);
    expect(after.objects.filter((k) => k.startsWith(`catalogues/reports/${id}/`))).toEqual([]);
    expect(after.objects).toContain(`catalogues/files/${created.json.file.sha256}.csv`);
    expectProblemShape(await stack.call('GET', `/catalogues/${id}`, { token: stack.tokens.catalogueManager }), 404);
    expectProblemShape(await stack.call('DELETE', `/catalogues/${id}`, { token: stack.tokens.catalogueManager }), 404);

    const theirs = await upload(sample, { token: otherManager, query: 'framework=carmo-education&version=2&name=Theirs' });
    expect((await stack.call('DELETE', `/catalogues/${theirs.json.id}`, { token: stack.tokens.editor })).status).toBe(204);
  });
});

describe('GET /frameworks/{id}/templates/{article}', () => {
  it('answers the product sheet of an item as a workbook, for a catalogue manager or an editor, not a buyer', async () => {
    const res = await fetch(`${stack.url}/frameworks/carmo-education/templates/tablet`, { headers: { authorization: `Bearer ${stack.tokens.catalogueManager}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="modele-tablet.xlsx"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 2)).toString('latin1')).toBe('PK');
    // HEAD answers the GET's length, the decoded workbook's, not its base64 form's.
    const head = await fetch(`${stack.url}/frameworks/carmo-education/templates/tablet`, { method: 'HEAD', headers: { authorization: `Bearer ${stack.tokens.catalogueManager}` } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(bytes.byteLength);
    const v2 = await fetch(`${stack.url}/frameworks/carmo-education/templates/tablet?version=2`, { headers: { authorization: `Bearer ${stack.tokens.editor}` } });
    expect(v2.status).toBe(200);
    expectProblemShape(await stack.call('GET', '/frameworks/carmo-education/templates/nothing', { token: stack.tokens.catalogueManager }), 404);
    expectProblemShape(await stack.call('GET', '/frameworks/nothing/templates/tablet', { token: stack.tokens.catalogueManager }), 404);
    expectProblemShape(await stack.call('GET', '/frameworks/carmo-education/templates/tablet?version=99', { token: stack.tokens.catalogueManager }), 404);
    expectProblemShape(await stack.call('GET', '/frameworks/carmo-education/templates/tablet', { token: stack.tokens.buyer }), 403);
  });
});
