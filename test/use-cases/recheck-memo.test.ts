/**
 * The memo of re-checks on fakes: a tender read again costs no rule evaluation and no report read,
 * while any change of what the re-check reads (request, framework version, report, law or funding
 * records) computes it again; bounded by bytes; concurrent reads share one computation; failures
 * and unverifiable reports are never kept.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { generateTender, recheckTenderReading, REPORT_DOCUMENT, type TenderRecheck } from '#src/app/generate-tender.ts';
import { BoundedMemo, memoisedRecheck, recheckKey, RULE_DATA_VERSIONS, type RecheckMemoOptions, type RuleDataVersions } from '#src/app/recheck-memo.ts';
import { publishFrameworkVersion, updateCriterion } from '#src/app/criteria-admin.ts';
import { sha256 } from '#src/app/generate-documents.ts';
import { tenderSummary, type TenderRecord } from '#src/app/tender-record.ts';
import type { DocumentStore } from '#src/app/ports/document-store.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { example, fakeWorld, type World } from './world.ts';

/** The oracle: the tender re-checked afresh, outside any memo. */
async function freshRecheck(record: TenderRecord, deps: World): Promise<TenderRecheck> {
  return (await recheckTenderReading(record, deps)).recheck;
}

let world: World;
let tenders: TenderRecord[];
beforeEach(async () => {
  world = await fakeWorld();
  tenders = [];
  for (const place of ['Aubrac', 'Bessans', 'Cordes']) {
    const request = { ...example('commune'), title: `Classe mobile de l’école de ${place}` };
    tenders.push((await generateTender({ request, owner: 'buyer-1' }, world)).record);
  }
});

/** The work a re-check does, counted: catalogue snapshots (the rules' input) and report reads. */
interface Counted {
  snapshots: number;
  reports: number;
  failNextReport?: Error;
}

function counting(options: RecheckMemoOptions = {}): ReturnType<typeof memoisedRecheck> & { work: Counted } {
  const work: Counted = { snapshots: 0, reports: 0 };
  const catalogue = { snapshot: (id: string, version: number) => (work.snapshots++, world.catalogue.snapshot(id, version)) };
  const documents: DocumentStore = Object.assign(Object.create(world.documents) as DocumentStore, {
    get: async (key: string) => {
      work.reports++;
      const error = work.failNextReport;
      work.failNextReport = undefined;
      if (error) throw error;
      return world.documents.get(key);
    },
  });
  return { ...memoisedRecheck({ ...world, catalogue, documents }, options), work };
}

const reportOf = (record: TenderRecord) => record.documents.find((d) => d.name === REPORT_DOCUMENT)!;

