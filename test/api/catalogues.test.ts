import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';
import { productWorkbook, withMacros } from '../support/product-workbook.ts';
import { declareSize } from '../offers/support/zip.ts';
import { example } from '../support/pipeline.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// CommonJS packages whose default export TypeScript's NodeNext interop does not see as constructable.
const require = createRequire(import.meta.url);
const Ajv2020: typeof import('ajv/dist/2020.js').default = require('ajv/dist/2020.js');
const addFormats: typeof import('ajv-formats').default = require('ajv-formats');

/** The 200 schema the served OpenAPI document declares for an operation, compiled (JSON Schema 2020-12, as the document's dialect). */
async function responseValidator(path: string, method: string) {
  const doc = (await stack.call('GET', '/openapi.json')).json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'https://cahier.invalid/openapi.json', components: doc.components });
  const schema = doc.paths[path][method].responses['200'].content['application/json'].schema;
  expect(schema.$ref, `${method} ${path} declares its answer`).toBeDefined();
  return ajv.compile({ $ref: `https://cahier.invalid/openapi.json${schema.$ref}` });
}

let stack: ApiStack;
const sample = readFileSync(new URL('../../examples/catalogue/catalogue-centrale.csv', import.meta.url), 'utf8');
const expected = JSON.parse(readFileSync(new URL('../../examples/catalogue/catalogue-centrale.expected.json', import.meta.url), 'utf8')) as Record<string, string>;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('POST /catalogues/check', () => {
  it('checks a CSV catalogue against framework version 2, which its columns describe, for a catalogue manager, writing nothing', async () => {
    const before = await stack.counts();
    const res = await stack.call('POST', '/catalogues/check?framework=carmo-education&version=2', { token: stack.tokens.catalogueManager, body: sample, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.json.framework).toEqual({ id: 'carmo-education', version: 2, reference: 'CARMO 3.0.1 et préconisations du ministère' });
    expect(Object.fromEntries(res.json.products.map((p: { reference: string; verdict: string }) => [p.reference, p.verdict]))).toEqual(expected);
    expect(await stack.counts()).toEqual(before);
  });

  it('answers the report as CSV with ?format=csv', async () => {
    const res = await stack.call('POST', '/catalogues/check?framework=carmo-education&version=2&format=csv', { token: stack.tokens.editor, body: sample, headers: { 'content-type': 'text/csv; charset=utf-8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.text.split('\r\n')[0]).toMatch(/^\ufeff?référence;fournisseur;/);
    expect(res.text.trim().split('\r\n')).toHaveLength(Object.keys(expected).length + 1);
  });

  it('refuses a malformed file with the line and column of each problem (422), and a buyer with 403', async () => {
    const bad = 'reference;fournisseur;marque;modele;article;tablet.storage.user\nA;F;M;X;tablet;64 h\n';
    const res = await stack.call('POST', '/catalogues/check?framework=carmo-education', { token: stack.tokens.catalogueManager, body: bad, headers: { 'content-type': 'text/csv' } });
    expectProblemShape(res, 422);
    expect(res.json.errors).toEqual([{ path: 'rows.2.tablet.storage.user', message: 'unit « h » does not convert to Go (expected Mo, Go, To)' }]);
    const buyer = await stack.call('POST', '/catalogues/check?framework=carmo-education', { token: stack.tokens.buyer, body: bad, headers: { 'content-type': 'text/csv' } });
    expectProblemShape(buyer, 403);
    const unknown = await stack.call('POST', '/catalogues/check?framework=nothing', { token: stack.tokens.catalogueManager, body: bad, headers: { 'content-type': 'text/csv' } });
    expect(unknown.json.errors).toEqual([{ path: 'framework', message: 'unknown framework nothing' }]);
  });

  it('checks an .xlsx product sheet as it checks the same products in CSV', async () => {
    const before = await stack.counts();
    const body = Buffer.from(await productWorkbook(sample));
    const res = await stack.call('POST', '/catalogues/check?framework=carmo-education&version=2', { token: stack.tokens.catalogueManager, body, headers: { 'content-type': XLSX } });
    expect(res.status).toBe(200);
    const csv = await stack.call('POST', '/catalogues/check?framework=carmo-education&version=2', { token: stack.tokens.catalogueManager, body: sample, headers: { 'content-type': 'text/csv' } });
    expect(res.json).toEqual(csv.json);
    expect(await stack.counts()).toEqual(before);
  });

  it('refuses a hostile workbook: macros 415, beyond the body bound 413, a formula where a value is expected 422, storing nothing', async () => {
    const before = await stack.counts();
    const csv = 'reference;fournisseur;marque;modele;article;tablet.storage.user (Go)\nA;F;M;X;tablet;64\n';
    const post = async (body: Uint8Array, type = XLSX) =>
      stack.call('POST', '/catalogues/check?framework=carmo-education', { token: stack.tokens.catalogueManager, body: Buffer.from(body), headers: { 'content-type': type } });
    const macros = await post(withMacros(await productWorkbook(csv)));
    expectProblemShape(macros, 415);
    expect(macros.json).toMatchObject({ type: 'urn:cahier:problem:product-file-unsupported', errors: [{ path: 'catalogue.xlsx', message: expect.stringMatching(/^the workbook contains macros/) }] });
    expectProblemShape(await post(await productWorkbook(csv), 'application/vnd.ms-excel.sheet.macroEnabled.12'), 415);
    expectProblemShape(await post(new Uint8Array(300 * 1024)), 413);
    // Within the body bound, a workbook whose sheet would expand beyond its bound: too large too
    const bomb = declareSize(await productWorkbook(csv), 'xl/worksheets/sheet1.xml', 200 * 1024 * 1024);
    const expanded = await post(bomb);
    expectProblemShape(expanded, 413);
    expect(expanded.json.type).toBe('urn:cahier:problem:product-file-too-large');
    const formula = await post(await productWorkbook(csv, { formula: 'A:tablet.storage.user (Go)' }));
    expectProblemShape(formula, 422);
    expect(formula.json.errors).toEqual([{ path: 'Produits!rows.2.tablet.storage.user (Go)', message: 'a formula (=4*16) where a value is expected; type the value itself' }]);
    const bad = await post(await productWorkbook(csv.replace(';64', ';64 h')));
    expect(bad.json.errors).toEqual([{ path: 'Produits!rows.2.tablet.storage.user (Go)', message: 'unit « h » does not convert to Go (expected Mo, Go, To)' }]);
    expect(await stack.counts()).toEqual(before);
  });
});

describe('POST /frameworks/{id}/impact', () => {
  it('lists the products a tightened threshold would exclude, for an editor only', async () => {
    const storage = (await stack.call('GET', '/criteria/tablet.storage.user', { token: stack.tokens.editor })).json;
    const body = { version: 2, changes: [{ id: 'tablet.storage.user', metric: { ...storage.metric, value: 64 } }], csv: sample };
    const res = await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.editor, body });
    expect(res.status).toBe(200);
    expect(res.json.to).toEqual({ id: 'carmo-education', version: 'draft' });
    expect(res.json.criteria.map((c: { criterionId: string; changes: string[] }) => [c.criterionId, c.changes])).toEqual([['tablet.storage.user', ['tightened']]]);
    expect(res.json.losing.length).toBeGreaterThan(0);
    expect(res.json.losing.every((c: { reference: string; after: string }) => c.reference.startsWith('TAB-') && c.after === 'not-conform')).toBe(true);
    expect(res.json.after.conform).toBe(res.json.before.conform - res.json.losing.length);
    expectProblemShape(await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.catalogueManager, body }), 403);
  });

  it('lists exactly the products a tightened tablet storage excludes, and the stored tenders and drafts of every buyer pinning the version it replaces', async () => {
    // Independently of the checker: the tablets conform at version 2 whose storage (Mo or Go) is under the new 64 Go.
    const storageColumn = sample.split('\n')[0]!.split(';').indexOf('tablet.storage.user');
    const gigabytes = (text: string) => (text.endsWith(' Mo') ? Number(text.slice(0, -3)) / 1000 : text.endsWith(' Go') ? Number(text.slice(0, -3)) : Number.NaN);
    const excluded = sample
      .split('\n')
      .slice(1)
      .map((line) => line.split(';'))
      .filter((cells) => cells[0]!.startsWith('TAB-') && expected[cells[0]!] === 'conform' && gigabytes(cells[storageColumn]!) < 64)
      .map((cells) => cells[0]!)
      .sort();
    expect(excluded.length).toBeGreaterThan(0);

    const tender = async (token: string, version: number, title: string, buyer = example('commune').buyer.name) => {
      const request = example('commune');
      const res = await stack.call('POST', '/tenders', { token, body: { ...request, title, buyer: { ...request.buyer, name: buyer }, framework: { id: 'carmo-education', version } } });
      expect(res.status, res.text).toBe(201);
      return res.json as { id: string; createdAt: string };
    };
    const first = await tender(stack.tokens.buyer, 2, 'Tablettes des écoles (version 2)');
    const second = await tender(stack.tokens.otherBuyer, 2, 'Classes mobiles du collège (version 2)', 'Département de l’Eure');
    await tender(stack.tokens.buyer, 3, 'Tablettes des écoles (version 3)');
    const draft = async (token: string, version: number) => {
      const res = await stack.call('POST', '/drafts', { token, body: { name: `Brouillon v${version}`, request: { ...example('commune'), framework: { id: 'carmo-education', version } } } });
      expect(res.status, res.text).toBe(201);
    };
    await draft(stack.tokens.otherBuyer, 2);
    await draft(stack.tokens.buyer, 3);

    const storage = (await stack.call('GET', '/criteria/tablet.storage.user', { token: stack.tokens.editor })).json;
    const body = { version: 2, changes: [{ id: 'tablet.storage.user', metric: { ...storage.metric, value: 64 } }], csv: sample };
    const before = await stack.counts();
    const res = await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.editor, body });

    expect(res.status).toBe(200);
    expect(res.json.losing.map((c: { reference: string }) => c.reference).sort()).toEqual(excluded);
    expect(res.json.gaining).toEqual([]);
    expect(res.json.pinned).toEqual({ id: 'carmo-education', version: 2 });
    const buyer = example('commune').buyer.name;
    expect(res.json.tenders).toEqual(
      [
        { id: first.id, title: 'Tablettes des écoles (version 2)', buyer, createdAt: first.createdAt, status: 'ready' },
        { id: second.id, title: 'Classes mobiles du collège (version 2)', buyer: 'Département de l’Eure', createdAt: second.createdAt, status: 'ready' },
      ].sort((a, b) => `${b.createdAt}#${b.id}`.localeCompare(`${a.createdAt}#${a.id}`)),
    );
    expect(res.json.tendersTruncated).toBe(false);
    expect(res.json.drafts).toEqual({ count: 1, incomplete: 0, ready: 1 });
    // The answer is what the OpenAPI document declares, every field (objects closed).
    const validate = await responseValidator('/frameworks/{id}/impact', 'post');
    expect(validate(res.json), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...res.json, undeclared: true })).toBe(false);
    expect(await stack.counts()).toEqual(before);
    // Every buyer's work is the ministry's editors' to see: a buyer is refused, as a catalogue manager is.
    expectProblemShape(await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.buyer, body }), 403);
  });

  it('reads the catalogue from an .xlsx workbook (base64) through the bounded reader: same products lost as from the CSV; a macro-enabled or bombed workbook refused', async () => {
    const storage = (await stack.call('GET', '/criteria/tablet.storage.user', { token: stack.tokens.editor })).json;
    const changes = [{ id: 'tablet.storage.user', metric: { ...storage.metric, value: 64 } }];
    const xlsx = await productWorkbook(sample);
    const before = await stack.counts();

    const fromCsv = await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.editor, body: { version: 2, changes, csv: sample } });
    const fromXlsx = await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.editor, body: { version: 2, changes, xlsx: Buffer.from(xlsx).toString('base64') } });
    const macro = await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.editor, body: { version: 2, changes, xlsx: Buffer.from(withMacros(xlsx)).toString('base64') } });
    const bomb = declareSize(xlsx, 'xl/worksheets/sheet1.xml', 1024 * 1024 * 1024);
    const bombed = await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.editor, body: { version: 2, changes, xlsx: Buffer.from(bomb).toString('base64') } });
    const both = await stack.call('POST', '/frameworks/carmo-education/impact', { token: stack.tokens.editor, body: { version: 2, changes, csv: sample, xlsx: Buffer.from(xlsx).toString('base64') } });

    expect(fromXlsx.status).toBe(200);
    expect(fromXlsx.json.losing).toEqual(fromCsv.json.losing);
    expect(fromXlsx.json.losing.length).toBeGreaterThan(0);
    expectProblemShape(macro, 415);
    expectProblemShape(bombed, 413);
    expectProblemShape(both, 422);
    expect(await stack.counts()).toEqual(before);
  });
});

