import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example } from '../support/pipeline.ts';
import { startApiStack, type ApiStack, type UserName } from './support/api-stack.ts';

const CATALOGUE_DIR_FRAMEWORKS = join(CATALOGUE_DIR, 'frameworks');

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface Attempt {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** A JSON value of another type than `value`: set on a required field, it can never validate. */
function otherType(value: unknown): fc.Arbitrary<unknown> {
  const kinds: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ maxLength: 20 }),
    number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  };
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return fc.oneof(...Object.entries(kinds).filter(([k]) => k !== kind).map(([, arb]) => arb));
}

const REQUIRED_PATHS: ReadonlyArray<ReadonlyArray<string | number>> = [
  ['buyer'], ['buyer', 'name'], ['buyer', 'type'], ['title'], ['framework'], ['framework', 'id'], ['framework', 'version'],
  ['procedure'], ['contract'], ['contract', 'form'], ['consultationDate'], ['lots'], ['lots', 0], ['lots', 0, 'title'],
];

function setAt(target: any, path: ReadonlyArray<string | number>, value: unknown): any {
  const copy = structuredClone(target);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
}

/**
 * The first version of the examples' framework that the catalogue does not hold. Published
 * versions stay valid to pin (v1 and v2 resolve as published), so a fixed « 2 » here became a
 * valid request once v2 was published, and the run that drew it wrote a tender.
 */
const UNPUBLISHED_VERSION =
  1 +
  Math.max(
    ...readdirSync(CATALOGUE_DIR_FRAMEWORKS)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(CATALOGUE_DIR_FRAMEWORKS, f), 'utf8')) as { id: string; version: number })
      .filter((f) => f.id === example('commune').framework.id)
      .map((f) => f.version),
  );

/** Tender request bodies that are always refused: malformed JSON, wrong types, hostile text, unknown references. */
const badTenderBody: fc.Arbitrary<string | Uint8Array<ArrayBuffer>> = fc.oneof(
  // Truncated JSON.
  fc.integer({ min: 1, max: 400 }).map((n) => JSON.stringify(example('commune')).slice(0, n)),
  // Not JSON at all, or bytes that are not UTF-8.
  fc.string({ maxLength: 40 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => Uint8Array.from([0xff, ...bytes])),
  // Any JSON value: never a whole request.
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  // A required field removed or of another type.
  fc.constantFrom(...REQUIRED_PATHS).chain((path) =>
    fc.oneof(fc.constant(undefined), otherType(path.reduce((n: any, k) => n?.[k], example('commune')))).map((value) =>
      JSON.stringify(setAt(example('commune'), path, value)),
    ),
  ),
  fc.constant(JSON.stringify({ ...example('commune'), lots: [] })),
  // Buyer text with a control character.
  fc.tuple(fc.string({ maxLength: 20 }), fc.integer({ min: 1, max: 8 })).map(([s, c]) =>
    JSON.stringify({ ...example('commune'), title: `Titre ${s}${String.fromCharCode(c)}fin` }),
  ),
  // References the catalogue does not hold.
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).map((s) =>
    JSON.stringify(setAt(example('commune'), ['lots', 0, 'overrides', 1], { criterionId: `zz.${s}`, excluded: true })),
  ),
  fc.integer({ min: UNPUBLISHED_VERSION, max: 1_000_000 }).map((v) => JSON.stringify(setAt(example('commune'), ['framework', 'version'], v))),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).map((s) => JSON.stringify(setAt(example('commune'), ['lots', 0, 'offer', 'offerId'], `zz-${s}`))),
);

const anyText = fc.string({ maxLength: 30 });
const pathSegment = fc.oneof(anyText.map(encodeURIComponent), fc.constantFrom('%zz', '..', '%2F', 'tablet.storage.user', 'carmo-education'));
const queryString = fc.array(fc.tuple(fc.constantFrom('category', 'framework', 'version', 'cursor', 'limit', 'x'), anyText), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ''));

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/merge-patch+json') },
);

