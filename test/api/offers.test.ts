import type ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { BidFiles } from '#src/core/offers/bid.ts';
import { example } from '../support/pipeline.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { buildBid, SIRETS } from '../offers/support/bids.ts';
import { scenarioBids, scenarioMarks } from '../offers/support/scenario.ts';
import { declareSize } from '../offers/support/zip.ts';
import { renderComplianceMatrix } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { renderPriceSchedule } from '#src/adapters/render/xlsx/price-schedule.ts';
import { IDENTITY_SHEET } from '#src/adapters/render/xlsx/identity.ts';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

/** The offers of a stored tender over HTTP: uploads, role checks, hostile files, marks and the analysis. */
let stack: ApiStack;
let tender: ResolvedTender;
let tenderId: string;
let bids: BidFiles[];

const upload = (bid: BidFiles) => ({
  bidder: bid.bidder,
  matrix: { name: bid.matrix.name, content: Buffer.from(bid.matrix.bytes).toString('base64') },
  prices: { name: bid.prices.name, content: Buffer.from(bid.prices.bytes).toString('base64') },
});
const AWARD = {
  buyerSiret: '22270001500001',
  notificationDate: '2026-11-20',
  publicationDate: '2026-11-27',
  placeOfPerformance: { code: '27', typeCode: 'Code département' },
  ccag: 'Fournitures courantes et services',
};

