import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

let stack: ApiStack;
const example = JSON.parse(readFileSync(new URL('../../examples/departement-colleges-trois-lots-v2.json', import.meta.url), 'utf8')) as Record<string, any>;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

function incomplete() {
  const request = structuredClone(example);
  request.title = '';
  delete request.buyer.name;
  request.lots[0].award = [];
  return request;
}

async function create(name: string, request: unknown = incomplete(), token = stack.tokens.buyer) {
  const res = await stack.call('POST', '/drafts', { token, body: { name, request } });
  expect(res.status).toBe(201);
  return res;
}

describe('a buyer’s named drafts', () => {
  it('saves an incomplete request, lists it, reopens it whole, saves it again under If-Match and deletes it', async () => {
    const created = await create('Collèges 2027 — brouillon');
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/drafts/${created.json.id}`);
    expect(created.json).toMatchObject({ name: 'Collèges 2027 — brouillon', status: 'incomplete', version: 1 });
    expect(created.json.owner).toBeUndefined();

    const read = await stack.call('GET', `/drafts/${created.json.id}`, { token: stack.tokens.buyer });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.json.request).toEqual(incomplete());

    const saved = await stack.call('PUT', `/drafts/${created.json.id}`, {
      token: stack.tokens.buyer,
      headers: { 'if-match': read.headers.get('etag')! },
      body: { name: 'Collèges 2027 — complet', request: example },
    });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    expect(saved.json).toMatchObject({ name: 'Collèges 2027 — complet', status: 'ready', version: 2 });

    const listed = await stack.call('GET', '/drafts?q=colleges%20COMPLET', { token: stack.tokens.buyer });
    expect(listed.status).toBe(200);
    expect(listed.json.items).toEqual([expect.objectContaining({ id: created.json.id, name: 'Collèges 2027 — complet', title: example.title, status: 'ready', version: 2 })]);
    expect(listed.json.items[0].request).toBeUndefined();
    expect((await stack.call('GET', '/drafts?q=lycées', { token: stack.tokens.buyer })).json.items).toEqual([]);
    expect((await stack.call('GET', '/drafts?status=incomplete', { token: stack.tokens.buyer })).json.items.map((d: any) => d.id)).not.toContain(created.json.id);

    const deleted = await stack.call('DELETE', `/drafts/${created.json.id}`, { token: stack.tokens.buyer, headers: { 'if-match': '"2"' } });
    expect(deleted.status).toBe(204);
    expectProblemShape(await stack.call('GET', `/drafts/${created.json.id}`, { token: stack.tokens.buyer }), 404);
  });

  it('answers 428 without If-Match and 412 to a stale version, writing nothing', async () => {
    const { json: draft } = await create('Concurrence');
    const first = await stack.call('PUT', `/drafts/${draft.id}`, { token: stack.tokens.buyer, headers: { 'if-match': '"1"' }, body: { name: 'Premier', request: incomplete() } });
    expect(first.status).toBe(200);
    const before = await stack.counts();

    const none = await stack.call('PUT', `/drafts/${draft.id}`, { token: stack.tokens.buyer, body: { name: 'Sans condition', request: incomplete() } });
    const create0 = await stack.call('PUT', `/drafts/${draft.id}`, { token: stack.tokens.buyer, headers: { 'if-none-match': '*' }, body: { name: 'Créer', request: incomplete() } });
    const stale = await stack.call('PUT', `/drafts/${draft.id}`, { token: stack.tokens.buyer, headers: { 'if-match': '"1"' }, body: { name: 'Second', request: incomplete() } });
    const staleDelete = await stack.call('DELETE', `/drafts/${draft.id}`, { token: stack.tokens.buyer, headers: { 'if-match': '"1"' } });
    const deleteWithout = await stack.call('DELETE', `/drafts/${draft.id}`, { token: stack.tokens.buyer });

    expectProblemShape(none, 428);
    expectProblemShape(create0, 428);
    expectProblemShape(stale, 412);
    expectProblemShape(staleDelete, 412);
    expectProblemShape(deleteWithout, 428);
    expect(await stack.counts()).toEqual(before);
    expect((await stack.call('GET', `/drafts/${draft.id}`, { token: stack.tokens.buyer })).json).toMatchObject({ name: 'Premier', version: 2 });
  });

  it('refuses a wrong value with its field path and writes nothing, while an incomplete one is kept', async () => {
    const before = await stack.counts();
    const wrong = structuredClone(incomplete());
    wrong.buyer.siret = '123 456';
    wrong.procedure = 'appel-d-offres';
    wrong.lots[1].items = 'tablettes';
    const res = await stack.call('POST', '/drafts', { token: stack.tokens.buyer, body: { name: 'Erroné', request: wrong } });
    const luhn = structuredClone(incomplete());
    luhn.buyer.siret = '21269990400019';
    const wrongKey = await stack.call('POST', '/drafts', { token: stack.tokens.buyer, body: { name: 'Clé fausse', request: luhn } });
    const noName = await stack.call('POST', '/drafts', { token: stack.tokens.buyer, body: { name: '  ', request: incomplete() } });
    const extra = await stack.call('POST', '/drafts', { token: stack.tokens.buyer, body: { name: 'Extra', request: incomplete(), owner: 'buyer-2' } });

    expectProblemShape(res, 422);
    expect([...new Set(res.json.errors.map((e: any) => e.path))].sort()).toEqual(['request.buyer.siret', 'request.lots.1.items', 'request.procedure']);
    expectProblemShape(wrongKey, 422);
    expect(wrongKey.json.errors).toEqual([{ path: 'request.buyer.siret', message: expect.stringMatching(/check digit/) }]);
    expectProblemShape(noName, 422);
    expect(noName.json.errors.map((e: any) => e.path)).toEqual(['name']);
    expectProblemShape(extra, 422);
    expect(await stack.counts()).toEqual(before);
  });

  it('keeps each buyer’s drafts to that buyer: another buyer gets 404 and an empty list', async () => {
    const { json: draft } = await create('Privé');
    const other = stack.tokens.otherBuyer;
    expectProblemShape(await stack.call('GET', `/drafts/${draft.id}`, { token: other }), 404);
    expectProblemShape(await stack.call('PUT', `/drafts/${draft.id}`, { token: other, headers: { 'if-match': '"1"' }, body: { name: 'Volé', request: incomplete() } }), 404);
    expectProblemShape(await stack.call('DELETE', `/drafts/${draft.id}`, { token: other, headers: { 'if-match': '"1"' } }), 404);
    expect((await stack.call('GET', '/drafts', { token: other })).json.items).toEqual([]);
    expect((await stack.call('GET', `/drafts/${draft.id}`, { token: stack.tokens.buyer })).json.name).toBe('Privé');
  });

  it('admits buyers only, on every route', async () => {
    for (const [method, path] of [['GET', '/drafts'], ['POST', '/drafts'], ['GET', '/drafts/draft-00000001'], ['PUT', '/drafts/draft-00000001'], ['DELETE', '/drafts/draft-00000001']] as const) {
      const options = { headers: { 'if-match': '"1"' }, ...(method === 'GET' ? {} : { body: { name: 'x', request: {} } }) };
      expectProblemShape(await stack.call(method, path, { ...options, token: stack.tokens.editor }), 403);
      expectProblemShape(await stack.call(method, path, { ...options, token: stack.tokens.catalogueManager }), 403);
      expectProblemShape(await stack.call(method, path, options), 401);
    }
  });
});
