/** The requirements step's search and filters (web/src/requirement-filter.ts), on the repository's criteria. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Criterion } from '../../src/core/model/criterion.ts';
import { cardMatches, isFiltering, NO_FILTER, shownCount, type RequirementCard } from '../../web/src/requirement-filter.ts';

const criteria = JSON.parse(readFileSync(new URL('../../catalogue/criteria.json', import.meta.url), 'utf8')) as Criterion[];
const byId = (id: string) => criteria.find((c) => c.id === id)!;
const card = (id: string, lotItemIds: string[], override?: RequirementCard['override']): RequirementCard => ({ criterion: byId(id), lotItemIds: new Set(lotItemIds), override });

describe('requirement filter', () => {
  it('counts in French, singular below 2, with a no-break space', () => {
    expect(shownCount(12, 63)).toBe('12\u00a0critères affichés sur 63');
    expect(shownCount(1, 63)).toBe('1\u00a0critère affiché sur 63');
    expect(shownCount(0, 1)).toBe('0\u00a0critère affiché sur 1');
    expect(shownCount(1200, 1500)).toBe('1\u202f200\u00a0critères affichés sur 1\u202f500');
  });

  it('searches the words, accents and case aside, in what the card shows but never in its id', () => {
    const storage = card('tablet.storage.user', ['tablet']);
    expect(cardMatches(storage, { ...NO_FILTER, text: byId('tablet.storage.user').label.toUpperCase().normalize('NFD').replace(/\p{Diacritic}/gu, '') })).toBe(true);
    expect(cardMatches(storage, { ...NO_FILTER, text: 'tablet.storage.user' })).toBe(false);
    expect(cardMatches(storage, { ...NO_FILTER, text: '   ' })).toBe(true);
    expect(isFiltering({ ...NO_FILTER, text: '   ' })).toBe(false);
  });

  it('keeps, for an item, the criteria it binds to in a lot that buys it', () => {
    const warranty = card('warranty.onsite', ['tablet', 'charging-cart']);
    expect(cardMatches(warranty, { ...NO_FILTER, itemId: 'charging-cart' })).toBe(true);
    expect(cardMatches(card('warranty.onsite', ['tablet']), { ...NO_FILTER, itemId: 'charging-cart' })).toBe(false);
    expect(cardMatches(card('tablet.storage.user', ['tablet', 'charging-cart']), { ...NO_FILTER, itemId: 'charging-cart' })).toBe(false);
  });

  it('filters on the source, on the level in force (the buyer’s when changed) and on the buyer’s changes', () => {
    const storage = byId('tablet.storage.user');
    const other = storage.level === 'minimum' ? 'assessed' : 'minimum';
    expect(cardMatches(card(storage.id, ['tablet']), { ...NO_FILTER, authority: storage.authority.type })).toBe(true);
    expect(cardMatches(card(storage.id, ['tablet']), { ...NO_FILTER, authority: storage.authority.type === 'law' ? 'ministry' : 'law' })).toBe(false);
    expect(cardMatches(card(storage.id, ['tablet']), { ...NO_FILTER, level: other })).toBe(false);
    expect(cardMatches(card(storage.id, ['tablet'], { level: other, justification: '' }), { ...NO_FILTER, level: other })).toBe(true);
    expect(cardMatches(card(storage.id, ['tablet']), { ...NO_FILTER, changedOnly: true })).toBe(false);
    expect(cardMatches(card(storage.id, ['tablet'], { excluded: true, justification: '' }), { ...NO_FILTER, changedOnly: true })).toBe(true);
  });
});