beforeAll(async () => {
  stack = await startApiStack();
  ({ tender } = await evaluatedExample('departement'));
  const created = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('departement') });
  expect(created.status).toBe(201);
  tenderId = created.json.id;
  bids = (await scenarioBids(tender, tenderId)).filter((b) => ['alpha', 'bravo', 'charlie', 'delta'].includes(b.bidder.id));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the offers of a tender over HTTP', () => {
  it('lets only the buyer who owns the tender upload a bid: editors 403, other buyers 404, no token 401', async () => {
    const body = upload(bids[0]!);
    expectProblemShape(await stack.call('POST', `/tenders/${tenderId}/bids`, { body }), 401);
    expectProblemShape(await stack.call('POST', `/tenders/${tenderId}/bids`, { token: stack.tokens.editor, body }), 403);
    expectProblemShape(await stack.call('POST', `/tenders/${tenderId}/bids`, { token: stack.tokens.otherBuyer, body }), 404);
    expectProblemShape(await stack.call('GET', `/tenders/${tenderId}/bids`, { token: stack.tokens.otherBuyer }), 404);
    expectProblemShape(await stack.call('PUT', `/tenders/${tenderId}/marks`, { token: stack.tokens.otherBuyer, body: scenarioMarks(tender) }), 404);
    expectProblemShape(await stack.call('POST', `/tenders/${tenderId}/analysis`, { token: stack.tokens.otherBuyer }), 404);
    // Nothing recorded yet: the owner's GET of the marks is a 404 as well, and reading writes nothing.
    const before = await stack.counts();
    const none = await stack.call('GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer });
    expectProblemShape(none, 404);
    expectProblemShape(await stack.call('GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.editor }), 403);
    expect(await stack.counts()).toEqual(before);
    expectProblemShape(await stack.call('GET', `/tenders/${tenderId}/conformity`, { token: stack.tokens.otherBuyer }), 404);
    expectProblemShape(await stack.call('GET', `/tenders/${tenderId}/conformity`, { token: stack.tokens.editor }), 403);
  });

  it('stores each bid with its files’ hashes, never replaces one, and lists them', async () => {
    for (const bid of bids) {
      const stored = await stack.call('POST', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer, body: upload(bid) });
      expect(stored.status, stored.text).toBe(201);
      expect(stored.json.files.map((f: { role: string }) => f.role)).toEqual(['matrix', 'prices']);
      expect(stored.json.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const before = await stack.counts();
    expectProblemShape(await stack.call('POST', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer, body: upload(bids[0]!) }), 409);
    expect(await stack.counts()).toEqual(before);
    const list = await stack.call('GET', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer });
    expect(list.json.items.map((b: { bidder: { id: string } }) => b.bidder.id)).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
  }, 120_000);

  it('states each offer’s conformity and the marks needed before any mark is recorded, writing nothing', async () => {
    const before = await stack.counts();
    const checked = await stack.call('GET', `/tenders/${tenderId}/conformity`, { token: stack.tokens.buyer });
    expect(checked.status, checked.text).toBe(200);
    const lot = checked.json.lots[0];
    expect(lot.offers.map((o: { bid: string; name: string; status: string }) => [o.bid, o.name, o.status])).toEqual([
      ['alpha', 'Alpha Numérique', 'conforming'],
      ['bravo', 'Bravo Distribution', 'irregular'],
      ['charlie', 'Charlie & Fils', 'conforming'],
      ['delta', 'Delta Low-Cost', 'conforming'],
    ]);
    const bravo = lot.offers[1];
    expect(bravo.issues).toEqual([expect.objectContaining({ kind: 'declared-non-conform', regularisable: false })]);
    // Charlie's DQE states a wrong amount on its first line: rectified, the unit price prevailing.
    expect(lot.offers[2].rectified).toHaveLength(1);
    // Exactly the marks the analysis will ask for, with what the form prints: number, name, points.
    const key = (m: { lot: number; bid: string; criterion: number; subCriterion?: number }) => `${m.lot}/${m.bid}/${m.criterion}/${m.subCriterion ?? 0}`;
    expect(checked.json.marksNeeded.map(key)).toEqual(scenarioMarks(tender).marks.map(key).sort((a, b) => ['alpha', 'charlie', 'delta'].indexOf(a.split('/')[1]!) - ['alpha', 'charlie', 'delta'].indexOf(b.split('/')[1]!)));
    const graded = tender.lots[0]!.awardCriteria.flatMap((c, i) => (c.type === 'quality' ? (c.subCriteria.length === 0 ? [{ number: `${i + 1}`, name: c.name, points: c.weight }] : c.subCriteria.map((sc, j) => ({ number: `${i + 1}.${j + 1}`, name: sc.name, points: sc.weight }))) : []));
    expect(lot.gradedCriteria.map((g: { number: string; name: string; points: number }) => ({ number: g.number, name: g.name, points: g.points }))).toEqual(graded);
    expect(checked.json.marksNeeded[0]).toMatchObject({ lot: 1, bid: 'alpha', ...graded[0] });
    expect(checked.json.grades.map((g: { grade: string }) => g.grade)).toEqual(['very-satisfactory', 'satisfactory', 'average', 'insufficient', 'absent']);
    expect(await stack.counts()).toEqual(before);
  }, 120_000);

  it('refuses hostile files with 415, 413 or 422 and the reason, writing nothing', async () => {
    const before = await stack.counts();
    const base = upload(bids[0]!);
    const macro = await stack.call('POST', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer, body: { ...base, bidder: { ...base.bidder, id: 'macro' }, matrix: { ...base.matrix, name: 'offre.xlsm' } } });
    expectProblemShape(macro, 415);
    expect(macro.json.errors[0].message).toContain('macro-enabled');
    const notZip = await stack.call('POST', `/tenders/${tenderId}/bids`, {
      token: stack.tokens.buyer,
      body: { ...base, bidder: { ...base.bidder, id: 'pdf' }, prices: { name: 'prix.xlsx', content: Buffer.from('%PDF-1.7 not a workbook').toString('base64') } },
    });
    expectProblemShape(notZip, 415);
    const bomb = declareSize(zipSync({ ...unzipSync(bids[0]!.matrix.bytes), 'xl/worksheets/sheet1.xml': new Uint8Array(4096) }), 'xl/worksheets/sheet1.xml', 1024 ** 3);
    const tooLarge = await stack.call('POST', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer, body: { ...base, bidder: { ...base.bidder, id: 'bomb' }, matrix: { name: 'bomb.xlsx', content: Buffer.from(bomb).toString('base64') } } });
    expectProblemShape(tooLarge, 413);
    expect(tooLarge.json.errors[0].message).toContain('expands to 1073741824 bytes');
    const formula = await buildBid(tender, {
      id: 'formule',
      name: 'Formule SA',
      siret: SIRETS[5],
      tenderId,
      lots: { 1: { unitPrice: () => 10 } },
      editPrices: (workbook: ExcelJS.Workbook) => {
        workbook.getWorksheet('BPU lot 1')!.getRow(4).getCell(4).value = { formula: '1+1', result: 2 };
      },
    });
    const refused = await stack.call('POST', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer, body: upload(formula) });
    expectProblemShape(refused, 422);
    expect(refused.json.errors).toEqual([{ path: 'BPU lot 1!D4', message: expect.stringContaining('formula') }]);
    // The same request's files, generated for another tender (here, without a stored tender): not this tender's bid.
    const elsewhere = await buildBid(tender, { id: 'ailleurs', name: 'Ailleurs SA', siret: SIRETS[4], lots: { 1: { unitPrice: () => 10 } } });
    const foreign = await stack.call('POST', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer, body: upload(elsewhere) });
    expectProblemShape(foreign, 422);
    expect(foreign.json.errors).toEqual([{ path: `${elsewhere.matrix.name}!Cahier`, message: expect.stringContaining('not for this one') }]);
    expect(await stack.counts()).toEqual(before);
  }, 120_000);

  it('refuses a mark without justification with its field path, then analyses the stored bids with the recorded marks', async () => {
    const marks = scenarioMarks(tender);
    const broken = JSON.parse(JSON.stringify(marks));
    delete broken.marks[0].justification;
    const refused = await stack.call('PUT', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer, body: broken });
    expectProblemShape(refused, 422);
    expect(refused.json.errors.map((e: { path: string }) => e.path)).toEqual(['marks.0.justification']);
    // Credits established after the launch, a decision on an offer not received: refused at the PUT, nothing stored.
    const before = await stack.counts();
    const reason = 'Le matériel proposé ne répond pas au besoin exprimé.';
    const late = await stack.call('PUT', `/tenders/${tenderId}/marks`, {
      token: stack.tokens.buyer,
      body: { ...marks, budgets: [{ lot: 1, amount: 100_000, establishedOn: '2026-12-02' }], eliminations: [{ lot: 1, bid: 'nobody', category: 'inappropriate', reason }] },
    });
    expectProblemShape(late, 422);
    expect(late.json.errors.map((e: { path: string }) => e.path)).toEqual(['budgets.0.establishedOn', 'eliminations.0']);
    expect(await stack.counts()).toEqual(before);
    const recorded = await stack.call('PUT', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer, body: { ...marks, award: AWARD, letters: { sentOn: '2027-01-18' } } });
    expect(recorded.status, recorded.text).toBe(200);
    expect(recorded.json).toEqual({ marks: marks.marks.length, award: true, letters: true });
    // Read back: what was sent, each list present (an empty list for the budgets and eliminations not sent), with the
    // ETag the PUT answered; sending it again with that ETag stores the same input, and the other buyer still gets a 404.
    const read = await stack.call('GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer });
    expect(read.status, read.text).toBe(200);
    expect(read.json).toMatchObject({ ...marks, award: AWARD, letters: { sentOn: '2027-01-18' }, budgets: [], eliminations: [] });
    expect(read.json.marks).toEqual(marks.marks);
    const tag = read.headers.get('etag')!;
    expect(tag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(recorded.headers.get('etag')).toBe(tag);
    // Once marks are recorded, a PUT must say which it read: none (428), If-None-Match: * (412), a weak or foreign tag (412).
    const stored = await stack.counts();
    const put = (headers: Record<string, string>, body: unknown = read.json) => stack.call('PUT', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer, body, headers });
    expectProblemShape(await put({}), 428);
    expectProblemShape(await put({ 'if-match': '*' }), 428);
    expectProblemShape(await put({ 'if-none-match': '*' }), 412);
    expectProblemShape(await put({ 'if-match': `W/${tag}` }), 412);
    expectProblemShape(await put({ 'if-match': '"3"' }), 412);
    // Two tabs read the same marks: the first save wins and answers the new ETag, the second (stale) is refused and writes nothing.
    const justified = { ...read.json, marks: read.json.marks.map((m: { justification: string }, i: number) => (i === 0 ? { ...m, justification: `${m.justification} Complété.` } : m)) };
    const first = await put({ 'if-match': tag }, justified);
    expect(first.status, first.text).toBe(200);
    const newTag = first.headers.get('etag')!;
    expect(newTag).not.toBe(tag);
    const stale = await put({ 'if-match': tag });
    expectProblemShape(stale, 412);
    expect(stale.json.type).toMatch(/version-conflict$/);
    expect(await stack.counts()).toEqual(stored);
    const current = await stack.call('GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer });
    expect(current.json).toEqual(justified);
    expect(current.headers.get('etag')).toBe(newTag);
    // The current ETag (among others in the list) stores again; the same input gives the same bytes, hence the same ETag.
    const again = await put({ 'if-match': `"${'0'.repeat(64)}", ${newTag}` }, read.json);
    expect(again.status, again.text).toBe(200);
    expect(again.headers.get('etag')).toBe(tag);
    expect((await stack.call('GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer })).json).toEqual(read.json);
    // Two tabs save at the same moment over the marks both read: the write itself is conditional, so one only is recorded, the other is a 412.
    const completed = (text: string) => ({ ...read.json, marks: read.json.marks.map((m: { justification: string }, i: number) => (i === 1 ? { ...m, justification: `${m.justification} ${text}` } : m)) });
    const racing = [completed('Onglet 1.'), completed('Onglet 2.')];
    const raced = await Promise.all(racing.map((body) => put({ 'if-match': tag }, body)));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = raced.findIndex((r) => r.status === 200);
    expectProblemShape(raced[1 - winner]!, 412);
    const afterRace = await stack.call('GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer });
    expect(afterRace.json).toEqual(racing[winner]);
    expect(afterRace.headers.get('etag')).toBe(raced[winner]!.headers.get('etag'));
    expect((await put({ 'if-match': afterRace.headers.get('etag')! }, read.json)).status).toBe(200);
    expectProblemShape(await stack.call('GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.otherBuyer }), 404);

    const analysis = await stack.call('POST', `/tenders/${tenderId}/analysis`, { token: stack.tokens.buyer });
    expect(analysis.status, analysis.text).toBe(200);
    const lot = analysis.json.summary.lots[0];
    expect(lot.offers.map((o: { bid: string; status: string }) => [o.bid, o.status])).toEqual([
      ['alpha', 'conforming'],
      ['bravo', 'irregular'],
      ['charlie', 'conforming'],
      ['delta', 'conforming'],
    ]);
    const letters = ['alpha', 'bravo', 'charlie', 'delta'].filter((id) => id !== lot.proposed.bid).flatMap((id) => [`lettre-offre-non-retenue-lot-1-${id}.pdf`, `lettre-offre-non-retenue-lot-1-${id}.docx`]);
    expect(analysis.json.documents.map((d: { name: string }) => d.name)).toEqual(['analyse.json', 'rao-lot-1.pdf', 'rao-lot-1.docx', ...letters, 'decp.json', 'award.ocds.json']);
    const url = (name: string) => analysis.json.documents.find((d: { name: string }) => d.name === name).url;
    for (const name of ['rao-lot-1.pdf', letters[0]!]) {
      const pdf = await fetch(url(name));
      expect(pdf.status).toBe(200);
      expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    }
    const decp = await (await fetch(url('decp.json'))).json();
    expect(decp.marches.marche[0].titulaires[0].titulaire.id).toBe(lot.proposed.siret);
    expect(decp.marches.marche[0].offresRecues).toBe(4);
    // The award release continues the stored tender's contracting process: its ocid is built on the tender's id.
    const award = await (await fetch(url('award.ocds.json'))).json();
    expect(award.releases[0].ocid).toMatch(new RegExp(`-${tenderId}$`));
  }, 180_000);

  it('withdraws a bid with a reason: kept with its files and listed as withdrawn, out of the conformity check, one audit entry no reader of GET /audit sees', async () => {
    const bidPath = (id: string, reason?: string) => `/tenders/${tenderId}/bids/${id}${reason === undefined ? '' : `?reason=${encodeURIComponent(reason)}`}`;
    const reason = 'Offre remise hors délai';
    // A decision recorded on the offer before its withdrawal: once the offer is gone, the conformity view still answers.
    const decision = { lot: 1, bid: 'delta', category: 'inappropriate', reason: 'Le matériel proposé ne répond pas au besoin exprimé.' };
    const etag = (await stack.call('GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer })).headers.get('etag')!;
    const decided = await stack.call('PUT', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer, body: { ...scenarioMarks(tender), eliminations: [decision] }, headers: { 'if-match': etag } });
    expect(decided.status, decided.text).toBe(200);
    const before = await stack.counts();
    expectProblemShape(await stack.call('DELETE', bidPath('delta', reason), { token: stack.tokens.editor }), 403);
    expectProblemShape(await stack.call('DELETE', bidPath('delta', reason), { token: stack.tokens.otherBuyer }), 404);
    const missing = await stack.call('DELETE', bidPath('delta'), { token: stack.tokens.buyer });
    expectProblemShape(missing, 422);
    expect(missing.json.errors.map((e: { path: string }) => e.path)).toEqual(['reason']);
    expectProblemShape(await stack.call('DELETE', bidPath('delta', ' '), { token: stack.tokens.buyer }), 422);
    expectProblemShape(await stack.call('DELETE', bidPath('nobody', reason), { token: stack.tokens.buyer }), 404);
    expect(await stack.counts()).toEqual(before);

    const withdrawn = await stack.call('DELETE', bidPath('delta', reason), { token: stack.tokens.buyer });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.json).toMatchObject({ bidder: { id: 'delta' }, withdrawal: { reason, withdrawnBy: expect.any(String), withdrawnAt: expect.any(String) } });
    expect(withdrawn.json.files).toHaveLength(2);
    // The withdrawal beside the bid, and the audit entry: the files stay.
    expect(await stack.counts()).toEqual({ items: before.items + 1, objects: before.objects + 1 });
    const again = await stack.call('DELETE', bidPath('delta', 'Pli déposé par erreur'), { token: stack.tokens.buyer });
    expect(again.json).toEqual(withdrawn.json);
    expect(await stack.counts()).toEqual({ items: before.items + 1, objects: before.objects + 1 });

    const list = await stack.call('GET', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer });
    expect(list.json.items.map((b: { bidder: { id: string }; withdrawal?: { reason: string } }) => [b.bidder.id, b.withdrawal?.reason ?? null])).toEqual([
      ['alpha', null],
      ['bravo', null],
      ['charlie', null],
      ['delta', reason],
    ]);
    const checked = await stack.call('GET', `/tenders/${tenderId}/conformity`, { token: stack.tokens.buyer });
    expect(checked.json.lots[0].offers.map((o: { bid: string }) => o.bid)).toEqual(['alpha', 'bravo', 'charlie']);
    // The bidders' names and SIRETs stay with their buyer: the editors' trail neither lists nor queries bid entries.
    const trail = await stack.call('GET', '/audit?limit=100', { token: stack.tokens.editor });
    expect(trail.json.items.filter((e: { target: { kind: string } }) => e.target.kind === 'bid')).toEqual([]);
    expectProblemShape(await stack.call('GET', `/audit?kind=bid&id=${tenderId}`, { token: stack.tokens.buyer }), 422);
    // Marks recorded for the withdrawn bid are refused by the next analysis, each on its path: the buyer records the marks again.
    const stale = await stack.call('POST', `/tenders/${tenderId}/analysis`, { token: stack.tokens.buyer });
    expectProblemShape(stale, 422);
    expect(stale.json.errors.length).toBeGreaterThan(0);
    for (const e of stale.json.errors) expect(e.message).toContain('"delta"');
  }, 120_000);

  it('reads a bid against the workbooks the tender stored: the same bytes, identity included, so a bid without it is refused', async () => {
    const created = await stack.call('POST', '/tenders?formats=xlsx', { token: stack.tokens.buyer, body: example('departement') });
    expect(created.status, created.text).toBe(201);
    const id: string = created.json.id;
    await stack.documentJobs.settled();
    const download = async (name: string) => {
      const redirect = await stack.call('GET', `/tenders/${id}/documents/${name}`, { token: stack.tokens.buyer });
      expect(redirect.status, name).toBe(302);
      return Buffer.from(await (await fetch(redirect.headers.get('location')!)).arrayBuffer());
    };
    expect(Buffer.compare(await download('cadre-de-reponse.xlsx'), Buffer.from(await renderComplianceMatrix(tender, id)))).toBe(0);
    expect(Buffer.compare(await download('bordereau-des-prix.xlsx'), Buffer.from(await renderPriceSchedule(tender, { tenderId: id })))).toBe(0);
    const unmarked = await buildBid(tender, {
      id: 'sans-marque',
      name: 'Sans marque SA',
      siret: SIRETS[0],
      tenderId: id,
      lots: { 1: { unitPrice: () => 10 } },
      editMatrix: (workbook) => workbook.removeWorksheet(workbook.getWorksheet(IDENTITY_SHEET)!.id),
    });
    const refused = await stack.call('POST', `/tenders/${id}/bids`, { token: stack.tokens.buyer, body: upload(unmarked) });
    expectProblemShape(refused, 422);
    expect(refused.json.errors).toEqual([{ path: `${unmarked.matrix.name}!${IDENTITY_SHEET}`, message: expect.stringContaining('lost the hidden identification') }]);
    const marked = await buildBid(tender, { id: 'avec-marque', name: 'Avec marque SA', siret: SIRETS[1], tenderId: id, lots: { 1: { unitPrice: () => 10 } } });
    expect((await stack.call('POST', `/tenders/${id}/bids`, { token: stack.tokens.buyer, body: upload(marked) })).status).toBe(201);
  }, 120_000);
});

