/**
 * How the local server serves the web app next to the API: API routes first, the built files
 * for other GET paths, /config.json, the local tokens only when the local stack hands them over,
 * and never a file outside web/dist.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HttpApiHandler } from '#src/adapters/http/lambda-types.ts';
import type { FunctionName } from '#src/adapters/http/routes.ts';
import { startLocalApi, type LocalApi } from '#src/adapters/local/http-server.ts';

let dir: string;
let withTokens: LocalApi;
let without: LocalApi;

const ok: HttpApiHandler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"from":"api"}' });
const handlers = Object.fromEntries((['health', 'openapi', 'catalogue-read', 'criteria-write', 'tenders'] as FunctionName[]).map((n) => [n, ok])) as Record<FunctionName, HttpApiHandler>;

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'cahier-web-serving-'));
  dir = join(root, 'dist');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'file outside the build');
  const verifyToken = async () => ({ sub: 'x', 'cognito:groups': '[buyers]' });
  withTokens = await startLocalApi({ handlers, verifyToken, web: { dir, config: { apiUrl: '' }, tokens: () => ({ buyer: 'b', editor: 'e' }) } });
  without = await startLocalApi({ handlers, verifyToken, web: { dir, config: { apiUrl: '' } } });
});

afterAll(async () => {
  await withTokens?.close();
  await without?.close();
  await rm(join(dir, '..'), { recursive: true, force: true });
});

/** A raw GET (fetch would normalise `..` away, and cannot set Host). */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('web app on the API origin', () => {
  test('index, assets with long caching, and the security headers', async () => {
    const index = await get(withTokens.url, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    const asset = await get(withTokens.url, '/assets/app.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  test('API routes take precedence; unknown paths stay problem+json 404s', async () => {
    expect((await get(withTokens.url, '/health')).body).toBe('{"from":"api"}');
    const missing = await get(withTokens.url, '/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/problem+json');
  });

  test('config, and the local tokens only when the local stack gives them', async () => {
    expect(JSON.parse((await get(withTokens.url, '/config.json')).body)).toEqual({ apiUrl: '' });
    expect(JSON.parse((await get(withTokens.url, '/local/tokens')).body)).toEqual({ buyer: 'b', editor: 'e' });
    expect((await get(without.url, '/local/tokens')).status).toBe(404);
  });

  test('never a file outside the build folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
      const res = await get(withTokens.url, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('file outside the build');
    }
  });
});

describe('GET /local/tokens answers loopback names only (defect 2: DNS rebinding)', () => {
  test('Host and Origin on loopback: the tokens', async () => {
    const { port } = new URL(withTokens.url);
    const cases: Record<string, string>[] = [{ host: `127.0.0.1:${port}` }, { host: `localhost:${port}` }, { host: `[::1]:${port}` }, { host: `localhost:${port}`, origin: `http://localhost:${port}` }];
    for (const headers of cases) {
      const res = await get(withTokens.url, '/local/tokens', headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
  });

  test('another Host (a rebound DNS name) or a foreign Origin: 403, no token in the body', async () => {
    const { port } = new URL(withTokens.url);
    const cases: Record<string, string>[] = [
      { host: `evil.example:${port}` },
      { host: `127.0.0.1.evil.example:${port}` },
      { host: `localhost.evil.example` },
      { host: `127.0.0.1:${port}`, origin: 'http://evil.example' },
      { host: `127.0.0.1:${port}`, origin: 'null' },
    ];
    for (const headers of cases) {
      const res = await get(withTokens.url, '/local/tokens', headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.body).not.toContain('"buyer"');
    }
  });
});
