/**
 * The local API's gate (`concurrentRequests`, CONCURRENT_REQUESTS for `npm start`): requests
 * other than GET and HEAD reach their handler at most that many at a time, in order of arrival,
 * while reads are never held. Real HTTP against startLocalApi, with handlers the test holds open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApiEvent, HttpApiHandler } from '#src/adapters/http/lambda-types.ts';
import type { FunctionName } from '#src/adapters/http/routes.ts';
import { startLocalApi, type LocalApi } from '#src/adapters/local/http-server.ts';
import { LocalTokens, toGatewayClaims } from '#src/adapters/local/local-tokens.ts';

const calls: string[] = [];
const held = new Map<string, () => void>();
/** Answers at once for a GET; otherwise waits until the test releases the request by its title. */
const handler: HttpApiHandler = async (event: HttpApiEvent) => {
  const title = event.body ? (JSON.parse(event.body) as { title: string }).title : event.rawPath;
  calls.push(title);
  if (event.requestContext.http.method !== 'GET') await new Promise<void>((resolve) => held.set(title, resolve));
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) };
};
const handlers = Object.fromEntries((['health', 'openapi', 'catalogue-read', 'criteria-write', 'tenders', 'documents', 'drafts', 'catalogues'] as FunctionName[]).map((n) => [n, handler])) as Record<FunctionName, HttpApiHandler>;

let api: LocalApi;
let token: string;

beforeAll(async () => {
  const tokens = await LocalTokens.generate();
  token = await tokens.sign({ sub: 'gate-buyer', groups: ['buyers'], ttlSeconds: 600 });
  api = await startLocalApi({ handlers, verifyToken: async (t) => toGatewayClaims(await tokens.verify(t)), concurrentRequests: 1 });
});
afterAll(() => api?.close());

const post = (title: string) =>
  fetch(`${api.url}/tenders`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title }) }).then(async (r) => [r.status, ((await r.json()) as { title: string }).title]);
const reached = async (count: number) => {
  for (let i = 0; i < 200 && calls.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return [...calls];
};

describe('local API request gate', () => {
  // The order among waiting requests is the unit test's (test/unit/request-gate.test.ts): two
  // fetches on two connections may reach the server in either order.
  it('lets one POST at a time reach its handler and serves GETs meanwhile', async () => {
    const first = post('premier');
    expect(await reached(1)).toEqual(['premier']);
    const second = post('deuxième');
    const third = post('troisième');
    // Both wait at the gate, while a read goes straight through.
    const read = await fetch(`${api.url}/tenders/t-1`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(await reached(2)).toEqual(['premier', '/tenders/t-1']);

    held.get('premier')!();
    expect(await first).toEqual([200, 'premier']);
    const [next] = (await reached(3)).slice(2);
    // Still one at a time: the other waits until this one is answered.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toHaveLength(3);
    held.get(next!)!();
    const [last] = (await reached(4)).slice(3);
    expect([next, last].sort()).toEqual(['deuxième', 'troisième']);
    held.get(last!)!();
    expect(await Promise.all([second, third])).toEqual([
      [200, 'deuxième'],
      [200, 'troisième'],
    ]);
  });
});
