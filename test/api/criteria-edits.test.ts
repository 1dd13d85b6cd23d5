import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function read(id: string) {
  const res = await stack.call('GET', `/criteria/${id}`, { token: stack.tokens.editor });
  const { version: _version, ...draft } = res.json;
  return { etag: res.headers.get('etag')!, draft, criterion: res.json };
}

/** An editor's write: with a reason, as the API requires, unless the test gives its own (or a body that is not an object). */
function put(id: string, body: unknown, headers: Record<string, string>) {
  const withReason = body !== null && typeof body === 'object' && !Array.isArray(body) && !('reason' in body) ? { reason: 'Relecture du référentiel', ...body } : body;
  return stack.call('PUT', `/criteria/${id}`, { token: stack.tokens.editor, body: withReason, headers });
}

describe('PUT /criteria/{id} text and metric', () => {
  it('answers 422 on requirement to a text that states a number its metric holds, and writes nothing', async () => {
    const { etag, draft } = await read('tablet.storage.user');
    const before = await stack.counts();

    const literal = await put('tablet.storage.user', { ...draft, requirement: 'La tablette dispose d’un espace de stockage utilisateur d’au moins 32 Go.' }, { 'if-match': etag });
    const raised = await put('tablet.storage.user', { ...draft, metric: { ...draft.metric, value: 64 }, requirement: 'Stockage utilisateur {seuil}, soit 64 Go au moins.' }, { 'if-match': etag });

    expectProblemShape(literal, 422);
    expect(literal.json.errors.map((e: any) => e.path)).toEqual(['requirement', 'requirement']);
    expect(literal.json.errors[1].message).toMatch(/states 32, a number its metric holds/);
    expectProblemShape(raised, 422);
    expect(raised.json.errors).toEqual([{ path: 'requirement', message: expect.stringMatching(/states 64/) }]);
    expect(await stack.counts()).toEqual(before);
  });
});

describe('PUT /criteria/{id} preconditions', () => {
  it('answers 428 without If-Match, and for If-Match: *, and writes nothing', async () => {
    const { draft } = await read('tablet.cameras');
    const before = await stack.counts();

    const none = await put('tablet.cameras', draft, {});
    const star = await put('tablet.cameras', draft, { 'if-match': '*' });

    expectProblemShape(none, 428);
    expectProblemShape(star, 428);
    expect(await stack.counts()).toEqual(before);
  });

  it('answers 412 to an editor whose version is stale, and keeps the winner’s change', async () => {
    const { etag, draft } = await read('tablet.cameras');
    const first = await put('tablet.cameras', { ...draft, note: 'Première modification.' }, { 'if-match': etag });

    const stale = await put('tablet.cameras', { ...draft, note: 'Modification concurrente.' }, { 'if-match': etag });

    expect(first.status).toBe(200);
    expectProblemShape(stale, 412);
    expect(stale.json.detail).toContain('latest is 2');
    expect((await read('tablet.cameras')).criterion.note).toBe('Première modification.');
  });

  it('answers 412 to If-None-Match: * on an existing criterion, 412 to a weak or foreign tag, 400 to garbage', async () => {
    const { draft } = await read('tablet.cameras');

    const exists = await put('tablet.cameras', draft, { 'if-none-match': '*' });
    const weak = await put('tablet.cameras', draft, { 'if-match': 'W/"2"' });
    const foreign = await put('tablet.cameras', draft, { 'if-match': '"abc"' });
    const garbage = await put('tablet.cameras', draft, { 'if-match': '2' });

    expectProblemShape(exists, 412);
    expectProblemShape(weak, 412);
    expectProblemShape(foreign, 412);
    expectProblemShape(garbage, 400);
  });

  it('answers 422 for a body that names another criterion or does not fit the schema', async () => {
    const { etag, draft } = await read('tablet.cameras');

    const other = await put('tablet.cameras', { ...draft, id: 'tablet.storage.user' }, { 'if-match': etag });
    const invalid = await put('tablet.cameras', { ...draft, level: 'optional', proof: [] }, { 'if-match': etag });

    expectProblemShape(other, 422);
    expect(other.json.errors[0].path).toBe('id');
    expectProblemShape(invalid, 422);
    expect(invalid.json.errors.map((e: any) => e.path).sort()).toEqual(['level', 'proof']);
  });
});

