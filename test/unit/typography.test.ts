import { describe, expect, it } from 'vitest';
import { buyerDesignation } from '#src/core/documents/buyer-name.ts';
import { formatCount, formatDate } from '#src/core/model/format.ts';
import { frenchApostrophes, withFrenchApostrophes } from '#src/core/model/typography.ts';
import { makeTender } from '../support/fixtures.ts';

describe('French typography', () => {
  it('turns straight apostrophes between letters into ’ and leaves other quotes', () => {
    expect(frenchApostrophes("L'école d'aujourd'hui")).toBe('L’école d’aujourd’hui');
    expect(frenchApostrophes("un 'terme' cité, 5' d'arc")).toBe('un \'terme\' cité, 5\' d’arc');
    const value = { a: ["l'élève"], b: 3, c: 'rien' };
    expect(withFrenchApostrophes(value)).toEqual({ a: ['l’élève'], b: 3, c: 'rien' });
    const untouched = { c: 'rien', d: ['x'] };
    expect(withFrenchApostrophes(untouched)).toBe(untouched);
  });

  it('copies only what changes, keeping keys and items in their order', () => {
    // Prepare
    const kept = { d: ['x'] };
    const value = { a: 'rien', b: ['x', "l'a", 'y'], c: 1, kept, e: "d'un" };
    // Act
    const result = withFrenchApostrophes(value);
    // Assess
    expect(result).toEqual({ a: 'rien', b: ['x', 'l’a', 'y'], c: 1, kept: { d: ['x'] }, e: 'd’un' });
    expect(Object.keys(result)).toEqual(['a', 'b', 'c', 'kept', 'e']);
    expect(result.kept).toBe(kept);
    expect(value.b).toEqual(['x', "l'a", 'y']);
  });

  it('resolves every text of a tender with one apostrophe style', () => {
    const tender = makeTender((draft) => {
      draft.title = "Équipement de l'école";
    });
    const texts = JSON.stringify({ request: tender.request, lots: tender.lots });
    expect(texts).not.toMatch(/\p{L}'\p{L}/u);
    expect(tender.request.title).toBe('Équipement de l’école');
  });

  it('agrees counts in number and writes the first of the month « 1er »', () => {
    expect(formatCount(0, 'exigence', 'exigences')).toBe('0\u00a0exigence');
    expect(formatCount(1, 'exigence', 'exigences')).toBe('1\u00a0exigence');
    expect(formatCount(17, 'exigence', 'exigences')).toBe('17\u00a0exigences');
    expect(formatDate('2026-12-01')).toBe('1er décembre 2026');
    expect(formatDate('2026-12-11')).toBe('11 décembre 2026');
  });

  it('names the buyer with its article', () => {
    expect(buyerDesignation({ name: 'Commune de Saint-Julien-des-Combes' })).toBe('la Commune de Saint-Julien-des-Combes');
    expect(buyerDesignation({ name: 'Département de la Haute-Vallée' })).toBe('le Département de la Haute-Vallée');
    expect(buyerDesignation({ name: 'Établissement public local' })).toBe('l’Établissement public local');
    expect(buyerDesignation({ name: 'SIVOM des Trois Vallées', article: 'le' })).toBe('le SIVOM des Trois Vallées');
    expect(buyerDesignation({ name: 'Saint-Julien' })).toBe('Saint-Julien');
  });
});
