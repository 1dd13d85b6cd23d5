import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey, type RouteDefinition } from '#src/adapters/http/routes.ts';
import { LocalTokens } from '#src/adapters/local/local-tokens.ts';
import { example } from '../support/pipeline.ts';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

let stack: ApiStack;
let tenderId: string;
let catalogueId: string;

beforeAll(async () => {
  stack = await startApiStack();
  const created = await stack.call('POST', '/tenders', { token: stack.tokens.buyer, body: example('commune') });
  if (created.status !== 201) throw new Error(`fixture tender: ${created.text}`);
  tenderId = created.json.id;
  const catalogue = await stack.call('POST', '/catalogues?framework=carmo-education&name=Fixture', {
    token: stack.tokens.catalogueManager,
    body: 'reference;fournisseur;marque;modele;article;tablet.storage.user (Go)\nT-1;F;M;X;tablet;64\n',
    headers: { 'content-type': 'text/csv' },
  });
  if (catalogue.status !== 201) throw new Error(`fixture catalogue: ${catalogue.text}`);
  catalogueId = catalogue.json.id;
});
afterAll(async () => {
  await stack?.stop();
});

type Identity = 'anonymous' | 'buyer' | 'otherBuyer' | 'editor' | 'catalogueManager';
const IDENTITIES: Identity[] = ['anonymous', 'buyer', 'otherBuyer', 'editor', 'catalogueManager'];

/**
 * One request per route, and the status an authorized caller gets. Writes are sent so that they
 * stop at a precondition or a validation (nothing is written), which proves the caller got past
 * authorization without changing the data the other cells read.
 */
const REQUESTS: Record<string, { path: () => string; body?: unknown; allowed: number; headers?: Record<string, string> }> = {
  'GET /health': { path: () => '/health', allowed: 200 },
  'GET /openapi.json': { path: () => '/openapi.json', allowed: 200 },
  'GET /frameworks': { path: () => '/frameworks', allowed: 200 },
  'GET /frameworks/{id}': { path: () => '/frameworks/carmo-education', allowed: 200 },
  'POST /frameworks/{id}/versions': { path: () => '/frameworks/carmo-education/versions', body: { version: 9 }, allowed: 422 },
  'GET /frameworks/{id}/publication': { path: () => '/frameworks/carmo-education/publication', allowed: 200 },
  'GET /frameworks/{id}/versions/{version}/changelog': { path: () => '/frameworks/carmo-education/versions/3/changelog', allowed: 200 },
  'GET /frameworks/{id}/versions/{version}/changelog.pdf': { path: () => '/frameworks/carmo-education/versions/3/changelog.pdf', allowed: 200 },
  'GET /frameworks/{id}/criteria.xlsx': { path: () => '/frameworks/carmo-education/criteria.xlsx', allowed: 200 },
  // Without a reason: stops at validation, before the file is read.
  'POST /frameworks/{id}/criteria-import': { path: () => '/frameworks/carmo-education/criteria-import', body: {}, allowed: 422 },
  'GET /criteria': { path: () => '/criteria?category=tablet', allowed: 200 },
  'GET /criteria/{id}': { path: () => '/criteria/tablet.storage.user', allowed: 200 },
  'GET /criteria/{id}/versions': { path: () => '/criteria/tablet.storage.user/versions', allowed: 200 },
  'PUT /criteria/{id}': { path: () => '/criteria/tablet.storage.user', body: {}, allowed: 428 },
  'GET /offers': { path: () => '/offers', allowed: 200 },
  // Item and offer versions are the editors' alone, reads included.
  'GET /items/{id}/versions': { path: () => '/items/tablet/versions', allowed: 200 },
  'PUT /items/{id}': { path: () => '/items/tablet', body: {}, allowed: 428 },
  'GET /offers/{id}/versions': { path: () => '/offers/classe-mobile-16/versions', allowed: 200 },
  'PUT /offers/{id}': { path: () => '/offers/classe-mobile-16', body: {}, allowed: 428 },
  'POST /frameworks/{id}/impact': { path: () => '/frameworks/carmo-education/impact', body: {}, allowed: 422 },
  'POST /catalogues/check': { path: () => '/catalogues/check?framework=carmo-education', body: {}, allowed: 422 },
  'POST /catalogues': { path: () => '/catalogues?framework=carmo-education&name=x', body: {}, allowed: 422 },
  'GET /catalogues': { path: () => '/catalogues', allowed: 200 },
  'GET /catalogues/{id}': { path: () => `/catalogues/${catalogueId}`, allowed: 200 },
  'GET /catalogues/{id}/report': { path: () => `/catalogues/${catalogueId}/report`, allowed: 200 },
  'GET /catalogues/{id}/report/{format}': { path: () => `/catalogues/${catalogueId}/report/pdf`, allowed: 302 },
  // A catalogue nobody stored: the owner check runs on a record, so an allowed caller gets a 404 and nothing is deleted.
  'DELETE /catalogues/{id}': { path: () => '/catalogues/cat-00000001', allowed: 404 },
  'GET /frameworks/{id}/templates/{article}': { path: () => '/frameworks/carmo-education/templates/tablet', allowed: 200 },
  'GET /audit': { path: () => '/audit', allowed: 200 },
  'POST /tenders': { path: () => '/tenders', body: {}, allowed: 422 },
  'GET /tenders': { path: () => '/tenders', allowed: 200 },
  'POST /tenders/validate': { path: () => '/tenders/validate', body: {}, allowed: 422 },
  'GET /tenders/{id}': { path: () => `/tenders/${tenderId}`, allowed: 200 },
  'GET /tenders/{id}/documents/{name}': { path: () => `/tenders/${tenderId}/documents/cctp.pdf`, allowed: 302 },
  // Generated without the DCE: its owner gets a 404 too, after the role and owner checks.
  'GET /tenders/{id}/dce': { path: () => `/tenders/${tenderId}/dce`, allowed: 404 },
  'POST /tenders/{id}/regenerate': { path: () => `/tenders/${tenderId}/regenerate`, allowed: 200 },
  'POST /tenders/{id}/bids': { path: () => `/tenders/${tenderId}/bids`, body: {}, allowed: 422 },
  'GET /tenders/{id}/bids': { path: () => `/tenders/${tenderId}/bids`, allowed: 200 },
  'DELETE /tenders/{id}/bids/{bidId}': { path: () => `/tenders/${tenderId}/bids/acme`, allowed: 422 },
  'GET /tenders/{id}/conformity': { path: () => `/tenders/${tenderId}/conformity`, allowed: 200 },
  'PUT /tenders/{id}/marks': { path: () => `/tenders/${tenderId}/marks`, body: { marks: 'none' }, allowed: 422 },
  // No marks recorded on the fixture tender (the PUT above stops at validation): its owner gets a 404 after the role and owner checks.
  'GET /tenders/{id}/marks': { path: () => `/tenders/${tenderId}/marks`, allowed: 404 },
  'POST /tenders/{id}/analysis': { path: () => `/tenders/${tenderId}/analysis`, allowed: 422 },
  'GET /drafts': { path: () => '/drafts', allowed: 200 },
  'POST /drafts': { path: () => '/drafts', body: {}, allowed: 422 },
  'GET /drafts/{id}': { path: () => '/drafts/draft-00000001', allowed: 404 },
  'PUT /drafts/{id}': { path: () => '/drafts/draft-00000001', body: {}, allowed: 428 },
  'DELETE /drafts/{id}': { path: () => '/drafts/draft-00000001', allowed: 428 },
};

