import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '#src/adapters/http/routes.ts';
import { frenchApostrophes } from '#src/core/model/typography.ts';
import { pdfText } from '../support/pdf-text.ts';
import { example } from '../support/pipeline.ts';
import { expectedMarks } from '#src/core/offers/scoring.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { buildBid, SIRETS } from '../offers/support/bids.ts';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

let stack: ApiStack;
let tenderId: string;
const covered = new Set<string>();

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Calls a route and records it as covered, so the last test can check that every route has a happy path here. */
async function hit(route: string, method: string, path: string, options: Parameters<ApiStack['call']>[2] = {}) {
  covered.add(route);
  return stack.call(method, path, options);
}

describe('public routes', () => {
  it('GET /health answers ok without a token', async () => {
    const res = await hit('GET /health', 'GET', '/health');

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', service: 'cahier' });
  });

  it('GET /openapi.json describes every route of the table, with resolvable schema references', async () => {
    const res = await hit('GET /openapi.json', 'GET', '/openapi.json');

    expect(res.status).toBe(200);
    const doc = res.json;
    expect(doc.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.operationId, routeKey(route)).toBe(route.operationId);
      expect(operation.security, routeKey(route)).toEqual(route.role === 'public' ? [] : [{ bearerAuth: [] }]);
    }
    const refs = [...res.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
    expect(doc.components.schemas.TenderRequest.oneOf).toEqual([{ $ref: '#/components/schemas/TenderRequestV2' }, { $ref: '#/components/schemas/TenderRequestV1' }]);
    for (const version of ['TenderRequestV1', 'TenderRequestV2']) expect(doc.components.schemas[version].required).toEqual(expect.arrayContaining(['buyer', 'title', 'framework', 'lots']));
  });
});

describe('catalogue routes', () => {
  it('GET /frameworks lists the seeded framework', async () => {
    const res = await hit('GET /frameworks', 'GET', '/frameworks', { token: stack.tokens.buyer });

    expect(res.status).toBe(200);
    expect(res.json.items.map((f: any) => `${f.id}@${f.version}`)).toEqual(['carmo-education@3']);
  });

  it('GET /frameworks/{id} returns the latest version with its ETag, or the version asked for', async () => {
    const latest = await hit('GET /frameworks/{id}', 'GET', '/frameworks/carmo-education', { token: stack.tokens.buyer });
    const v3 = await stack.call('GET', '/frameworks/carmo-education?version=3', { token: stack.tokens.buyer });
    const v1 = await stack.call('GET', '/frameworks/carmo-education?version=1', { token: stack.tokens.buyer });
    const v9 = await stack.call('GET', '/frameworks/carmo-education?version=9', { token: stack.tokens.buyer });

    expect(latest.status).toBe(200);
    expect(latest.headers.get('etag')).toBe('"3"');
    expect(latest.json.criteria.length).toBeGreaterThan(50);
    expect(v3.json).toEqual(latest.json);
    expect(v1.json.version).toBe(1);
    expectProblemShape(v9, 404);
  });

  it('GET /criteria pages through a category with a cursor, and lists a framework', async () => {
    const first = await hit('GET /criteria', 'GET', '/criteria?category=tablet&limit=5', { token: stack.tokens.editor });
    const second = await stack.call('GET', `/criteria?category=tablet&limit=5&cursor=${first.json.cursor}`, { token: stack.tokens.editor });
    const framework = await stack.call('GET', '/criteria?framework=carmo-education&limit=100', { token: stack.tokens.editor });

    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(5);
    expect(first.json.items.every((c: any) => c.category === 'tablet')).toBe(true);
    expect(second.json.items[0].id > first.json.items[4].id).toBe(true);
    expect(framework.json.items.length).toBeGreaterThan(50);
  });

  it('GET /criteria refuses a query naming neither a category nor a framework, and a cursor from another listing', async () => {
    const first = await stack.call('GET', '/criteria?category=tablet&limit=2', { token: stack.tokens.buyer });

    const neither = await stack.call('GET', '/criteria', { token: stack.tokens.buyer });
    const foreign = await stack.call('GET', `/criteria?category=laptop&cursor=${first.json.cursor}`, { token: stack.tokens.buyer });

    expectProblemShape(neither, 422);
    expect(neither.json.errors).toEqual([{ path: 'category', message: 'give either category or framework' }]);
    expectProblemShape(foreign, 422);
    expect(foreign.json.errors[0].path).toBe('cursor');
  });

  it('GET /criteria/{id} returns the latest version with an ETag; GET …/versions the history', async () => {
    const criterion = await hit('GET /criteria/{id}', 'GET', '/criteria/tablet.storage.user', { token: stack.tokens.buyer });
    const versions = await hit('GET /criteria/{id}/versions', 'GET', '/criteria/tablet.storage.user/versions', { token: stack.tokens.buyer });
    const missing = await stack.call('GET', '/criteria/no.such-criterion', { token: stack.tokens.buyer });

    expect(criterion.status).toBe(200);
    expect(criterion.headers.get('etag')).toBe(`"${criterion.json.version}"`);
    expect(versions.json.items.map((c: any) => c.version)).toEqual([1, 2]);
    expectProblemShape(missing, 404);
  });

  it('GET /offers lists the packaged offers', async () => {
    const res = await hit('GET /offers', 'GET', '/offers', { token: stack.tokens.buyer });

    expect(res.status).toBe(200);
    expect(res.json.items.map((o: any) => o.id)).toContain('classe-mobile-16');
  });
});

