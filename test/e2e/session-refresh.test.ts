/**
 * Defect 10, « Signed out after an hour », in headless Chromium against the local stack with
 * access tokens of 3 seconds: the buyer signs in (code with PKCE, as with Cognito), the access
 * token expires mid-wizard and the app renews it with the refresh token without the buyer
 * noticing (the field keeps the focus, the next step opens); then the refresh token is revoked:
 * the session ends with a notice, the draft stays in the browser, and signing in again comes back
 * to the same step with the draft. axe-core finds nothing on the sign-in page with the notice.
 */
import type { Page, Request } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { LOCAL_CLIENT_ID } from '#src/adapters/local/local-oauth.ts';
import { axe, browserAvailable, signIn, webStackForFile } from './support/web-stack.ts';

const ACCESS_TTL_SECONDS = 3;

const web = webStackForFile({ env: { ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS) } });

/** What the page sent: token endpoint grants, bearer tokens sent to the API, and the API's 401s. */
function watch(page: Page) {
  const seen = { grants: [] as string[], bearers: [] as string[], unauthorized: 0 };
  page.on('request', (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname === '/local/oauth2/token') seen.grants.push(new URLSearchParams(r.postData() ?? '').get('grant_type') ?? '');
    const bearer = r.headers().authorization?.replace(/^Bearer /, '');
    if (bearer) seen.bearers.push(bearer);
  });
  page.on('response', (r) => {
    if (r.status() === 401) seen.unauthorized++;
  });
  return seen;
}

const next = (page: Page) => page.getByRole('button', { name: /^Étape suivante/ }).click();
const livePanel = (page: Page) => page.locator('.live-panel');

async function fillGeneral(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: /Acheteur et cadre/ }).waitFor();
  await expect.poll(() => page.getByLabel('Version').inputValue()).toBe('3');
  await page.getByLabel('Nom de l’acheteur').fill('Commune de Saint-Aubin');
  await page.getByLabel('Adresse').fill('1 place de la Mairie, 35000 Saint-Aubin');
  await page.getByLabel('Objet du marché').fill('Classe mobile pour l’école élémentaire');
  await page.getByLabel('Référence interne').fill('MAPA-2026-07');
  await page.getByLabel('Contexte du projet').fill('Une école de quatre classes.');
}

/** Waits until the API would refuse `token` (its exp is past), and checks that it does. */
async function outlive(token: string): Promise<void> {
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
  await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 1_100));
  expect((await fetch(`${web.url}/tenders`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
}

describe.skipIf(!browserAvailable)('session renewal in the wizard (defect 10)', () => {
  test('the access token expires mid-wizard: the app refreshes it, the focus stays, the next step opens', async () => {
    const { page } = await web.newPage();
    const seen = watch(page);
    await signIn(page, web.url, 'buyer');
    expect(seen.grants).toEqual(['authorization_code']);
    await fillGeneral(page);
    const first = seen.bearers.at(-1)!;
    await outlive(first);

    // The buyer goes on typing: the live check needs the API, hence a fresh token.
    const context = page.getByLabel('Contexte du projet');
    await context.click();
    await context.press('End');
    await context.pressSequentially(' Trente élèves par classe.');
    await expect.poll(() => seen.grants.filter((g) => g === 'refresh_token').length).toBeGreaterThanOrEqual(1);
    await expect.poll(() => seen.bearers.at(-1)).not.toBe(first);
    await expect.poll(() => livePanel(page).innerText()).not.toContain('Vérification en cours');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-context');
    expect(await context.inputValue()).toBe('Une école de quatre classes. Trente élèves par classe.');
    expect(seen.bearers.at(-1)).not.toBe(first);

    await next(page);
    await page.getByRole('heading', { level: 1, name: /Établissements/ }).waitFor();
    expect(seen.unauthorized).toBe(0);
    expect(await page.getByRole('button', { name: 'Se déconnecter' }).count()).toBe(1);
    // The access token is in memory only; the refresh token in this tab's sessionStorage.
    const stored = await page.evaluate(() => [...Object.values(localStorage), ...Object.values(sessionStorage)].join('\n'));
    for (const bearer of new Set(seen.bearers)) expect(stored).not.toContain(bearer);
    expect(await page.evaluate(() => sessionStorage.getItem('cahier:refresh'))).toMatch(/^[\w-]{64}$/);

    // A reload resumes with the refresh token, on the same step, without signing in again.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Établissements/ }).waitFor();
    expect(seen.grants.at(-1)).toBe('refresh_token');
  });

  test('the refresh token is revoked: the session ends with a notice, and signing in again restores the draft and the step', async () => {
    const { page } = await web.newPage();
    const seen = watch(page);
    await signIn(page, web.url, 'buyer');
    await fillGeneral(page);
    await next(page);
    await page.getByRole('heading', { level: 1, name: /Établissements/ }).waitFor();
    await next(page);
    await page.getByRole('heading', { level: 1, name: /Lots et lignes/ }).waitFor();
    await page.getByLabel('Intitulé du lot 1').fill('Tablettes et chariot');
    // The live check of that keystroke (400 ms later) is answered before the revocation.
    await page.waitForTimeout(600);
    await expect.poll(() => livePanel(page).innerText()).not.toContain('Vérification en cours');

    // Revoked (or expired): the token endpoint will refuse it.
    const refreshToken = await page.evaluate(() => sessionStorage.getItem('cahier:refresh'));
    const revoked = await fetch(`${web.url}/local/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken!, client_id: LOCAL_CLIENT_ID }),
    });
    expect(revoked.status).toBe(200);
    await outlive(seen.bearers.at(-1)!);

    await page.getByLabel('Autres lieux de livraison — lot 1').fill('École élémentaire, 2 rue des Écoles');
    const notice = page.getByRole('status').filter({ hasText: 'Votre session a expiré' });
    await notice.waitFor();
    expect(await notice.innerText()).toBe('Votre session a expiré. Reconnectez-vous\u00a0: votre brouillon est conservé dans ce navigateur et vous reviendrez où vous en étiez.');
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('cahier:refresh'))).toBeNull();
    const violations = await axe(page);
    expect(violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // The draft, up to the last keystroke, is still in this browser…
    const draft = await page.evaluate(() => Object.entries(localStorage).find(([key]) => key.includes('local-buyer'))?.[1] ?? '');
    expect(draft).toContain('Tablettes et chariot');
    expect(draft).toContain('École élémentaire, 2 rue des Écoles');

    // …and signing in again comes back to the step, with it.
    await page.getByRole('button', { name: /Acheteur public/ }).click();
    await page.getByRole('heading', { level: 1, name: /Lots et lignes/ }).waitFor();
    expect(page.url()).toMatch(/#\/cctp\/3$/);
    await expect.poll(() => page.getByLabel('Intitulé du lot 1').inputValue()).toBe('Tablettes et chariot');
    expect(await page.getByLabel('Autres lieux de livraison — lot 1').inputValue()).toBe('École élémentaire, 2 rue des Écoles');
    await page.getByRole('link', { name: /Acheteur et cadre/ }).click();
    await expect.poll(() => page.getByLabel('Nom de l’acheteur').inputValue()).toBe('Commune de Saint-Aubin');
    expect(seen.grants.filter((g) => g === 'authorization_code')).toHaveLength(2);
  });
});