describe('concurrent editors over HTTP', () => {
  it('50 editors who read the same version: exactly one wins, 49 get 412, no update is lost', async () => {
    const { etag, draft, criterion } = await read('tablet.storage.user');

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => put('tablet.storage.user', { ...draft, note: `Éditeur ${i}` }, { 'if-match': etag })),
    );

    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(49);
    const latest = await read('tablet.storage.user');
    expect(latest.criterion).toEqual(winners[0]!.json);
    const history = await stack.call('GET', '/criteria/tablet.storage.user/versions', { token: stack.tokens.buyer });
    expect(history.json.items.map((c: any) => c.version).slice(-2)).toEqual([criterion.version, criterion.version + 1]);
  });

  it('20 racing editors who read again and retry after each 412: every change lands, versions are contiguous', async () => {
    const { draft, criterion } = await read('tablet.screen.diagonal');

    // All start at once; a loser reads again and retries, as a client following the 412 would.
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        for (;;) {
          const { etag } = await read('tablet.screen.diagonal');
          const res = await put('tablet.screen.diagonal', { ...draft, note: `Éditeur ${i}` }, { 'if-match': etag });
          if (res.status === 200) return;
          expect(res.status).toBe(412);
        }
      }),
    );

    const history = await stack.call('GET', '/criteria/tablet.screen.diagonal/versions', { token: stack.tokens.buyer });
    const versions = history.json.items.map((c: any) => c.version).slice(-21);
    expect(versions).toEqual(Array.from({ length: 21 }, (_, i) => criterion.version + i));
    expect(new Set(history.json.items.slice(-20).map((c: any) => c.note)).size).toBe(20);
  });
});

describe('PUT /items/{id} and PUT /offers/{id}', () => {
  async function latest(kind: 'items' | 'offers', id: string) {
    const res = await stack.call('GET', `/${kind}/${id}/versions`, { token: stack.tokens.editor });
    const { version: _version, ...draft } = res.json.items.at(-1);
    return { etag: res.headers.get('etag')!, draft };
  }

  it('answers 428 without If-Match, 422 with the field path for what does not exist, and writes nothing', async () => {
    const item = await latest('items', 'teacher-laptop');
    const offer = await latest('offers', 'classe-mobile-12');
    const before = await stack.counts();

    const none = await stack.call('PUT', '/items/teacher-laptop', { token: stack.tokens.editor, body: { ...item.draft, reason: 'Relecture' } });
    const unexplained = await stack.call('PUT', '/items/teacher-laptop', { token: stack.tokens.editor, headers: { 'if-match': item.etag }, body: item.draft });
    const unknownCriterion = await stack.call('PUT', '/items/teacher-laptop', {
      token: stack.tokens.editor,
      headers: { 'if-match': item.etag },
      body: { ...item.draft, criteria: ['laptop.inconnu'], reason: 'Relecture' },
    });
    const unknownItem = await stack.call('PUT', '/offers/classe-mobile-12', {
      token: stack.tokens.editor,
      headers: { 'if-match': offer.etag },
      body: { ...offer.draft, items: [{ itemId: 'phablet', quantity: 12 }], reason: 'Relecture' },
    });

    expectProblemShape(none, 428);
    expectProblemShape(unexplained, 422);
    expect(unexplained.json.errors.map((e: any) => e.path)).toEqual(['reason']);
    expectProblemShape(unknownCriterion, 422);
    expect(unknownCriterion.json.errors).toEqual([{ path: 'criteria.0', message: 'unknown criterion "laptop.inconnu"' }]);
    expectProblemShape(unknownItem, 422);
    expect(unknownItem.json.errors).toEqual([{ path: 'items.0.itemId', message: 'unknown item "phablet"' }]);
    expect(await stack.counts()).toEqual(before);
  });

  it('creates an item with If-None-Match: * (201, Location, ETag "1"), answers 412 to a second creation, and 404 for the versions of an unknown item', async () => {
    const item = await latest('items', 'teacher-laptop');
    const body = { ...item.draft, id: undefined, label: 'Ordinateur portable de direction', reason: 'Équiper les directions' };

    const created = await stack.call('PUT', '/items/direction-laptop', { token: stack.tokens.editor, headers: { 'if-none-match': '*' }, body });
    const again = await stack.call('PUT', '/items/direction-laptop', { token: stack.tokens.editor, headers: { 'if-none-match': '*' }, body });
    const unknown = await stack.call('GET', '/items/phablet/versions', { token: stack.tokens.editor });

    expect([created.status, created.headers.get('location'), created.headers.get('etag'), created.json.version]).toEqual([201, '/items/direction-laptop/versions', '"1"', 1]);
    expectProblemShape(again, 412);
    expectProblemShape(unknown, 404);
  });
});