describe('editor routes', () => {
  it('PUT /criteria/{id} with If-Match writes the next version; If-None-Match: * creates a criterion', async () => {
    const current = await stack.call('GET', '/criteria/laptop.ram', { token: stack.tokens.editor });
    const { version: _v, ...draft } = current.json;

    const updated = await hit('PUT /criteria/{id}', 'PUT', '/criteria/laptop.ram', {
      token: stack.tokens.editor,
      headers: { 'if-match': current.headers.get('etag')! },
      body: { ...draft, note: 'Relevé à la rentrée 2027.', reason: 'Note de rentrée' },
    });
    const created = await stack.call('PUT', '/criteria/laptop.webcam-privacy', {
      token: stack.tokens.editor,
      headers: { 'if-none-match': '*' },
      body: { ...draft, id: undefined, label: 'Obturateur de webcam', requirement: 'La webcam dispose d’un obturateur physique.', metric: { type: 'boolean', expected: true }, reason: 'Protéger la vie privée des élèves' },
    });

    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe(`"${current.json.version + 1}"`);
    expect(updated.json.note).toBe('Relevé à la rentrée 2027.');
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/criteria/laptop.webcam-privacy');
    expect(created.json.version).toBe(1);
  });

  it('PUT /items/{id} and PUT /offers/{id} with If-Match write the next version; GET …/versions lists them with the latest ETag', async () => {
    const items = await hit('GET /items/{id}/versions', 'GET', '/items/tablet/versions', { token: stack.tokens.editor });
    const offers = await hit('GET /offers/{id}/versions', 'GET', '/offers/classe-mobile-16/versions', { token: stack.tokens.editor });
    const { version: _item, ...tablet } = items.json.items.at(-1);
    const { version: _offer, ...offer } = offers.json.items.at(-1);

    const item = await hit('PUT /items/{id}', 'PUT', '/items/tablet', {
      token: stack.tokens.editor,
      headers: { 'if-match': items.headers.get('etag')! },
      body: { ...tablet, label: 'Tablette tactile de l’élève', reason: 'Libellé aligné sur le CARMO' },
    });
    const composed = await hit('PUT /offers/{id}', 'PUT', '/offers/classe-mobile-16', {
      token: stack.tokens.editor,
      headers: { 'if-match': offers.headers.get('etag')! },
      body: { ...offer, items: offer.items.map((l: any) => (l.itemId === 'teacher-training' ? { ...l, quantity: 9 } : l)), reason: 'Trois heures de formation de plus' },
    });
    const stale = await stack.call('PUT', '/items/tablet', { token: stack.tokens.editor, headers: { 'if-match': items.headers.get('etag')! }, body: { ...tablet, reason: 'Relecture' } });
    const after = await stack.call('GET', '/items/tablet/versions', { token: stack.tokens.editor });

    expect([items.status, items.headers.get('etag'), items.json.items.length]).toEqual([200, '"1"', 1]);
    expect([item.status, item.headers.get('etag'), item.json.version, item.json.label]).toEqual([200, '"2"', 2, 'Tablette tactile de l’élève']);
    expect([composed.status, composed.json.version]).toEqual([200, 2]);
    expectProblemShape(stale, 412);
    expect(after.json.items.map((v: any) => v.label)).toEqual(['Tablette élève', 'Tablette tactile de l’élève']);
    expect(after.headers.get('etag')).toBe('"2"');

    // Buyers read the offers as the framework version they generate on pins them.
    const latest = await stack.call('GET', '/offers', { token: stack.tokens.buyer });
    const pinned = await stack.call('GET', '/offers?framework=carmo-education&version=3', { token: stack.tokens.buyer });
    const orphan = await stack.call('GET', '/offers?version=3', { token: stack.tokens.buyer });
    const training = (list: any) => list.json.items.find((o: any) => o.id === 'classe-mobile-16').items.find((l: any) => l.itemId === 'teacher-training').quantity;
    expect([training(latest), training(pinned)]).toEqual([9, 6]);
    expect(pinned.json.items.map((o: any) => o.version)).toEqual(pinned.json.items.map(() => 1));
    expectProblemShape(orphan, 422);
  });

  it('GET /frameworks/{id}/publication previews the next version: each moved criterion before → after as the CCTP prints it', async () => {
    const res = await hit('GET /frameworks/{id}/publication', 'GET', '/frameworks/carmo-education/publication', { token: stack.tokens.editor });

    expect(res.status).toBe(200);
    expect(res.json.framework).toEqual({ id: 'carmo-education', version: 3 });
    const ram = res.json.changes.find((c: any) => c.criterionId === 'laptop.ram');
    expect(ram.changes).toEqual(['rewritten']);
    expect(ram.after.version).toBe(ram.before.version + 1);
    expect(ram.after.text).toMatch(/^L’ordinateur portable dispose d’une mémoire vive d’au moins 8\sGo\.$/);
    expect(ram.after.level).toBe('Exigence minimale');
    expect(res.json.items).toEqual([
      { id: 'tablet', label: 'Tablette tactile de l’élève', before: 1, after: 2, fields: [{ field: 'label', before: 'Tablette élève', after: 'Tablette tactile de l’élève' }] },
    ]);
    expect(res.json.offers).toEqual([{ id: 'classe-mobile-16', label: expect.any(String), before: 1, after: 2, fields: [{ field: 'items', before: expect.stringContaining('teacher-training × 6'), after: expect.stringContaining('teacher-training × 9') }] }]);
  });

  it('POST /frameworks/{id}/versions publishes the next version pinning the latest criteria', async () => {
    const res = await hit('POST /frameworks/{id}/versions', 'POST', '/frameworks/carmo-education/versions', {
      token: stack.tokens.editor,
      body: { version: 4, publishedAt: '2027-01-04', reason: 'Rentrée 2027' },
    });
    const again = await stack.call('POST', '/frameworks/carmo-education/versions', { token: stack.tokens.editor, body: { version: 4, reason: 'Rentrée 2027' } });

    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/frameworks/carmo-education?version=4');
    expect(res.json.criteria).toContainEqual({ id: 'laptop.ram', version: 3 });
    expect(res.json.items).toContainEqual({ id: 'tablet', version: 2 });
    expect(res.json.offers).toContainEqual({ id: 'classe-mobile-16', version: 2 });
    expect(res.json.programmes).toEqual(['plan-numerique-colleges-2016', 'snee-2021', 'tne']);
    expectProblemShape(again, 409);
  });

  it('POST /frameworks/{id}/versions refuses a version identical to the latest, and the preview says there is nothing to publish', async () => {
    const same = await stack.call('POST', '/frameworks/carmo-education/versions', { token: stack.tokens.editor, body: { version: 5, reason: 'Republier' } });
    const preview = await stack.call('GET', '/frameworks/carmo-education/publication', { token: stack.tokens.editor });
    const latest = await stack.call('GET', '/frameworks/carmo-education', { token: stack.tokens.buyer });

    expectProblemShape(same, 422);
    expect(same.json.errors).toEqual([{ path: 'criteria', message: expect.stringContaining('nothing changed since version 4') }]);
    expect(preview.json).toEqual({ framework: { id: 'carmo-education', version: 4 }, changes: [], items: [], offers: [] });
    expect(latest.json.version).toBe(4);
  });

  it('GET /frameworks/{id}/versions/{version}/changelog is the Markdown changelog: date, author, reason, each criterion before → after, same bytes twice', async () => {
    const res = await hit('GET /frameworks/{id}/versions/{version}/changelog', 'GET', '/frameworks/carmo-education/versions/4/changelog', { token: stack.tokens.buyer });
    const again = await stack.call('GET', '/frameworks/carmo-education/versions/4/changelog', { token: stack.tokens.buyer });
    const missing = await stack.call('GET', '/frameworks/carmo-education/versions/9/changelog', { token: stack.tokens.buyer });
    const malformed = await stack.call('GET', '/frameworks/carmo-education/versions/x/changelog', { token: stack.tokens.buyer });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="carmo-education-v4-changelog.md"');
    expect(res.text).toContain('- Version : 4 (remplace la version 3)');
    expect(res.text).toContain('- Date de publication : 2027-01-04');
    expect(res.text).toContain('- Auteur : editor-1');
    expect(res.text).toContain('- Motif : Rentrée 2027');
    expect(res.text).toMatch(/### .+ \(`laptop\.ram`, v2 → v3\)\n\nChangement : réécrit\./);
    expect(res.text).toContain('## Articles modifiés\n\n### Tablette tactile de l’élève (`tablet`, v1 → v2)\n\nChangement : nouvelle version.\n\n- Intitulé : Tablette élève → Tablette tactile de l’élève\n');
    expect(res.text).toMatch(/## Offres modifiées\n\n### .+ \(`classe-mobile-16`, v1 → v2\)\n\nChangement : nouvelle version\.\n\n- Composition : .*teacher-training × 6.* → .*teacher-training × 9/);
    expect(again.text).toBe(res.text);
    expectProblemShape(missing, 404);
    expectProblemShape(malformed, 404);
  });

  it('GET /frameworks/{id}/versions/{version}/changelog.pdf is the same changelog as a PDF (test/api/changelog-pdf.test.ts reads it back)', async () => {
    const res = await hit('GET /frameworks/{id}/versions/{version}/changelog.pdf', 'GET', '/frameworks/carmo-education/versions/4/changelog.pdf', { token: stack.tokens.buyer });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.text.startsWith('%PDF-')).toBe(true);
  });
});

describe('tender routes', () => {
  it('POST /tenders generates the CCTP, stores it and answers download links that work', async () => {
    const res = await hit('POST /tenders', 'POST', '/tenders', { token: stack.tokens.buyer, body: example('commune') });

    expect(res.status).toBe(201);
    tenderId = res.json.id;
    expect(res.headers.get('location')).toBe(`/tenders/${tenderId}`);
    expect(res.json.report.conformity.conforming).toBe(true);
    expect(res.json.report.funding.statement).toBeTruthy();
    expect(res.json.documents.map((d: any) => [d.name, d.audience]).sort()).toEqual([
      ['cctp.pdf', 'bidder'],
      ['note-interne.pdf', 'buyer'],
      ['report.json', 'buyer'],
    ]);
    const pdf = res.json.documents.find((d: any) => d.name === 'cctp.pdf');
    expect(Date.parse(pdf.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
    const download = await fetch(pdf.url);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(download.status).toBe(200);
    expect(bytes.byteLength).toBe(pdf.bytes);
    expect(await pdfText(bytes)).toContain('Saint-Julien-des-Combes');
  });

  it('GET /tenders/{id} returns the record; GET /tenders lists it', async () => {
    const record = await hit('GET /tenders/{id}', 'GET', `/tenders/${tenderId}`, { token: stack.tokens.buyer });
    const list = await hit('GET /tenders', 'GET', '/tenders', { token: stack.tokens.buyer });

    expect(record.status).toBe(200);
    expect(record.json).toMatchObject({ id: tenderId, owner: 'buyer-1', framework: { id: 'carmo-education', version: 3 } });
    expect(record.json.request.title).toBe(example('commune').title);
    expect(list.json.items.map((t: any) => t.id)).toEqual([tenderId]);
    expect(list.json.items[0].recheck).toEqual({ changed: false, blocking: false, added: 0, removed: 0 });
  });

  it('GET /tenders/{id}/documents/{name} redirects to a short-lived URL; an unknown name is a 404', async () => {
    const res = await hit('GET /tenders/{id}/documents/{name}', 'GET', `/tenders/${tenderId}/documents/report.json`, { token: stack.tokens.buyer });
    const missing = await stack.call('GET', `/tenders/${tenderId}/documents/other.pdf`, { token: stack.tokens.buyer });

    expect(res.status).toBe(302);
    const report = await (await fetch(res.headers.get('location')!)).json();
    expect(report.title).toBe(frenchApostrophes(example('commune').title));
    expect(new URL(res.headers.get('location')!).searchParams.get('X-Amz-Expires')).toBe('300');
    expectProblemShape(missing, 404);
  });

  it('GET /tenders/{id}/documents/{name} with Accept: application/json answers the link as JSON to its owner only', async () => {
    const accept = { accept: 'application/json' };
    const before = Date.now();
    const owner = await stack.call('GET', `/tenders/${tenderId}/documents/report.json`, { token: stack.tokens.buyer, headers: accept });
    const other = await stack.call('GET', `/tenders/${tenderId}/documents/report.json`, { token: stack.tokens.otherBuyer, headers: accept });
    const anonymous = await stack.call('GET', `/tenders/${tenderId}/documents/report.json`, { headers: accept });
    const browser = await stack.call('GET', `/tenders/${tenderId}/documents/report.json`, {
      token: stack.tokens.buyer,
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    const refused = await stack.call('GET', `/tenders/${tenderId}/documents/report.json`, { token: stack.tokens.buyer, headers: { accept: 'application/json;q=0' } });

    expect(owner.status).toBe(200);
    expect(owner.headers.get('content-type')).toMatch(/^application\/json/);
    expect(owner.headers.get('vary')).toMatch(/accept/i);
    expect(owner.headers.get('location')).toBeNull();
    expect(Object.keys(owner.json).sort()).toEqual(['expiresAt', 'name', 'url']);
    expect(owner.json.name).toBe('report.json');
    const url = new URL(owner.json.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const expiresIn = Date.parse(owner.json.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60 * 1000 + 5_000);
    const report = await (await fetch(owner.json.url)).json();
    expect(report.title).toBe(frenchApostrophes(example('commune').title));
    expectProblemShape(other, 404);
    expectProblemShape(anonymous, 401);
    expect(browser.status).toBe(302);
    expect(refused.status).toBe(302);
  });

  it('GET /tenders/{id}/dce answers the DCE’s bordereau with a link to each piece (a PDF inline), the bytes of the zip; a tender without the DCE is a 404', async () => {
    const created = await stack.call('POST', '/tenders?formats=dce', { token: stack.tokens.buyer, body: { ...example('commune'), title: 'Dossier complet' } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const early = await stack.call('GET', `/tenders/${id}/dce`, { token: stack.tokens.buyer });
    await stack.documentJobs.settled();
    // Every PutObject the API sends to the bucket from now on: the documents job stored the pieces, readings write none.
    const puts: string[] = [];
    stack.composition.clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand') puts.push(String((args.input as { Key?: string }).Key));
        return next(args);
      },
      { step: 'initialize', name: 'countDcePuts' },
    );

    const res = await hit('GET /tenders/{id}/dce', 'GET', `/tenders/${id}/dce`, { token: stack.tokens.buyer });
    const other = await stack.call('GET', `/tenders/${id}/dce`, { token: stack.tokens.otherBuyer });
    const withoutDce = await stack.call('GET', `/tenders/${tenderId}/dce`, { token: stack.tokens.buyer });

    expect([200, 409]).toContain(early.status);
    expect(res.status, res.text).toBe(200);
    const zipLink = await stack.call('GET', `/tenders/${id}/documents/dce.zip`, { token: stack.tokens.buyer, headers: { accept: 'application/json' } });
    const zip = unzipSync(new Uint8Array(await (await fetch(zipLink.json.url)).arrayBuffer()));
    const manifest = JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8'));
    expect(res.json.files.map(({ url, expiresAt, ...entry }: { url: string; expiresAt: string }) => entry)).toEqual(manifest.files);
    for (const piece of res.json.files as Array<{ name: string; mediaType: string; sha256: string; url: string }>) {
      const download = await fetch(piece.url);
      expect(download.status, piece.name).toBe(200);
      expect(download.headers.get('content-disposition'), piece.name).toMatch(new RegExp(`^${piece.mediaType === 'application/pdf' ? 'inline' : 'attachment'}; filename="${piece.name}"`));
      expect(createHash('sha256').update(new Uint8Array(await download.arrayBuffer())).digest('hex'), piece.name).toBe(piece.sha256);
    }
    // Asked again: the same pieces, fresh links; neither reading wrote to the bucket.
    const again = await stack.call('GET', `/tenders/${id}/dce`, { token: stack.tokens.buyer });
    stack.composition.clients.s3.middlewareStack.remove('countDcePuts');
    expect(again.json.files.map((f: { sha256: string }) => f.sha256)).toEqual(manifest.files.map((f: { sha256: string }) => f.sha256));
    expect(puts).toEqual([]);
    expectProblemShape(other, 404);
    expectProblemShape(withoutDce, 404);
  }, 120_000);

  it('POST /tenders/{id}/regenerate rebuilds identical documents', async () => {
    const res = await hit('POST /tenders/{id}/regenerate', 'POST', `/tenders/${tenderId}/regenerate`, { token: stack.tokens.buyer });

    expect(res.status).toBe(200);
    expect(res.json.identical).toBe(true);
    expect(res.json.documents).toHaveLength(3);
  });

  it('POST /tenders/validate returns findings, conformity, the funding estimate and the rule versions it used, and stores nothing', async () => {
    const before = await stack.counts();

    const res = await hit('POST /tenders/validate', 'POST', '/tenders/validate', { token: stack.tokens.buyer, body: example('commune') });

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      blocking: false,
      conformity: { conforming: true },
      funding: { date: example('commune').consultationDate },
      rules: { lawVersion: expect.stringMatching(/^[0-9a-f]{14}$/), fundingVersion: expect.stringMatching(/^[0-9a-f]{14}$/), date: example('commune').consultationDate },
    });
    expect(res.json.rules.records.map((r: { id: string }) => r.id)).toContain('no-publicity.supplies-services');
    expect(await stack.counts()).toEqual(before);
  });

  it('answers 422 with field paths for a schema failure and for an unknown criterion id', async () => {
    const bad = example('commune');
    bad.lots[0].title = 42;
    const unknown = example('commune');
    unknown.lots[0].overrides.push({ criterionId: 'tablet.no-such-thing', excluded: true });

    const schema = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: bad });
    const criterion = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: unknown });

    expectProblemShape(schema, 422);
    expect(schema.json.errors).toEqual([{ path: 'lots.0.title', message: expect.any(String) }]);
    expectProblemShape(criterion, 422);
    expect(criterion.json.errors.map((e: any) => e.path)).toEqual(['lots.0.overrides.1.criterionId']);
  });
});