describe('GET /audit', () => {
  it('records who changed a criterion, when, why and what, and gives its history to any reader', async () => {
    const read = await stack.call('GET', '/criteria/tablet.ram', { token: stack.tokens.editor });
    const { version: _v, ...draft } = read.json;
    const put = await stack.call('PUT', '/criteria/tablet.ram', {
      token: stack.tokens.editor,
      body: { ...draft, metric: { ...draft.metric, value: 6 }, reason: 'Les usages de 2027 demandent 6 Go' },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(put.status).toBe(200);
    const history = await stack.call('GET', '/audit?kind=criterion&id=tablet.ram', { token: stack.tokens.catalogueManager });
    expect(history.status).toBe(200);
    expect(history.json.items).toHaveLength(1);
    const [entry] = history.json.items;
    expect(entry).toMatchObject({ target: { kind: 'criterion', id: 'tablet.ram', version: put.json.version }, actor: 'editor-1', reason: 'Les usages de 2027 demandent 6 Go' });
    expect(entry.changes).toContainEqual({ field: 'threshold', before: '≥\u00a04\u00a0Go', after: '≥\u00a06\u00a0Go' });
    expect(entry.changes.map((c: { field: string }) => c.field)).toEqual(['threshold', 'metric']);
    const recent = await stack.call('GET', '/audit?limit=5', { token: stack.tokens.buyer });
    expect(recent.json.items[0].target.id).toBe('tablet.ram');
    expectProblemShape(await stack.call('GET', '/audit?kind=criterion', { token: stack.tokens.buyer }), 422);
  });
});
