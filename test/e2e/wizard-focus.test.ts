/**
 * The wizard moves the focus to what a button adds (the new award criterion's name) a frame or two
 * after the click, once it is rendered; a buyer who has gone to another field in between keeps the
 * focus there, and what they type stays in that field. In headless Chromium, on the award step of
 * a new draft.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { browserAvailable, signIn, webStackForFile } from './support/web-stack.ts';

const web = webStackForFile();
let page: Page;

beforeAll(async () => {
  if (!browserAvailable) return;
  ({ page } = await web.newPage());
}, 60_000);

const activeId = () => page.evaluate(() => document.activeElement?.id);
/** Three animation frames: more than the wizard waits before it moves the focus. */
const frames = () => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))));
const addCriterion = () => page.getByRole('button', { name: 'Ajouter un critère au lot 1', exact: true });
const addEnvironmental = () => page.getByRole('button', { name: 'Ajouter un critère environnemental au lot 1' });
const removeThird = async () => {
  await page.getByRole('button', { name: 'Supprimer le critère 3 du lot 1' }).click();
  await expect.poll(activeId).toBe('f-lots-0-award-add');
};

describe.skipIf(!browserAvailable)('wizard focus after « Ajouter… »', () => {
  test('opens the award step of a new draft, without its environmental criterion', async () => {
    await signIn(page, web.url, 'buyer');
    await page.goto(`${web.url}/#/cctp/5`);
    await page.getByRole('heading', { level: 1, name: /Critères d’attribution/ }).waitFor();
    await removeThird();
    await addEnvironmental().waitFor();
  });

  test('moves the focus to the new criterion’s name when the buyer does nothing else, whether the button stays or goes away', async () => {
    await addCriterion().click();
    await expect.poll(activeId).toBe('f-lots-0-awardCriteria-2-name');
    await removeThird();

    await addEnvironmental().click();
    await expect.poll(activeId).toBe('f-lots-0-awardCriteria-2-name');
    expect(await addEnvironmental().count()).toBe(0);
    await removeThird();
  });

  test('leaves the focus and the typed value in a field the buyer went to between the click and the render', async () => {
    // Arrange: the buyer reaches the first criterion's weight as soon as the click is done (before
    // the next frame, as a fast hand or an automated test does).
    const weight = page.getByLabel('Pondération du critère 1 du lot 1');
    await page.evaluate(() =>
      document.addEventListener(
        'click',
        () => {
          const field = document.getElementById('f-lots-0-awardCriteria-0-weight') as HTMLInputElement;
          field.focus();
          field.select();
        },
        { once: true },
      ),
    );

    // Act: the button goes away with the render, as on 9074286.
    await addEnvironmental().click();
    await page.keyboard.type('45');
    await frames();

    // Assess
    expect(await activeId()).toBe('f-lots-0-awardCriteria-0-weight');
    expect(await weight.inputValue()).toBe('45');
    expect(await page.getByLabel('Nom du critère 3 du lot 1').inputValue()).toBe('Performance environnementale (durabilité, réparabilité, reprise en fin de vie)');
  });
});