describe('rules', () => {
  it('POST /tenders answers 422 with the blocking findings and stores nothing; validate reports them with 200', async () => {
    const blocked = example('commune');
    blocked.awardCriteria[0].weight = 10;
    const before = await stack.counts();

    const res = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: blocked });
    const dryRun = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: blocked });

    expectProblemShape(res, 422);
    expect(res.json.type).toBe('urn:cahier:problem:rules-blocked');
    expect(res.json.findings).toContainEqual(expect.objectContaining({ code: 'AWARD_WEIGHTS_SUM', severity: 'error' }));
    expect(dryRun.status).toBe(200);
    expect(dryRun.json.blocking).toBe(true);
    expect(await stack.counts()).toEqual(before);
  });
});

describe('protocol errors', () => {
  it('refuses a 300 KB body with 413 before parsing it', async () => {
    const body = JSON.stringify({ ...example('commune'), context: 'x'.repeat(300 * 1024) });
    const before = await stack.counts();

    const res = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body });

    expectProblemShape(res, 413);
    expect(await stack.counts()).toEqual(before);
  });

  it('answers 400 for malformed JSON, 415 for another media type, 404 and 405 off the table', async () => {
    const malformed = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: '{"title": ' });
    const form = await stack.call('POST', '/tenders/validate', { token: stack.tokens.buyer, body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const nowhere = await stack.call('GET', '/nowhere');
    const wrongMethod = await stack.call('DELETE', '/criteria/laptop.ram', { token: stack.tokens.editor });

    expectProblemShape(malformed, 400);
    expectProblemShape(form, 415);
    expectProblemShape(nowhere, 404);
    expectProblemShape(wrongMethod, 405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, PUT, HEAD, OPTIONS');
  });
});