/** Bodies for an editor's writes that cannot validate, so nothing is ever written. */
const badCriterionBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ maxLength: 40 }),
  fc.constant('{"id": "tablet.storage.user", "label": 3}'),
);
// A publication must be the next version (UNPUBLISHED_VERSION); one past it, or a published one, is refused.
const badPublicationBody = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
  fc.record({ version: fc.oneof(fc.integer({ min: UNPUBLISHED_VERSION + 1, max: 1e9 }), fc.integer({ max: 0 }), anyText, fc.constant(null)) }, { requiredKeys: [] })
    .chain((r) => fc.dictionary(fc.constantFrom('title', 'criteria', 'fundingRule', 'status', 'junk'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }).map((extra) => JSON.stringify({ ...extra, ...r }))),
);

const identity = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<UserName>('buyer', 'otherBuyer', 'editor') },
  { weight: 1, arbitrary: fc.constantFrom<'none' | 'garbage' | 'noGroup'>('none', 'garbage', 'noGroup') },
);

const attempt: fc.Arbitrary<{ who: string; attempt: Attempt }> = fc.tuple(
  identity,
  fc.oneof(
    { weight: 40, arbitrary: fc.tuple(badTenderBody, contentType).map(([body, type]): Attempt => ({ method: 'POST', path: '/tenders/validate', headers: { 'content-type': type }, body })) },
    {
      weight: 4,
      arbitrary: fc.tuple(badTenderBody, contentType, fc.option(anyText, { nil: undefined })).map(([body, type, key]): Attempt => ({
        method: 'POST',
        path: '/tenders',
        headers: { 'content-type': type, ...(key !== undefined ? { 'idempotency-key': key } : {}) },
        body,
      })),
    },
    {
      weight: 10,
      arbitrary: fc.tuple(pathSegment, fc.option(fc.constantFrom('"1"', '"2"', '*', 'W/"1"', 'garbage', '"x"'), { nil: undefined }), fc.boolean(), badCriterionBody).map(
        ([id, ifMatch, create, body]): Attempt => ({
          method: 'PUT',
          path: `/criteria/${id}`,
          headers: { 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}), ...(create ? { 'if-none-match': '*' } : {}) },
          body,
        }),
      ),
    },
    { weight: 6, arbitrary: fc.tuple(pathSegment, badPublicationBody).map(([id, body]): Attempt => ({ method: 'POST', path: `/frameworks/${id}/versions`, headers: { 'content-type': 'application/json' }, body })) },
    {
      weight: 25,
      arbitrary: fc.tuple(
        fc.constantFrom('/criteria', '/criteria/{}', '/criteria/{}/versions', '/frameworks', '/frameworks/{}', '/offers', '/tenders', '/tenders/{}', '/tenders/{}/documents/{}', '/nowhere/{}'),
        pathSegment,
        pathSegment,
        queryString,
      ).map(([template, a, b, query]): Attempt => {
        let n = 0;
        return { method: 'GET', path: template.replace(/\{\}/g, () => (n++ === 0 ? a : b)) + query, headers: {} };
      }),
    },
    { weight: 5, arbitrary: fc.tuple(pathSegment, fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH')).map(([id, method]): Attempt => ({ method, path: `/tenders/${id}/regenerate`, headers: {} })) },
  ),
).map(([who, a]) => ({ who, attempt: a }));

describe('1 000 malformed requests', () => {
  it('never answer 5xx, always answer problem+json for errors, and never write', async () => {
    const before = await stack.counts();
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(attempt, async ({ who, attempt: a }) => {
        const headers: Record<string, string> = { ...a.headers };
        if (who === 'garbage') headers.authorization = 'Bearer not.a.token';
        else if (who !== 'none') headers.authorization = `Bearer ${stack.tokens[who as UserName]}`;
        const res = await fetch(`${stack.url}${a.path}`, { method: a.method, headers, body: a.body, redirect: 'manual' });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);

        expect(res.status, `${a.method} ${a.path} → ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toBe('application/problem+json');
          expect(JSON.parse(text).status).toBe(res.status);
        }
      }),
      { numRuns: 1000 },
    );

    expect(await stack.counts()).toEqual(before);
    // The requests reach past authentication: validation and parsing answered most of them.
    expect((statuses.get(422) ?? 0) + (statuses.get(400) ?? 0)).toBeGreaterThan(400);
    if (process.env.SHOW_STATUSES) console.log(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])));
    expect(stack.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
