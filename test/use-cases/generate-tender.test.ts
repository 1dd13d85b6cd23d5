/**
 * generateTender and its reads (getTender, listTenderSummaries, tenderDocumentLink) on fakes: what is
 * stored, recorded and listed, idempotency, and that a failure changes nothing a caller can see.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateTender, getTender, keyedTenderId, listTenderSummaries, tenderDocumentLink, REPORT_DOCUMENT } from '#src/app/generate-tender.ts';
import { findOrphanDocuments } from '#src/app/find-orphans.ts';
import { tenderSummary } from '#src/app/tender-record.ts';
import { IdempotencyKeyReusedError } from '#src/app/errors.ts';
import type { OutputAdapter } from '#src/app/ports/outputs.ts';
import { FORMATS } from '#src/adapters/render/formats.ts';
import { NotFoundError, RulesBlockedError, ValidationError } from '#src/core/model/errors.ts';
import { frenchApostrophes } from '#src/core/model/typography.ts';
import { allTenders, example, fakeOutputs, fakeWorld, storedObjects, type World } from './world.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const buyer = { owner: 'buyer-1', readsAllTenders: false };

let world: World;
beforeEach(async () => {
  world = await fakeWorld();
});

/** What a caller can observe of the stores: every object and every tender of buyer-1 and buyer-2. */
async function observable(): Promise<unknown> {
  return { objects: (await storedObjects(world)).map((o) => o.key), tenders: [await allTenders(world, 'buyer-1'), await allTenders(world, 'buyer-2')] };
}