describe('catalogue conformity routes', () => {
  const csv = 'reference;fournisseur;marque;modele;article;tablet.storage.user\nT-1;F;M;X;tablet;64 Go\n';

  it('POST /catalogues/check answers the report of a CSV catalogue', async () => {
    const res = await hit('POST /catalogues/check', 'POST', '/catalogues/check?framework=carmo-education&version=2', { token: stack.tokens.catalogueManager, body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.json.products).toHaveLength(1);
    expect(res.json.products[0].checks.find((c: { criterionId: string }) => c.criterionId === 'tablet.storage.user').verdict).toBe('conform');
  });

  it('POST, GET and DELETE /catalogues store a catalogue, list it, link its report and delete it; its item template downloads', async () => {
    const created = await hit('POST /catalogues', 'POST', '/catalogues?framework=carmo-education&version=2&name=Routes', { token: stack.tokens.catalogueManager, body: csv, headers: { 'content-type': 'text/csv' } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const listed = await hit('GET /catalogues', 'GET', '/catalogues', { token: stack.tokens.catalogueManager });
    expect(listed.json.items.map((c: { id: string }) => c.id)).toContain(id);
    const read = await hit('GET /catalogues/{id}', 'GET', `/catalogues/${id}`, { token: stack.tokens.editor });
    expect(read.json.totals.total).toBe(1);
    const link = await hit('GET /catalogues/{id}/report/{format}', 'GET', `/catalogues/${id}/report/json`, { token: stack.tokens.catalogueManager, headers: { accept: 'application/json' } });
    expect(link.json.name).toBe(`conformite-${id}.json`);
    const report = await hit('GET /catalogues/{id}/report', 'GET', `/catalogues/${id}/report`, { token: stack.tokens.catalogueManager });
    expect(report.json.products.map((p: { reference: string }) => p.reference)).toEqual(['T-1']);
    const template = await hit('GET /frameworks/{id}/templates/{article}', 'GET', '/frameworks/carmo-education/templates/tablet', { token: stack.tokens.catalogueManager });
    expect(template.status).toBe(200);
    const deleted = await hit('DELETE /catalogues/{id}', 'DELETE', `/catalogues/${id}`, { token: stack.tokens.catalogueManager });
    expect(deleted.status).toBe(204);
  });

  it('POST /frameworks/{id}/impact compares two versions over a JSON catalogue', async () => {
    const products = [{ reference: 'T-1', supplier: 'F', brand: 'M', model: 'X', item: 'tablet', attributes: { 'tablet.storage.user': '64 Go' } }];
    const res = await hit('POST /frameworks/{id}/impact', 'POST', '/frameworks/carmo-education/impact', { token: stack.tokens.editor, body: { version: 1, compareTo: 2, products } });
    expect(res.status).toBe(200);
    expect(res.json.from).toEqual({ id: 'carmo-education', version: 1 });
    expect(res.json.to).toEqual({ id: 'carmo-education', version: 2 });
    expect(res.json.criteria.length).toBeGreaterThan(0);
  });

  it('GET /frameworks/{id}/criteria.xlsx exports the criteria sheet, and POST /frameworks/{id}/criteria-import takes it back unchanged (test/api/criteria-sheet.test.ts has the rest)', async () => {
    const sheet = await hit('GET /frameworks/{id}/criteria.xlsx', 'GET', '/frameworks/carmo-education/criteria.xlsx', { token: stack.tokens.buyer });
    const bytes = Buffer.from(await (await fetch(`${stack.url}/frameworks/carmo-education/criteria.xlsx`, { headers: { authorization: `Bearer ${stack.tokens.buyer}` } })).arrayBuffer());
    const imported = await hit('POST /frameworks/{id}/criteria-import', 'POST', '/frameworks/carmo-education/criteria-import?reason=Relecture', {
      token: stack.tokens.editor,
      body: bytes,
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-disposition')).toMatch(/^attachment; filename="carmo-education-v\d+-criteres.xlsx"$/);
    expect(imported.status).toBe(200);
    expect(imported.json.written).toEqual([]);
  });

  it('GET /audit lists the latest edits', async () => {
    const res = await hit('GET /audit', 'GET', '/audit', { token: stack.tokens.buyer });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.json.items)).toBe(true);
  });
});

describe('draft routes', () => {
  it('POST /drafts, GET /drafts, GET /drafts/{id}, PUT /drafts/{id} and DELETE /drafts/{id} keep a named draft (test/api/drafts.test.ts has the rest)', async () => {
    const token = stack.tokens.buyer;
    const created = await hit('POST /drafts', 'POST', '/drafts', { token, body: { name: 'Brouillon', request: { schemaVersion: 2 } } });
    expect(created.status).toBe(201);
    const path = `/drafts/${created.json.id}`;
    expect((await hit('GET /drafts', 'GET', '/drafts', { token })).json.items.map((d: any) => d.id)).toContain(created.json.id);
    const read = await hit('GET /drafts/{id}', 'GET', path, { token });
    expect(read.status).toBe(200);
    const put = await hit('PUT /drafts/{id}', 'PUT', path, { token, headers: { 'if-match': read.headers.get('etag')! }, body: { name: 'Renommé', request: read.json.request } });
    expect(put.status).toBe(200);
    expect((await hit('DELETE /drafts/{id}', 'DELETE', path, { token, headers: { 'if-match': put.headers.get('etag')! } })).status).toBe(204);
  });
});

describe('offer routes', () => {
  it('POST /tenders/{id}/bids, GET /tenders/{id}/bids, GET /tenders/{id}/conformity, PUT and GET /tenders/{id}/marks and POST /tenders/{id}/analysis take a bid from upload to the RAO; DELETE /tenders/{id}/bids/{bidId} withdraws one', async () => {
    const { tender } = await evaluatedExample('commune');
    const bid = await buildBid(tender, { id: 'acme', name: 'ACME Éducation', siret: SIRETS[0], tenderId, lots: { 1: { unitPrice: () => 100 } } });
    const file = (f: { name: string; bytes: Uint8Array }) => ({ name: f.name, content: Buffer.from(f.bytes).toString('base64') });
    const uploaded = await hit('POST /tenders/{id}/bids', 'POST', `/tenders/${tenderId}/bids`, {
      token: stack.tokens.buyer,
      body: { bidder: bid.bidder, matrix: file(bid.matrix), prices: file(bid.prices) },
    });
    expect(uploaded.status, uploaded.text).toBe(201);
    const listed = await hit('GET /tenders/{id}/bids', 'GET', `/tenders/${tenderId}/bids`, { token: stack.tokens.buyer });
    expect(listed.json.items.map((b: { bidder: { id: string } }) => b.bidder.id)).toEqual(['acme']);
    const checked = await hit('GET /tenders/{id}/conformity', 'GET', `/tenders/${tenderId}/conformity`, { token: stack.tokens.buyer });
    expect(checked.status, checked.text).toBe(200);
    expect(checked.json.lots[0].offers.map((o: { bid: string; status: string }) => [o.bid, o.status])).toEqual([['acme', 'conforming']]);
    expect(checked.json.marksNeeded.map((m: { lot: number; bid: string; criterion: number; subCriterion?: number }) => ({ lot: m.lot, bid: m.bid, criterion: m.criterion, subCriterion: m.subCriterion }))).toEqual(
      expectedMarks(tender.lots[0]!, ['acme']).map((m) => ({ lot: m.lot, bid: m.bid, criterion: m.criterion, subCriterion: m.subCriterion })),
    );
    const marks = checked.json.marksNeeded.map((m: { lot: number; bid: string; criterion: number; subCriterion?: number }) => ({
      lot: m.lot,
      bid: m.bid,
      criterion: m.criterion,
      ...(m.subCriterion === undefined ? {} : { subCriterion: m.subCriterion }),
      grade: 'satisfactory',
      justification: 'Mémoire technique clair et complet sur ce critère.',
    }));
    const recorded = await hit('PUT /tenders/{id}/marks', 'PUT', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer, body: { marks } });
    expect(recorded.json).toEqual({ marks: marks.length, award: false, letters: false });
    const readBack = await hit('GET /tenders/{id}/marks', 'GET', `/tenders/${tenderId}/marks`, { token: stack.tokens.buyer });
    expect(readBack.status, readBack.text).toBe(200);
    expect(readBack.json.marks).toEqual(marks);
    const analysis = await hit('POST /tenders/{id}/analysis', 'POST', `/tenders/${tenderId}/analysis`, { token: stack.tokens.buyer });
    expect(analysis.status, analysis.text).toBe(200);
    expect(analysis.json.summary.lots[0].proposed.bid).toBe('acme');
    expect(analysis.json.documents.map((d: { name: string }) => d.name)).toEqual(['analyse.json', 'rao-lot-1.pdf', 'rao-lot-1.docx']);
    const withdrawn = await hit('DELETE /tenders/{id}/bids/{bidId}', 'DELETE', `/tenders/${tenderId}/bids/acme?reason=${encodeURIComponent('Offre remise hors délai')}`, { token: stack.tokens.buyer });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.json.withdrawal.reason).toBe('Offre remise hors délai');
  }, 120_000);
});

describe('coverage', () => {
  it('exercised the happy path of every route of the table', () => {
    expect([...covered].sort()).toEqual(ROUTES.map(routeKey).sort());
  });
});