/** What each identity must get: the table's role decides, and the owner check hides others' tenders. */
function expected(route: RouteDefinition, identity: Identity): number {
  const allowed = REQUESTS[routeKey(route)]!.allowed;
  if (route.role === 'public') return allowed;
  if (identity === 'anonymous') return 401;
  // Catalogue managers check catalogues and read the reference data; they neither edit criteria nor see buyers' tenders.
  const roles = identity === 'editor' ? ['editor', 'catalogue'] : identity === 'catalogueManager' ? ['catalogue'] : ['buyer'];
  const permitted = route.role === 'reader' || roles.includes(route.role);
  if (!permitted) return 403;
  // A stored catalogue's owner is the catalogue manager who uploaded it (the fixture's); buyers never pass the role.
  if (route.owner && route.role !== 'catalogue' && (identity === 'otherBuyer' || identity === 'catalogueManager')) return 404;
  return allowed;
}

describe('authorization matrix', () => {
  it('has a request for every route of the table', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it('answers every identity on every route as the route table says', async () => {
    const before = await stack.counts();
    const cells = ROUTES.flatMap((route) => IDENTITIES.map((identity) => ({ route: route as RouteDefinition, identity })));

    const outcomes = await Promise.all(
      cells.map(async ({ route, identity }) => {
        const request = REQUESTS[routeKey(route)]!;
        const res = await stack.call(route.method, request.path(), {
          ...(identity === 'anonymous' ? {} : { token: stack.tokens[identity] }),
          ...(request.body !== undefined ? { body: request.body } : {}),
        });
        return { cell: `${routeKey(route)} as ${identity}`, status: res.status, res };
      }),
    );

    const table = Object.fromEntries(outcomes.map((o) => [o.cell, o.status]));
    expect(table).toEqual(Object.fromEntries(cells.map((c) => [`${routeKey(c.route)} as ${c.identity}`, expected(c.route, c.identity)])));
    for (const o of outcomes.filter((o) => o.status >= 400)) expectProblemShape(o.res, o.status);
    for (const o of outcomes.filter((o) => o.status === 401)) expect(o.res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await stack.counts()).toEqual(before);
  });

  it('gives a token without a Cahier group 403 on every protected route', async () => {
    for (const route of ROUTES.filter((r) => r.role !== 'public')) {
      const request = REQUESTS[routeKey(route)]!;
      const res = await stack.call(route.method, request.path(), { token: stack.tokens.noGroup, ...(request.body ? { body: request.body } : {}) });
      expect(res.status, routeKey(route)).toBe(403);
    }
  });

  it('refuses tokens signed by another key, expired, or for another audience with 401', async () => {
    const stranger = await (await LocalTokens.generate()).sign({ sub: 'buyer-1', groups: ['buyers'] });
    const expired = await stack.issuer.sign({ sub: 'buyer-1', groups: ['buyers'], ttlSeconds: -60 });
    const { privateKey } = await import('jose').then((j) => j.generateKeyPair('ES256'));
    const unsigned = `${stack.tokens.buyer.split('.').slice(0, 2).join('.')}.`;
    const otherAudience = await new SignJWT({ 'cognito:groups': ['buyers'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('buyer-1')
      .setAudience('someone-else')
      .setExpirationTime('1h')
      .sign(privateKey);

    for (const token of [stranger, expired, unsigned, otherAudience, 'not-a-jwt']) {
      const res = await stack.call('GET', '/frameworks', { token });
      expectProblemShape(res, 401);
    }
  });

  it('lets an editor read any tender but lists only the caller’s own', async () => {
    const editorList = await stack.call('GET', '/tenders', { token: stack.tokens.editor });
    const otherList = await stack.call('GET', '/tenders', { token: stack.tokens.otherBuyer });

    expect(editorList.json.items).toEqual([]);
    expect(otherList.json.items).toEqual([]);
  });
});