describe('generateTender', () => {
  it('stores each requested document and report.json under the tender, records them with their hashes, and lists the tender', async () => {
    const outcome = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['xlsx', 'pdf'] }, world);

    const { record } = outcome;
    expect(outcome.created).toBe(true);
    expect(record.id).toBe('tender-00000001');
    expect(record.createdAt).toBe('2026-05-04T09:00:00.000Z');
    expect(record.formats).toEqual(['pdf', 'xlsx']);
    expect(record.documents.map((d) => d.name)).toEqual(['cctp.pdf', 'cadre-de-reponse.xlsx', 'bordereau-des-prix.xlsx', REPORT_DOCUMENT]);
    expect(world.rendered).toEqual(['cctp.pdf', 'cadre-de-reponse.xlsx', 'bordereau-des-prix.xlsx']);
    for (const document of record.documents) {
      const bytes = await world.documents.get(document.key);
      expect(document.key).toBe(`tenders/${record.id}/${document.name}`);
      expect(document.sha256).toBe(sha256(bytes));
      expect(document.bytes).toBe(bytes.byteLength);
      expect(world.documents.describe(document.key)?.contentType).toBe(document.mediaType);
    }
    expect((await storedObjects(world)).map((o) => o.key)).toEqual(record.documents.map((d) => d.key).sort());

    const report = JSON.parse(Buffer.from(await world.documents.get(`tenders/${record.id}/${REPORT_DOCUMENT}`)).toString('utf8'));
    expect(report).toEqual(outcome.report);
    expect(report.documents.map((d: { name: string }) => d.name)).toEqual(['bordereau-des-prix.xlsx', 'cadre-de-reponse.xlsx', 'cctp.pdf']);
    expect(record.contentHash).toBe(report.contentHash);
    expect(record.criteria).toEqual(report.criteria);

    expect(await getTender(record.id, buyer, world)).toEqual(record);
    expect((await listTenderSummaries(buyer, {}, world)).items).toEqual([tenderSummary(record)]);
    expect(outcome.links.map((l) => [l.name, l.expiresAt])).toEqual(record.documents.map((d) => [d.name, '2026-05-04T09:05:00.000Z']));
    expect(outcome.links[0]!.url).toMatch(/^memory:documents\/tenders\/tender-00000001\/cctp\.pdf\?expires=300&/);
  });

  it('generates the PDF and the note interne by default, and every format in registry order when all are asked for in any order', async () => {
    const byDefault = await generateTender({ request: example('commune'), owner: 'buyer-1' }, world);
    const all = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['dce', 'dpa', 'ae', 'ccap', 'note', 'json', 'xlsx', 'docx', 'rc', 'pdf', 'pdf'] }, world);

    expect(byDefault.record.documents.map((d) => d.name)).toEqual(['cctp.pdf', 'note-interne.pdf', REPORT_DOCUMENT]);
    expect(byDefault.record.formats).toEqual(['pdf', 'note']);
    expect(all.record.formats).toEqual(FORMATS.map((f) => f.name));
    expect(all.record.documents.map((d) => d.name)).toEqual([
      'cctp.pdf',
      'rc.pdf',
      'rc.docx',
      'cctp.docx',
      'cadre-de-reponse.xlsx',
      'bordereau-des-prix.xlsx',
      'tender.ocds.json',
      'note-interne.pdf',
      'ccap.pdf',
      'ccap.docx',
      'acte-engagement.pdf',
      'acte-engagement.docx',
      'annexe-rgpd.pdf',
      'annexe-rgpd.docx',
      'dce.zip',
      'dce-manifest.json',
      REPORT_DOCUMENT,
    ]);
    // Same request, same pinned criteria: the shared files are byte-identical across the two tenders.
    expect(all.record.documents[0]!.sha256).toBe(byDefault.record.documents[0]!.sha256);
    expect((await listTenderSummaries(buyer, {}, world)).items.map((t) => t.id)).toEqual([all.record.id, byDefault.record.id].sort().reverse());
  });

  it('answers a retry under the same key with the first tender, rendering and writing nothing', async () => {
    const first = await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'commande-42' }, world);
    const before = await observable();
    world.rendered.length = 0;
    world.clock.advance(60_000);

    // The same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(example('commune')).reverse());
    const retry = await generateTender({ request: reordered, owner: 'buyer-1', idempotencyKey: 'commande-42' }, world);

    expect(retry.created).toBe(false);
    expect(retry.record).toEqual(first.record);
    expect(retry.report).toEqual(first.report);
    expect(retry.links.map((l) => l.expiresAt)).toEqual(first.links.map(() => '2026-05-04T09:06:00.000Z'));
    expect(world.rendered).toEqual([]);
    expect(await observable()).toEqual(before);
    expect(first.record.id).toBe(keyedTenderId('buyer-1', 'commande-42', first.record.requestHash));
  });

  it('refuses the same key with another request or other formats, and writes nothing', async () => {
    const first = await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'commande-42' }, world);
    const before = await observable();
    const changed = example('commune');
    changed.title = `${changed.title} (bis)`;

    const error = await generateTender({ request: changed, owner: 'buyer-1', idempotencyKey: 'commande-42' }, world).catch((e: unknown) => e);
    const formats = await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'commande-42', formats: ['pdf', 'docx'] }, world).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
    expect(error).toMatchObject({ tenderId: first.record.id });
    expect(formats).toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await observable()).toEqual(before);
  });

  it('scopes keys by owner: the same key and body from two buyers makes two tenders', async () => {
    const one = await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k' }, world);
    const two = await generateTender({ request: example('commune'), owner: 'buyer-2', idempotencyKey: 'k' }, world);

    expect(two.created).toBe(true);
    expect(two.record.id).not.toBe(one.record.id);
    expect(await allTenders(world, 'buyer-1')).toEqual([one.record.id]);
    expect(await allTenders(world, 'buyer-2')).toEqual([two.record.id]);
  });

  it('records one tender when five retries race under one key, leaving no orphan', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'race', formats: ['pdf', 'json'] }, world)),
    );

    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    for (const outcome of outcomes) expect(outcome.record).toEqual(outcomes[0]!.record);
    expect(await allTenders(world, 'buyer-1')).toEqual([outcomes[0]!.record.id]);
    expect((await storedObjects(world)).map((o) => o.key)).toEqual(outcomes[0]!.record.documents.map((d) => d.key).sort());
    expect(await findOrphanDocuments(world, { olderThan: new Date('2027-01-01') })).toEqual([]);
  });

  it('writes nothing for an invalid request, unknown formats, a bad owner or key, an unknown framework or a blocking rule', async () => {
    const invalid = example('commune');
    delete invalid.buyer;
    const unknownFramework = example('commune');
    unknownFramework.framework.version = 9;
    const blocked = example('commune');
    blocked.awardCriteria[0].weight += 7;

    const attempts: Array<[string, Parameters<typeof generateTender>[0], (error: unknown) => void]> = [
      ['invalid', { request: invalid, owner: 'buyer-1' }, (e) => expect(e).toMatchObject({ name: 'ValidationError', issues: [{ path: 'buyer' }] })],
      ['formats', { request: example('commune'), owner: 'buyer-1', formats: ['pdf', 'odt'] }, (e) => expect(e).toMatchObject({ issues: [{ path: 'formats' }] })],
      ['no formats', { request: example('commune'), owner: 'buyer-1', formats: [] }, (e) => expect(e).toMatchObject({ issues: [{ path: 'formats' }] })],
      ['owner', { request: example('commune'), owner: 'with space' }, (e) => expect(e).toMatchObject({ issues: [{ path: 'owner' }] })],
      ['key', { request: example('commune'), owner: 'buyer-1', idempotencyKey: 'é' }, (e) => expect(e).toMatchObject({ issues: [{ path: 'idempotencyKey' }] })],
      ['framework', { request: unknownFramework, owner: 'buyer-1' }, (e) => expect(e).toMatchObject({ name: 'ValidationError', issues: [{ path: 'framework' }] })],
      ['blocked', { request: blocked, owner: 'buyer-1' }, (e) => expect((e as RulesBlockedError).findings.map((f) => f.code)).toContain('AWARD_WEIGHTS_SUM')],
    ];
    for (const [what, command, check] of attempts) {
      const error = await generateTender(command, world).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(what === 'blocked' ? RulesBlockedError : ValidationError);
      check(error);
    }

    expect(world.rendered).toEqual([]);
    expect(await observable()).toEqual({ objects: [], tenders: [[], []] });
  });

  it('records no tender when a document cannot be stored, and a retry with the key then succeeds', async () => {
    world.documents.faults.failNext('put', new Error('S3 unavailable'));

    await expect(generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k', formats: ['pdf', 'docx'] }, world)).rejects.toThrow('S3 unavailable');
    expect(await allTenders(world, 'buyer-1')).toEqual([]);

    const retry = await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k', formats: ['pdf', 'docx'] }, world);
    expect(retry.created).toBe(true);
    for (const document of retry.record.documents) expect(await world.documents.exists(document.key)).toBe(true);
  });

  it('completes a tender whose record a crash left half-written, on the retry, without storing anything twice', async () => {
    world.tenders.faults.failNext('tender', new Error('crash after the claim'));
    await expect(generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k' }, world)).rejects.toThrow('crash after the claim');
    expect(await allTenders(world, 'buyer-1')).toEqual([]);
    const stored = await storedObjects(world);
    world.rendered.length = 0;

    const retry = await generateTender({ request: example('commune'), owner: 'buyer-1', idempotencyKey: 'k' }, world);

    expect(retry.created).toBe(false);
    expect(world.rendered).toEqual([]);
    expect(await allTenders(world, 'buyer-1')).toEqual([retry.record.id]);
    expect(await storedObjects(world)).toEqual(stored);
  });
});

