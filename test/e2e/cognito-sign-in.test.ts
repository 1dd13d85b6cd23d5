/**
 * The Cognito hosted sign-in, in headless Chromium, against a fake hosted UI (real Cognito is not
 * reachable here): config.json names it as infra/web-stack.ts does; "Se connecter" goes to its
 * authorize endpoint with a PKCE challenge and a state; it comes back as CloudFront would
 * (`/#/auth/callback?code&state`); the app checks the state, exchanges the code with the verifier
 * (the fake checks SHA-256(verifier) against the challenge) and uses the token it got for the API,
 * keeping it in memory and the refresh token in sessionStorage; a reload renews the access token
 * with the refresh token; a forged state is refused; "Se déconnecter" revokes the refresh token
 * and goes to the logout endpoint.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserAvailable, startWebStack, type WebStack } from './support/web-stack.ts';

const CLIENT_ID = 'e2e-client';

let web: WebStack;
let cognito: Server;
let cognitoUrl: string;
const config: Record<string, unknown> = { apiUrl: '', auth: { kind: 'local' } };
const seen = { authorize: [] as URLSearchParams[], token: [] as URLSearchParams[], revoke: [] as URLSearchParams[], logout: [] as URLSearchParams[] };
const REFRESH_TOKEN = 'fake-refresh-token';
const codes = new Map<string, { challenge: string; redirectUri: string }>();

beforeAll(async () => {
  if (!browserAvailable) return;
  cognito = createServer((req, res) => {
    const url = new URL(req.url ?? '/', cognitoUrl);
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      seen.authorize.push(url.searchParams);
      const code = `code-${seen.authorize.length}`;
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' });
      // Cognito redirects to redirect_uri (…/auth/callback?…); CloudFront then to /#/auth/callback?…: both hops at once here.
      const back = new URL(url.searchParams.get('redirect_uri')!);
      res.writeHead(302, { location: `${back.origin}/#/auth/callback?${new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' })}` }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/oauth2/revoke') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.revoke.push(new URLSearchParams(body));
        res.writeHead(200, { 'access-control-allow-origin': '*' }).end();
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        seen.token.push(form);
        const headers = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };
        if (form.get('grant_type') === 'refresh_token') {
          const good = form.get('client_id') === CLIENT_ID && form.get('refresh_token') === REFRESH_TOKEN;
          res.writeHead(good ? 200 : 400, headers).end(JSON.stringify(good ? { access_token: web.stack.tokens.buyer, id_token: 'not-for-the-api', token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_grant' }));
          return;
        }
        const issued = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const valid =
          req.headers['content-type'] === 'application/x-www-form-urlencoded' &&
          form.get('grant_type') === 'authorization_code' &&
          form.get('client_id') === CLIENT_ID &&
          issued !== undefined &&
          form.get('redirect_uri') === issued.redirectUri &&
          createHash('sha256').update(verifier).digest('base64url') === issued.challenge;
        if (!valid) {
          res.writeHead(400, headers).end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        // The local buyer token stands for Cognito's access token: the local API verifies it.
        res.writeHead(200, headers).end(JSON.stringify({ access_token: web.stack.tokens.buyer, id_token: 'not-for-the-api', refresh_token: REFRESH_TOKEN, token_type: 'Bearer', expires_in: 3600 }));
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/logout') {
      seen.logout.push(url.searchParams);
      res.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '/' }).end();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => cognito.listen(0, '127.0.0.1', resolve));
  cognitoUrl = `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`;
  web = await startWebStack({ config });
  const redirectUri = `${web.url}/auth/callback`;
  config.auth = {
    kind: 'cognito',
    loginUrl: `${cognitoUrl}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=code&redirect_uri=${redirectUri}`,
    region: 'eu-west-3',
    userPoolId: 'eu-west-3_e2e',
    clientId: CLIENT_ID,
    redirectUri,
    logoutUri: `${web.url}/`,
  };
}, 60_000);

afterAll(async () => {
  await web?.stop();
  if (cognito) await new Promise((resolve) => cognito.close(resolve));
});

describe.skipIf(!browserAvailable)('Cognito hosted sign-in (fake hosted UI)', () => {
  test('signs in with code + PKCE, calls the API with the token, resumes after a reload, signs out through revocation and the logout endpoint', async () => {
    const { page } = await web.newPage();
    await page.goto(`${web.url}/`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();

    const authorize = seen.authorize.at(-1)!;
    expect(authorize.get('response_type')).toBe('code');
    expect(authorize.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.get('redirect_uri')).toBe(`${web.url}/auth/callback`);
    expect(authorize.get('scope')).toBe('openid email');
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('state')).toMatch(/^[\w-]{16,}$/);
    expect(seen.token).toHaveLength(1);
    // The code left the address bar; the access token is in memory only, the refresh token kept for the tab.
    expect(page.url()).not.toContain('code=');
    expect(await page.evaluate(() => sessionStorage.getItem('cahier:refresh'))).toBe(REFRESH_TOKEN);
    expect(await page.evaluate(() => sessionStorage.getItem('cahier:oauth-pending'))).toBeNull();
    const kept = await page.evaluate(() => [...Object.values(localStorage), ...Object.values(sessionStorage)].join('\n'));
    expect(kept).not.toContain(web.stack.tokens.buyer);

    // The API accepts the token: « Mes consultations » loads.
    await page.getByRole('link', { name: 'Mes consultations', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes consultations' }).waitFor();
    await page.getByText(/^Aucune consultation pour|^\d[\d\s\u00a0\u202f]* consultations?$/).first().waitFor();

    // A reload: the refresh token gets a new access token from the token endpoint, no new sign-in.
    const authorizations = seen.authorize.length;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Mes consultations' }).waitFor();
    expect(Object.fromEntries(seen.token.at(-1)!)).toEqual({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: REFRESH_TOKEN });
    expect(seen.authorize.length).toBe(authorizations);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(Object.fromEntries(seen.revoke.at(-1)!)).toEqual({ token: REFRESH_TOKEN, client_id: CLIENT_ID });
    expect(Object.fromEntries(seen.logout.at(-1)!)).toEqual({ client_id: CLIENT_ID, logout_uri: `${web.url}/` });
    expect(await page.evaluate(() => sessionStorage.getItem('cahier:refresh'))).toBeNull();
  });

  test('a callback whose state this tab did not start is refused without calling the token endpoint', async () => {
    const { page } = await web.newPage();
    const before = seen.token.length;
    await page.goto(`${web.url}/#/auth/callback?code=stolen&state=forged`);
    await page.getByRole('alert').filter({ hasText: 'ne correspond pas' }).waitFor();
    expect(seen.token.length).toBe(before);
    expect(await page.evaluate(() => sessionStorage.getItem('cahier:refresh'))).toBeNull();
  });
});
