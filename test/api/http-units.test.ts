import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '#src/entry/config.ts';
import { authorize, callerFromClaims } from '#src/adapters/http/auth.ts';
import { HttpError } from '#src/adapters/http/errors.ts';
import { isDependencyUnavailable, toProblem } from '#src/adapters/http/problem.ts';
import { expectedVersion, type ApiRequest } from '#src/adapters/http/request.ts';
import { FUNCTIONS, matchRoute, ROUTES } from '#src/adapters/http/routes.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { keyedTenderId } from '#src/app/generate-tender.ts';

const ENV = { TABLE_NAME: 'cahier', BUCKET_NAME: 'cahier-documents', AWS_REGION: 'eu-west-3' };

describe('loadConfig', () => {
  it('reads the minimal AWS environment with a 5-minute URL lifetime', () => {
    expect(loadConfig(ENV)).toEqual({ tableName: 'cahier', bucketName: 'cahier-documents', urlTtlSeconds: 300, aws: { region: 'eu-west-3' } });
  });

  it('reads local endpoints and options, an empty variable counting as unset', () => {
    const config = loadConfig({
      ...ENV,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      S3_ENDPOINT: 'http://127.0.0.1:4568',
      S3_FORCE_PATH_STYLE: 'true',
      URL_TTL_SECONDS: '900',
      AWS_MAX_ATTEMPTS: '',
    });

    expect(config.aws).toEqual({ region: 'eu-west-3', dynamodbEndpoint: 'http://127.0.0.1:8000', s3Endpoint: 'http://127.0.0.1:4568', s3ForcePathStyle: true });
    expect(config.urlTtlSeconds).toBe(900);
  });

  it('lists every problem at once, refusing download URLs over 15 minutes', () => {
    let error: unknown;
    try {
      loadConfig({ BUCKET_NAME: 'Not_A_Bucket', AWS_REGION: 'eu-west-3', URL_TTL_SECONDS: '901', S3_ENDPOINT: 'nowhere' });
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['TABLE_NAME', 'BUCKET_NAME', 'S3_ENDPOINT', 'URL_TTL_SECONDS']);
  });
});

describe('callerFromClaims', () => {
  it.each([
    ['a decoded token', ['buyers', 'criteria-editors']],
    ["API Gateway's flattened form", '[buyers criteria-editors]'],
  ])('reads groups from %s', (_form, groups) => {
    const caller = callerFromClaims({ sub: 'user-1', 'cognito:groups': groups });

    expect(caller?.subject).toBe('user-1');
    expect([...caller!.roles].sort()).toEqual(['buyer', 'editor']);
  });

  it('ignores unknown groups, and finds no caller without a usable subject', () => {
    expect([...callerFromClaims({ sub: 'u', 'cognito:groups': '[admins buyers-x]' })!.roles]).toEqual([]);
    expect([...callerFromClaims({ sub: 'u', 'cognito:groups': '[criteria-editors]' })!.roles]).toEqual(['editor']);
    expect(callerFromClaims({ 'cognito:groups': '[buyers]' })).toBeUndefined();
    expect(callerFromClaims({ sub: 'has space', 'cognito:groups': '[buyers]' })).toBeUndefined();
    expect(callerFromClaims(undefined)).toBeUndefined();
  });

  it('does not let an inherited property name pass for a group', () => {
    expect([...callerFromClaims({ sub: 'u', 'cognito:groups': '[constructor toString]' })!.roles]).toEqual([]);
  });
});

describe('authorize', () => {
  const buyer = callerFromClaims({ sub: 'b', 'cognito:groups': '[buyers]' });
  const editor = callerFromClaims({ sub: 'e', 'cognito:groups': '[criteria-editors]' });

  it('follows the role of the route', () => {
    const status = (role: Parameters<typeof authorize>[0], caller: typeof buyer) => {
      try {
        authorize(role, caller);
        return 200;
      } catch (error) {
        return (error as HttpError).status;
      }
    };

    expect([status('public', undefined), status('reader', undefined), status('reader', buyer), status('reader', editor)]).toEqual([200, 401, 200, 200]);
    expect([status('buyer', editor), status('buyer', buyer), status('editor', buyer), status('editor', editor)]).toEqual([403, 200, 403, 200]);
  });
});