describe('reading tenders', () => {
  it("shows a buyer only their own tenders, an editor everyone's, and a document link only for a recorded file", async () => {
    const { record } = await generateTender({ request: example('commune'), owner: 'buyer-1' }, world);
    const other = { owner: 'buyer-2', readsAllTenders: false };

    await expect(getTender(record.id, other, world)).rejects.toBeInstanceOf(NotFoundError);
    await expect(tenderDocumentLink(record.id, 'cctp.pdf', other, world)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listTenderSummaries(other, {}, world)).toEqual({ items: [] });
    expect(await getTender(record.id, { owner: 'editor', readsAllTenders: true }, world)).toEqual(record);
    await expect(getTender('tender-99999999', buyer, world)).rejects.toBeInstanceOf(NotFoundError);

    const link = await tenderDocumentLink(record.id, 'cctp.pdf', buyer, world);
    expect(link).toMatchObject({ name: 'cctp.pdf', key: `tenders/${record.id}/cctp.pdf`, expiresAt: '2026-05-04T09:05:00.000Z' });
    expect(decodeURIComponent(link.url)).toContain('filename="cctp.pdf"');
    await expect(tenderDocumentLink(record.id, 'cctp.docx', buyer, world)).rejects.toMatchObject({ name: 'NotFoundError', resource: 'document' });
  });

  it('lists a buyer’s tenders newest first, page by page', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await generateTender({ request: example('commune'), owner: 'buyer-1' }, world)).record.id);
      world.clock.advance(1_000);
    }

    const first = await listTenderSummaries(buyer, { limit: 2 }, world);
    const second = await listTenderSummaries(buyer, { limit: 2, cursor: first.cursor! }, world);
    const third = await listTenderSummaries(buyer, { limit: 2, cursor: second.cursor! }, world);

    expect([...first.items, ...second.items, ...third.items].map((t) => t.id)).toEqual(ids.reverse());
    expect(third.cursor).toBeUndefined();
  });
});

