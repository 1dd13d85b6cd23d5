import { describe, expect, it } from 'vitest';
import type { Criterion } from '#src/core/model/criterion.ts';
import { frenchNumbers, lotMetric, renderRequirementText, requirementTextIssues, thresholdPhrase } from '#src/core/model/requirement-text.ts';

const NBSP = '\u00a0';

describe('thresholdPhrase', () => {
  it('reads after a noun, with agreed units joined by no-break spaces', () => {
    expect(thresholdPhrase({ type: 'numeric', unit: 'Go', comparator: 'gte', value: 32 })).toBe(`d’au moins 32${NBSP}Go`);
    expect(thresholdPhrase({ type: 'numeric', unit: 'h', comparator: 'lte', value: 4 })).toBe(`d’au plus 4${NBSP}h`);
    expect(thresholdPhrase({ type: 'numeric', unit: 'Go', comparator: 'eq', value: 4 })).toBe(`de 4${NBSP}Go`);
    expect(thresholdPhrase({ type: 'numeric', unit: 'ans', comparator: 'gte', value: 1 })).toBe(`d’au moins 1${NBSP}an`);
    expect(thresholdPhrase({ type: 'numeric', unit: 'h', comparator: 'gte', value: 50000 })).toBe(`d’au moins 50\u202f000${NBSP}h`);
    expect(thresholdPhrase({ type: 'numeric', unit: '/10', comparator: 'gte', value: 7 })).toBe('d’au moins 7/10');
    expect(thresholdPhrase({ type: 'range', unit: 'pouces', min: 13, max: 15.6 })).toBe(`de 13 à 15,6${NBSP}pouces`);
  });

  it('says « au minimum » for a list, except for its strongest option', () => {
    const options = ['Wi-Fi 5 (802.11ac)', 'Wi-Fi 6 (802.11ax)', 'Wi-Fi 6E'];
    expect(thresholdPhrase({ type: 'enum', options, comparator: 'gte', value: 'Wi-Fi 5 (802.11ac)' })).toBe('Wi-Fi 5 (802.11ac) au minimum');
    expect(thresholdPhrase({ type: 'enum', options, comparator: 'gte', value: 'Wi-Fi 6E' })).toBe('Wi-Fi 6E');
    expect(thresholdPhrase({ type: 'enum', options, comparator: 'eq', value: 'Wi-Fi 6 (802.11ax)' })).toBe('Wi-Fi 6 (802.11ax)');
  });
});

describe('renderRequirementText', () => {
  it('puts the threshold in force where the text says {seuil}, and leaves other texts alone', () => {
    const text = 'La tablette dispose d’un espace de stockage utilisateur {seuil}, hors système.';
    expect(renderRequirementText(text, { type: 'numeric', unit: 'Go', comparator: 'gte', value: 64 })).toBe(
      `La tablette dispose d’un espace de stockage utilisateur d’au moins 64${NBSP}Go, hors système.`,
    );
    expect(renderRequirementText("Texte d'une version publiée avant les seuils : 32 Go.", { type: 'numeric', unit: 'Go', comparator: 'gte', value: 64 })).toBe(
      "Texte d'une version publiée avant les seuils : 32 Go.",
    );
  });
});

describe('frenchNumbers', () => {
  it('reads thousands separated by any space and decimal commas', () => {
    expect(frenchNumbers('1 200 pixels, 15,6 pouces, 50\u202f000 heures, 2,4 GHz et 5 GHz, RAID 1')).toEqual([1200, 15.6, 50000, 2.4, 5, 1]);
  });
});

describe('requirementTextIssues', () => {
  it('accepts a text that reads its threshold from {seuil} and states other numbers', () => {
    expect(requirementTextIssues('Après 800 cycles, la batterie conserve {seuil} de sa capacité.', { type: 'numeric', unit: '%', comparator: 'gte', value: 80 })).toEqual([]);
  });

  it('refuses an option of the list spelled in the text, whichever apostrophe it uses', () => {
    const metric = { type: 'enum', options: ["Gamme d'entrée", 'Gamme haute'], comparator: 'gte', value: "Gamme d'entrée" } as const;
    expect(requirementTextIssues('Le processeur se classe ainsi : {seuil}, la gamme d’entrée étant exclue.', { ...metric, options: [...metric.options] })).toEqual([
      { path: 'requirement', message: expect.stringMatching(/states "Gamme d'entrée", an option of its metric/) },
    ]);
  });

  it('refuses {seuil} where the metric has no threshold', () => {
    expect(requirementTextIssues('La tablette a une caméra {seuil}.', { type: 'boolean', expected: true })).toEqual([
      { path: 'requirement', message: expect.stringMatching(/boolean metric has no threshold/) },
    ]);
  });
});

describe('lotMetric', () => {
  const cart: Pick<Criterion, 'metric' | 'lotScale'> = {
    metric: { type: 'numeric', unit: 'emplacements', comparator: 'gte', value: 12 },
    lotScale: { count: ['tablet'], per: ['charging-cart'] },
  };

  it('raises the minimum to the devices each cart holds, rounded up, never below the reference', () => {
    expect(lotMetric(cart, new Map([['tablet', 16], ['charging-cart', 1]]))).toMatchObject({ value: 16 });
    expect(lotMetric(cart, new Map([['tablet', 31], ['charging-cart', 2]]))).toMatchObject({ value: 16 });
    expect(lotMetric(cart, new Map([['tablet', 8], ['charging-cart', 1]]))).toMatchObject({ value: 12 });
    expect(lotMetric(cart, new Map([['tablet', 8]]))).toMatchObject({ value: 12 });
    expect(lotMetric({ metric: cart.metric }, new Map([['tablet', 16], ['charging-cart', 1]]))).toMatchObject({ value: 12 });
  });

  it('takes the site needing the most slots when quantities are split by site, spare slots added', () => {
    const total = new Map([['tablet', 46], ['charging-cart', 2]]);
    const sites = [new Map([['tablet', 16], ['charging-cart', 1]]), new Map([['tablet', 30], ['charging-cart', 1]])];
    expect(lotMetric(cart, total, 2)).toMatchObject({ value: 25 });
    expect(lotMetric(cart, total, 2, sites)).toMatchObject({ value: 32 });
    expect(lotMetric(cart, total, 0, [new Map([['tablet', 8], ['charging-cart', 1]])])).toMatchObject({ value: 12 });
  });
});