describe('expectedVersion', () => {
  const request = (headers: Record<string, string>) => ({ headers }) as ApiRequest;
  const outcome = (headers: Record<string, string>) => {
    try {
      return expectedVersion(request(headers));
    } catch (error) {
      return `HTTP ${(error as HttpError).status}`;
    }
  };

  it('reads the strong ETag of a version, or If-None-Match: * for a creation', () => {
    expect(outcome({ 'if-match': '"7"' })).toBe(7);
    expect(outcome({ 'if-match': ' "12" ' })).toBe(12);
    expect(outcome({ 'if-none-match': '*' })).toBe(0);
  });

  it('answers 428 without a usable precondition, 412 for a tag that names no version, 400 for garbage', () => {
    expect(outcome({})).toBe('HTTP 428');
    expect(outcome({ 'if-match': '*' })).toBe('HTTP 428');
    expect(outcome({ 'if-match': 'W/"7"' })).toBe('HTTP 412');
    expect(outcome({ 'if-match': '"0"' })).toBe('HTTP 412');
    expect(outcome({ 'if-match': '"1", "2"' })).toBe('HTTP 412');
    expect(outcome({ 'if-match': '7' })).toBe('HTTP 400');
  });
});

describe('matchRoute', () => {
  it('prefers a literal segment over a parameter, as API Gateway does', () => {
    const validate = matchRoute('POST', '/tenders/validate');
    const tender = matchRoute('GET', '/tenders/abc');

    expect(validate.kind === 'route' && validate.route.operationId).toBe('validateTender');
    expect(tender.kind === 'route' && tender.route.operationId).toBe('getTender');
    expect(tender.kind === 'route' && tender.params).toEqual({ id: 'abc' });
  });

  it('decodes parameters, and answers 405 data or nothing', () => {
    const encoded = matchRoute('GET', '/tenders/a%2Fb/documents/cctp%20v2.pdf');

    expect(encoded.kind === 'route' && encoded.params).toEqual({ id: 'a/b', name: 'cctp v2.pdf' });
    expect(matchRoute('DELETE', '/tenders')).toEqual({ kind: 'method-not-allowed', allow: ['POST', 'GET', 'HEAD', 'OPTIONS'] });
    expect(matchRoute('GET', '/tenders/%zz')).toEqual({ kind: 'not-found' });
    expect(matchRoute('GET', '/health/')).toEqual({ kind: 'not-found' });
  });

  it('names a function definition for every route, and unique operation ids', () => {
    expect(ROUTES.every((r) => FUNCTIONS[r.function] !== undefined)).toBe(true);
    expect(new Set(ROUTES.map((r) => r.operationId)).size).toBe(ROUTES.length);
  });
});

describe('toProblem', () => {
  it('hides the message of an unexpected error', () => {
    const problem = toProblem(new Error('connection string postgres://secret'), { requestId: 'r-1', instance: '/x' });

    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem.problem)).not.toContain('secret');
    expect(problem.problem).toMatchObject({ requestId: 'r-1', instance: '/x' });
  });

  it('keeps field paths of a validation error', () => {
    const problem = toProblem(new ValidationError([{ path: 'lots.0.title', message: 'too long' }]), { requestId: 'r' });

    expect(problem.problem.errors).toEqual([{ path: 'lots.0.title', message: 'too long' }]);
  });

  it('tells an unreachable or failing dependency (503) from a bug (500)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const dualStack = new AggregateError([refused], '');
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const serverFault = Object.assign(new Error('boom'), { name: 'Whatever', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });

    expect([refused, dualStack, throttled, serverFault].map((e) => isDependencyUnavailable(e))).toEqual([true, true, true, true]);
    expect(isDependencyUnavailable(denied)).toBe(false);
    expect(toProblem(dualStack, { requestId: 'r' }).status).toBe(503);
  });
});

describe('keyedTenderId', () => {
  it('is a valid tender id that changes with the owner, the key and the request', () => {
    const id = keyedTenderId('buyer-1', 'key', 'a'.repeat(64));

    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(keyedTenderId('buyer-1', 'key', 'a'.repeat(64))).toBe(id);
    expect(new Set([keyedTenderId('buyer-2', 'key', 'a'.repeat(64)), keyedTenderId('buyer-1', 'key2', 'a'.repeat(64)), keyedTenderId('buyer-1', 'key', 'b'.repeat(64))]).size).toBe(3);
    expect(keyedTenderId('a#b', 'c', 'h')).not.toBe(keyedTenderId('a', 'b#c', 'h'));
  });
});