describe('a new renderer', () => {
  it('is an adapter registered with the others: its output is stored, recorded, reported and linked, and the use case is unchanged', async () => {
    const memo: OutputAdapter = {
      format: 'memo',
      fileName: 'note-interne.txt',
      mediaType: 'text/plain; charset=utf-8',
      audience: 'buyer',
      title: 'La note interne',
      render: async (input) => Buffer.from(`Note interne : ${input.tender.request.title}, ${input.tender.lots.length} lot(s)\n`, 'utf8'),
    };
    const outputs = fakeOutputs({ extra: [memo], formats: [...FORMATS, { name: 'memo', label: 'Note interne (texte)' }] });
    world = await fakeWorld({ outputs });

    const outcome = await generateTender({ request: example('commune'), owner: 'buyer-1', formats: ['memo', 'pdf'] }, world);

    expect(outcome.record.formats).toEqual(['pdf', 'memo']);
    expect(outcome.record.documents.map((d) => d.name)).toEqual(['cctp.pdf', 'note-interne.txt', REPORT_DOCUMENT]);
    const memoRecord = outcome.record.documents[1]!;
    const bytes = await world.documents.get(memoRecord.key);
    expect(Buffer.from(bytes).toString('utf8')).toBe(`Note interne : ${frenchApostrophes(example('commune').title)}, ${example('commune').lots.length} lot(s)\n`);
    expect(memoRecord).toMatchObject({ mediaType: 'text/plain; charset=utf-8', sha256: sha256(bytes), bytes: bytes.byteLength });
    expect(world.documents.describe(memoRecord.key)?.contentType).toBe('text/plain; charset=utf-8');
    expect(outcome.report!.documents.map((d) => d.name)).toContain('note-interne.txt');
    expect(outcome.links.map((l) => l.name)).toContain('note-interne.txt');
    expect((await listTenderSummaries(buyer, {}, world)).items[0]!.documents.map((d) => d.name)).toContain('note-interne.txt');
    expect((await tenderDocumentLink(outcome.record.id, 'note-interne.txt', buyer, world)).key).toBe(memoRecord.key);
  });
});
