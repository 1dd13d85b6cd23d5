/**
 * A keyboard user's moves in headless Chromium: Tab and Shift+Tab to a control, typing (long
 * texts pasted), arrows through a select, Enter or Space on a button. No click, no fill.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface Keyboard {
  /** The id of the focused element ('' when none). */
  activeId(): Promise<string>;
  /** Moves the focus to `target` with Tab (or Shift+Tab when it comes before the focus). */
  tabTo(target: Locator): Promise<void>;
  /** Types into a field reached by keyboard, replacing what it held; long texts are pasted. */
  type(target: Locator | string, text: string | number): Promise<void>;
  /** Chooses an option of a select with the arrow keys. */
  choose(target: Locator | string, value: string): Promise<void>;
  press(target: Locator, key?: 'Enter' | 'Space'): Promise<void>;
}

export function keyboard(page: Page): Keyboard {
  const activeId = () => page.evaluate(() => document.activeElement?.id ?? '');

  async function tabTo(target: Locator): Promise<void> {
    const handle = await target.elementHandle();
    expect(handle, 'element to reach').not.toBeNull();
    // How many tab stops away it looks (visible, enabled controls in document order): pressed in one go, then checked one press at a time.
    const ahead = await page.evaluate((el) => {
      const stops = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')].filter(
        (e) => !(e as HTMLButtonElement).disabled && e.tabIndex >= 0 && e.offsetParent !== null,
      );
      const from = stops.indexOf(document.activeElement as HTMLElement);
      const to = stops.indexOf(el as HTMLElement);
      return from >= 0 && to > from ? to - from - 1 : 0;
    }, handle);
    for (let i = 0; i < ahead; i++) await page.keyboard.press('Tab');
    for (let i = 0; i < 2000; i++) {
      const where = await page.evaluate((el) => {
        const active = document.activeElement;
        if (active === el) return 'here';
        if (!active || active === document.body) return 'after';
        return active.compareDocumentPosition(el!) & Node.DOCUMENT_POSITION_FOLLOWING ? 'after' : 'before';
      }, handle);
      if (where === 'here') return;
      await page.keyboard.press(where === 'after' ? 'Tab' : 'Shift+Tab');
    }
    throw new Error(`could not reach ${target} with the keyboard`);
  }

  async function type(target: Locator | string, text: string | number): Promise<void> {
    await tabTo(typeof target === 'string' ? page.locator(target) : target);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    const value = String(text);
    if (value.length > 60) await page.keyboard.insertText(value);
    else await page.keyboard.type(value);
  }

  async function choose(target: Locator | string, value: string): Promise<void> {
    const select = typeof target === 'string' ? page.locator(target) : target;
    await tabTo(select);
    const values = await select.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.value));
    const to = values.indexOf(value);
    expect(to, `option ${value}`).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < values.length && (await select.inputValue()) !== value; i++) {
      const from = values.indexOf(await select.inputValue());
      await page.keyboard.press(to > from ? 'ArrowDown' : 'ArrowUp');
    }
    expect(await select.inputValue()).toBe(value);
  }

  async function press(target: Locator, key: 'Enter' | 'Space' = 'Enter'): Promise<void> {
    await tabTo(target);
    await page.keyboard.press(key);
  }

  return { activeId, tabTo, type, choose, press };
}
