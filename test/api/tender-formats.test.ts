import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { example, v2Example } from '../support/pipeline.ts';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

/**
 * `POST /tenders?formats=`: every requested document stored, listed, downloadable and audited.
 * A generation with an Office format answers with its files pending; the documents function's job
 * (in-process here, as in `npm start`) renders and stores them, then the tender lists them ready.
 */
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

const ALL = 'pdf,docx,xlsx,json,rc';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EXPECTED = [
  { name: 'cctp.pdf', mediaType: 'application/pdf' },
  { name: 'rc.pdf', mediaType: 'application/pdf' },
  { name: 'rc.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { name: 'cctp.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { name: 'cadre-de-reponse.xlsx', mediaType: XLSX },
  { name: 'bordereau-des-prix.xlsx', mediaType: XLSX },
  { name: 'tender.ocds.json', mediaType: 'application/json' },
  { name: 'report.json', mediaType: 'application/json' },
];

async function download(tenderId: string, name: string): Promise<Uint8Array> {
  const redirect = await stack.call('GET', `/tenders/${tenderId}/documents/${name}`, { token: stack.tokens.buyer });
  expect(redirect.status, name).toBe(302);
  const response = await fetch(redirect.headers.get('location')!);
  expect(response.status, name).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

describe('POST /tenders?formats=', () => {
  it('stores every requested document under the tender, lists it with its media type and serves it', async () => {
    const body = { ...example('commune'), title: 'Tous les formats' };
    const before = await stack.counts();

    const created = await stack.call('POST', `/tenders?formats=${ALL}`, { token: stack.tokens.buyer, body });

    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    expect(created.headers.get('location')).toBe(`/tenders/${id}`);
    expect(created.json.rendering).toEqual({ status: 'pending', statusHref: `/tenders/${id}` });
    expect(created.json.report).toBeUndefined();
    expect(created.json.documents.map((d: { name: string; mediaType: string; status: string; url?: string }) => ({ name: d.name, mediaType: d.mediaType, status: d.status, url: d.url }))).toEqual(
      EXPECTED.map((d) => ({ ...d, status: 'pending', url: undefined })),
    );
    await stack.documentJobs.settled();
    expect(await stack.counts()).toEqual({ items: before.items + 1, objects: before.objects + EXPECTED.length });
    const view = await stack.call('GET', `/tenders/${id}`, { token: stack.tokens.buyer });
    expect(view.status).toBe(200);
    expect(view.json.formats).toEqual(['pdf', 'rc', 'docx', 'xlsx', 'json']);
    expect(view.json.rendering).toMatchObject({ status: 'ready', statusHref: `/tenders/${id}` });
    expect(view.json.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(view.json.documents.map((d: { name: string; mediaType: string; status: string }) => ({ name: d.name, mediaType: d.mediaType, status: d.status }))).toEqual(
      EXPECTED.map((d) => ({ ...d, status: 'ready' })),
    );

    const files = Object.fromEntries(await Promise.all(EXPECTED.map(async ({ name }) => [name, await download(id, name)] as const)));
    for (const d of view.json.documents as Array<{ name: string; bytes: number }>) expect(files[d.name]!.byteLength, d.name).toBe(d.bytes);
    const head = (name: string, n: number) => Buffer.from(files[name]!.subarray(0, n)).toString('latin1');
    expect(head('cctp.pdf', 5)).toBe('%PDF-');
    expect(head('rc.pdf', 5)).toBe('%PDF-');
    for (const name of ['cctp.docx', 'cadre-de-reponse.xlsx', 'bordereau-des-prix.xlsx']) expect(head(name, 2), name).toBe('PK');
    const ocds = JSON.parse(Buffer.from(files['tender.ocds.json']!).toString('utf8'));
    expect(ocds).toBeTypeOf('object');
    expect(JSON.parse(Buffer.from(files['report.json']!).toString('utf8')).documents).toHaveLength(EXPECTED.length - 1);

    const json = await stack.call('GET', `/tenders/${id}/documents/cctp.docx`, { token: stack.tokens.buyer, headers: { accept: 'application/json' } });
    expect(json.status).toBe(200);
    expect(json.json.name).toBe('cctp.docx');
    const absent = await stack.call('GET', `/tenders/${id}/documents/cctp.odt`, { token: stack.tokens.buyer });
    expectProblemShape(absent, 404);
  }, 60_000);

  it('stores the DCE zip and its manifest under the tender, serves the zip by a presigned URL, and keeps the note interne out of it', async () => {
    // Prepare
    const body = { ...v2Example('departement'), title: 'Dossier de consultation complet' };
    const before = await stack.counts();

    // Act
    const created = await stack.call('POST', '/tenders?formats=dce,note', { token: stack.tokens.buyer, body });

    // Assess
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const names = ['note-interne.pdf', 'dce.zip', 'dce-manifest.json', 'report.json'];
    expect(created.json.documents.map((d: { name: string; mediaType: string }) => [d.name, d.mediaType])).toEqual([
      ['note-interne.pdf', 'application/pdf'],
      ['dce.zip', 'application/zip'],
      ['dce-manifest.json', 'application/json'],
      ['report.json', 'application/json'],
    ]);
    // The zip holds Word and Excel pieces: the documents function renders the whole generation.
    expect(created.json.rendering.status).toBe('pending');
    await stack.documentJobs.settled();
    expect((await stack.call('GET', `/tenders/${id}`, { token: stack.tokens.buyer })).json.rendering.status).toBe('ready');
    const zip = await download(id, 'dce.zip');
    const files = unzipSync(zip);
    const manifest = JSON.parse(Buffer.from(await download(id, 'dce-manifest.json')).toString('utf8'));
    // Every file, and each piece of the zip stored apart beside it (tenders/<id>/dce/<name>) for GET /tenders/{id}/dce.
    const pieces = (manifest.files as Array<{ name: string }>).map((f) => `dce/${f.name}`);
    expect(await stack.counts()).toEqual({ items: before.items + 1, objects: before.objects + names.length + pieces.length });
    const stored = await stack.aws.s3.send(new ListObjectsV2Command({ Bucket: stack.aws.bucket }));
    const keys = (stored.Contents ?? []).map((o) => o.Key!).filter((k) => k.includes(id));
    expect(keys.sort(), 'every file stored under the tender').toEqual([...names, ...pieces].map((name) => `tenders/${id}/${name}`).sort());
    expect(Buffer.from(files['manifest.json']!).toString('utf8')).toBe(JSON.stringify(manifest, null, 2) + '\n');
    expect(Object.keys(files).sort()).toEqual([...manifest.files.map((f: { name: string }) => f.name), 'manifest.json'].sort());
    for (const f of manifest.files as Array<{ name: string; sha256: string; size: number }>) {
      expect(files[f.name]!.byteLength, f.name).toBe(f.size);
      expect(createHash('sha256').update(files[f.name]!).digest('hex'), f.name).toBe(f.sha256);
    }
    expect(Object.keys(files).some((n) => /note/i.test(n))).toBe(false);
    const note = await download(id, 'note-interne.pdf');
    const noteHash = createHash('sha256').update(note).digest('hex');
    expect(manifest.files.some((f: { sha256: string }) => f.sha256 === noteHash)).toBe(false);
    // The stored tender's release: its ocid is built on the tender's id, in the zip as in every PDF.
    const ocds = JSON.parse(Buffer.from(files['08_Donnees_OCDS.json']!).toString('utf8'));
    expect(ocds.releases[0].ocid).toMatch(new RegExp(`-${id}$`));

    const audit = await stack.call('POST', `/tenders/${id}/regenerate`, { token: stack.tokens.buyer });
    expect(audit.status).toBe(200);
    expect(audit.json.identical, 'the zip regenerates byte for byte').toBe(true);
  }, 120_000);

  it('refuses an unknown or empty format with a 422 on `formats`, writing nothing', async () => {
    const before = await stack.counts();

    for (const query of ['pdf,odt', '', 'pdf,']) {
      const res = await stack.call('POST', `/tenders?formats=${query}`, { token: stack.tokens.buyer, body: example('commune') });

      expectProblemShape(res, 422);
      expect(res.json.errors, query).toEqual([expect.objectContaining({ path: 'formats' })]);
    }
    expect(await stack.counts()).toEqual(before);
  });

  it('makes the formats part of the idempotency identity: same formats replay and write nothing, other formats are a key reuse', async () => {
    const body = { ...example('commune'), title: 'Formats et idempotence' };
    const headers = { 'idempotency-key': 'formats-1' };

    const first = await stack.call('POST', '/tenders?formats=docx,pdf', { token: stack.tokens.buyer, body, headers });
    await stack.documentJobs.settled();
    const afterFirst = await stack.counts();
    const retry = await stack.call('POST', '/tenders?formats=pdf,docx,pdf', { token: stack.tokens.buyer, body, headers });
    const pdfOnly = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body, headers });
    const more = await stack.call('POST', '/tenders?formats=pdf,docx,json', { token: stack.tokens.buyer, body, headers });

    expect(first.status, first.text).toBe(201);
    expect(first.json.documents.map((d: { name: string }) => d.name)).toEqual(['cctp.pdf', 'cctp.docx', 'report.json']);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.id).toBe(first.json.id);
    // The replay reads the tender as it is now: rendered since the first answer.
    expect(retry.json.rendering.status).toBe('ready');
    expect(retry.json.documents.every((d: { url?: string }) => d.url !== undefined)).toBe(true);
    for (const reused of [pdfOnly, more]) {
      expectProblemShape(reused, 422);
      expect(reused.json.type).toBe('urn:cahier:problem:idempotency-key-reused');
    }
    expect(await stack.counts()).toEqual(afterFirst);
  });

  it('regenerates a multi-format tender identically, comparing every document', async () => {
    const created = await stack.call('POST', `/tenders?formats=${ALL}`, { token: stack.tokens.buyer, body: { ...example('commune'), title: 'Audit multi-format' } });
    expect(created.status).toBe(201);
    await stack.documentJobs.settled();

    const audit = await stack.call('POST', `/tenders/${created.json.id}/regenerate`, { token: stack.tokens.buyer });

    expect(audit.status).toBe(200);
    expect(audit.json.documents.map((d: { name: string }) => d.name)).toEqual(EXPECTED.map((d) => d.name));
    expect(audit.json.documents.every((d: { identical: boolean }) => d.identical)).toBe(true);
    expect(audit.json.identical).toBe(true);
  }, 60_000);

  it('generates the CCTP and the note interne by default, recorded as such', async () => {
    const created = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: { ...example('commune'), title: 'Par défaut' } });
    const view = await stack.call('GET', `/tenders/${created.json.id}`, { token: stack.tokens.buyer });

    expect(view.json.formats).toEqual(['pdf', 'note']);
    expect(view.json.documents.map((d: { name: string }) => d.name)).toEqual(['cctp.pdf', 'note-interne.pdf', 'report.json']);
  });
});
