/**
 * A buyer splits a packaged offer across two lots with the keyboard only, in headless Chromium:
 * the classe mobile of 16 tablets expands into lines in lot 1, a lot 2 is added, and the cart and
 * the Wi-Fi access point move to it line by line (« Déplacer vers », then the button), the focus
 * following each line to its new place and the move said politely. Lot 2's cart slots keep
 * following the tablets left in lot 1 (src/core/model/requirement-text.ts, scaleLots), in the lots
 * step and in the requirements step; axe finds nothing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keyboard, type Keyboard } from './support/keyboard.ts';
import { browserAvailable, expectAccessible, signIn, webStackForFile } from './support/web-stack.ts';

const web = webStackForFile();
let page: Page;
let keys: Keyboard;
const axeReport: Record<string, number> = {};

beforeAll(async () => {
  if (!browserAvailable) return;
  ({ page } = await web.newPage());
  keys = keyboard(page);
}, 60_000);

afterAll(async () => {
  console.log(`axe violations (any impact) per screen, split offer: ${JSON.stringify(axeReport)}`);
});

const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
const slots = (lot: number) => page.locator(`#f-lots-${lot} .computed`).filter({ hasText: 'emplacements' });
const itemsOf = (lot: number) => page.locator(`select[id^="f-lots-${lot}-items-"][id$="-itemId"]`).evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value));

describe.skipIf(!browserAvailable)('a packaged offer split across two lots, with the keyboard only', () => {
  test('lot 1 gets the classe mobile’s lines, lot 2 is added', async () => {
    await signIn(page, web.url, 'buyer');
    await page.getByRole('heading', { level: 1, name: /Acheteur et cadre/ }).waitFor();
    await keys.press(page.getByRole('navigation', { name: 'Étapes du CCTP' }).getByRole('link', { name: /Lots et lignes/ }));
    await page.getByRole('heading', { level: 1, name: /Lots et lignes/ }).waitFor();
    await keys.type('#f-lots-0-title', 'Tablettes et licences');
    await keys.choose('#f-lots-0-offer-offerId', 'classe-mobile-16');
    await keys.press(button('Ajouter les lignes de l’offre au lot 1'));
    expect(await itemsOf(0)).toEqual(['tablet', 'teacher-laptop', 'charging-cart', 'wifi-access-point', 'mdm-licence', 'installation', 'teacher-training']);
    expect(await slots(0).innerText()).toMatch(/au moins 16\u00a0emplacements/);
    await keys.press(button('Ajouter un lot'));
    await expect.poll(() => keys.activeId()).toBe('f-lots-1-title');
    await page.keyboard.type('Chariot et Wi-Fi');
  });

  test('the cart and the Wi-Fi move to lot 2; the focus follows each line and the move is said', async () => {
    // The cart is line 3 of lot 1; once it has moved, the Wi-Fi access point is.
    for (const [moved, itemId] of [[0, 'charging-cart'], [1, 'wifi-access-point']] as const) {
      expect(await page.locator('#f-lots-0-items-2-itemId').inputValue()).toBe(itemId);
      await keys.choose('#f-lots-0-items-2-move', '1');
      await keys.press(button(/^Déplacer la ligne vers le lot 2 — Ligne 3 du lot 1$/));
      await expect.poll(() => keys.activeId()).toBe(`f-lots-1-items-${moved}`);
      expect(await page.locator('#f-lots-1-items-' + moved + '-itemId').inputValue()).toBe(itemId);
      expect(await page.locator('#lots-notice').innerText()).toMatch(/^Ligne «\u00a0.+\u00a0» déplacée du lot 1 au lot 2\.$/);
    }
    expect(await itemsOf(0)).toEqual(['tablet', 'teacher-laptop', 'mdm-licence', 'installation', 'teacher-training']);
    expect(await itemsOf(1)).toEqual(['charging-cart', 'wifi-access-point']);
    // The cart in lot 2 still holds every tablet of lot 1; lot 1 has no cart to size.
    expect(await slots(1).innerText()).toMatch(/au moins 16\u00a0emplacements, calculé d’après Tablette élève \(lot 1\) par Chariot/);
    expect(await slots(0).count()).toBe(0);
    await expectAccessible(page, 'lots-split', { strict: true, report: axeReport });
  });

  test('the slots follow the tablets of lot 1 as the buyer changes them, with lot 2’s spare slots', async () => {
    await keys.type('#f-lots-0-items-0-quantity', 20);
    await keys.type('#f-lots-1-spareSlots', 2);
    await expect.poll(() => slots(1).innerText()).toMatch(/au moins 22\u00a0emplacements.*réserve de 2 comprise/);
  });

  test('the requirements step gives lot 2’s cart the same threshold', async () => {
    await keys.press(page.getByRole('navigation', { name: 'Étapes du CCTP' }).getByRole('link', { name: /Exigences/ }));
    await page.getByRole('heading', { level: 1, name: /Exigences/ }).waitFor();
    const lot2 = page.locator('section[aria-labelledby="req-lot-1"]');
    expect(await lot2.locator('li[data-criterion="cart.slots"] .req-meta').innerText()).toMatch(/Seuil\s?:\s≥\s22\semplacements/);
    expect(await page.locator('section[aria-labelledby="req-lot-0"] li[data-criterion="cart.slots"]').count()).toBe(0);
    await expectAccessible(page, 'requirements-split', { strict: true, report: axeReport });
  });
});