describe('memoisedRecheck', () => {
  it('answers a second read of a tender from the memo: no rule evaluation, no report read, the answer a fresh re-check gives', async () => {
    const { recheck, work } = counting();

    const first = await recheck(tenders[0]!);
    const second = await recheck(tenders[0]!);

    expect(work).toEqual({ snapshots: 1, reports: 1 });
    expect(second).toBe(first);
    expect(second).toEqual(await freshRecheck(tenders[0]!, world));
  });

  it('re-checks a listed tender from its summary, reading its record only when the memo lacks it', async () => {
    const { recheck, recheckListed, work } = counting();
    const loads: string[] = [];
    const load = (id: string) => (loads.push(id), world.tenders.get(id));
    const [a, b] = tenders as [TenderRecord, TenderRecord];
    const readFirst = await recheck(a);

    const listedA = await recheckListed(tenderSummary(a), load);
    const listedB = await recheckListed(tenderSummary(b), load);
    await recheckListed(tenderSummary(b), load);

    expect(loads).toEqual([b.id]);
    expect(work.snapshots).toBe(2);
    expect(listedA).toBe(readFirst);
    expect(listedB).toEqual(await freshRecheck(b, world));
    expect(await recheck(b)).toBe(listedB);
  });

  it('computes again when the stored request’s hash differs', async () => {
    const { recheck, work } = counting();
    await recheck(tenders[0]!);

    await recheck({ ...tenders[0]!, requestHash: sha256('another request') });

    expect(work.snapshots).toBe(2);
  });

  it('computes again, under that version, when the request pins another framework version', async () => {
    const record = tenders[0]!;
    const pinned = record.criteria[0]!;
    const current = await world.criteria.getVersion(pinned.id, pinned.version);
    await updateCriterion(pinned.id, { ...current, label: `${current.label} (révisé)`, version: undefined, reason: 'Libellé révisé' }, pinned.version, world);
    await publishFrameworkVersion('carmo-education', { reason: 'Relecture du référentiel', version: 4 }, world);
    const { recheck, work } = counting();
    await recheck(record);

    const onV4 = await recheck({ ...record, request: { ...record.request, framework: { id: 'carmo-education', version: 4 } } });

    expect(work.snapshots).toBe(2);
    expect(onV4).toEqual(await freshRecheck({ ...record, request: { ...record.request, framework: { id: 'carmo-education', version: 4 } } }, world));
  });

  it('computes again when the record names another report, and keeps that one', async () => {
    const { recheck, work } = counting();
    const record = tenders[0]!;
    const before = await recheck(record);
    // The same report without its findings, stored under a new key and named by the record with its hash.
    const report = reportOf(record);
    const stored = JSON.parse(Buffer.from(await world.documents.get(report.key)).toString('utf8'));
    const bytes = Buffer.from(JSON.stringify({ ...stored, findings: [] }));
    const key = report.key.replace(REPORT_DOCUMENT, 'report-2.json');
    await world.documents.put(key, bytes, 'application/json');
    const renamed = { ...record, documents: record.documents.map((d) => (d.name === REPORT_DOCUMENT ? { ...d, key, bytes: bytes.byteLength, sha256: sha256(bytes) } : d)) };

    const after = await recheck(renamed);
    await recheck(renamed);

    expect(work).toEqual({ snapshots: 2, reports: 2 });
    expect(before.changed).toBe(false);
    expect(after).toEqual(await freshRecheck(renamed, world));
  });

  it.each([
    ['law', { ...RULE_DATA_VERSIONS, law: 'another-law' }],
    ['funding', { ...RULE_DATA_VERSIONS, funding: 'other-funding' }],
  ] as Array<[string, RuleDataVersions]>)('computes again when the %s records’ fingerprint changes', async (_name, changed) => {
    let versions = RULE_DATA_VERSIONS;
    const { recheck, work } = counting({ versions: () => versions });
    await recheck(tenders[0]!);

    versions = changed;
    await recheck(tenders[0]!);
    await recheck(tenders[0]!);

    expect(work.snapshots).toBe(2);
    expect(recheckKey(tenders[0]!, changed)).not.toBe(recheckKey(tenders[0]!));
  });

  it('evicts the least recently used tender once its bytes bound is reached', async () => {
    const probe = counting();
    await probe.recheck(tenders[0]!);
    const entryBytes = probe.memo.stats.bytes;
    const { recheck, work, memo } = counting({ maxBytes: Math.floor(entryBytes * 2.5) });
    const [a, b, c] = tenders as [TenderRecord, TenderRecord, TenderRecord];

    await recheck(a);
    await recheck(b);
    await recheck(a); // a is now the most recent, b the least
    await recheck(c); // evicts b
    expect(work.snapshots).toBe(3);
    expect(memo.stats.entries).toBe(2);
    expect(memo.stats.bytes).toBeLessThanOrEqual(memo.maxBytes);

    await recheck(a);
    await recheck(c);
    expect(work.snapshots).toBe(3);
    await recheck(b);
    expect(work.snapshots).toBe(4);
  });

  it('shares one computation among concurrent reads of the same tender', async () => {
    const { recheck, work } = counting();

    const answers = await Promise.all(Array.from({ length: 8 }, () => recheck(tenders[1]!)));

    expect(work).toEqual({ snapshots: 1, reports: 1 });
    for (const answer of answers) expect(answer).toBe(answers[0]);
  });

  it('does not keep a failure: the next read computes again', async () => {
    const { recheck, work } = counting();
    work.failNextReport = new Error('S3 unavailable');

    await expect(recheck(tenders[0]!)).rejects.toThrow('S3 unavailable');
    const answer = await recheck(tenders[0]!);

    expect(work.snapshots).toBe(2);
    expect(answer).toEqual(await freshRecheck(tenders[0]!, world));
  });

  it('does not keep the failure of a framework version the catalogue lacks', async () => {
    const { recheck, work } = counting();
    const record = tenders[0]!;
    const unknown = { ...record, request: { ...record.request, framework: { id: 'carmo-education', version: 99 } } };

    await expect(recheck(unknown)).rejects.toBeInstanceOf(ValidationError);
    await expect(recheck(unknown)).rejects.toBeInstanceOf(ValidationError);

    expect(work.snapshots).toBe(2);
  });

  it('does not keep a re-check whose report.json no longer hashes as the record names it', async () => {
    const { recheck, work } = counting();
    const record = tenders[0]!;
    const report = reportOf(record);
    const stored = JSON.parse(Buffer.from(await world.documents.get(report.key)).toString('utf8'));
    await world.documents.put(report.key, Buffer.from(JSON.stringify({ ...stored, findings: [] })), 'application/json');

    const first = await recheck(record);
    const second = await recheck(record);

    expect(work.reports).toBe(2);
    expect(second).toEqual(first);
  });

  it('hands out frozen answers: a caller cannot change what the next one reads', async () => {
    const { recheck } = counting();
    const answer = await recheck(tenders[0]!);

    expect(() => {
      (answer as { changed: boolean }).changed = true;
    }).toThrow(TypeError);
    expect(() => (answer.added as unknown[]).push({})).toThrow(TypeError);
    expect(() => {
      (answer.rules as { date: string }).date = '1999-01-01';
    }).toThrow(TypeError);

    expect(await recheck(tenders[0]!)).toEqual(await freshRecheck(tenders[0]!, world));
  });
});

describe('BoundedMemo', () => {
  it('keeps nothing larger than its bound, and computes again each time', async () => {
    const memo = new BoundedMemo<string>(100);
    let computed = 0;
    const compute = async () => ({ value: 'x'.repeat(200 + computed++), keep: true });

    await memo.get('k', compute);
    await memo.get('k', compute);

    expect(computed).toBe(2);
    expect(memo.stats).toEqual({ entries: 0, bytes: 0 });
  });

  it('forgets a computation that throws before returning a promise', async () => {
    const memo = new BoundedMemo<number>(1000);

    await expect(
      memo.get('k', () => {
        throw new Error('at once');
      }),
    ).rejects.toThrow('at once');

    expect(await memo.get('k', async () => ({ value: 1, keep: true }))).toBe(1);
  });
});
