import type { AuthorityType, Criterion, Level } from '../../src/core/model/criterion.ts';
import { itemOf } from './catalogue.ts';
import type { DraftOverride } from './draft.ts';
import { foldText, formatCount, formatInteger } from './format.ts';
import { CATEGORY_LABELS } from './labels.ts';

/** What the buyer narrows the requirements step to: words, an item of the lots, a source, a level, their own changes. */
export interface RequirementFilter {
  text: string;
  itemId: string;
  authority: '' | AuthorityType;
  level: '' | Level;
  changedOnly: boolean;
}

export const NO_FILTER: RequirementFilter = { text: '', itemId: '', authority: '', level: '', changedOnly: false };

export function isFiltering(filter: RequirementFilter): boolean {
  return filter.text.trim() !== '' || filter.itemId !== '' || filter.authority !== '' || filter.level !== '' || filter.changedOnly;
}

/** One criterion card of one lot: the lot's catalogue items and the buyer's change, if any. */
export interface RequirementCard {
  criterion: Criterion;
  lotItemIds: ReadonlySet<string>;
  override: DraftOverride | undefined;
}

/**
 * Whether a card stays on screen. Words are searched, accents and case aside, in what the card
 * shows (title, requirement text, source reference, category), never in internal ids; the item
 * keeps the criteria it binds to in a lot that buys it; the level is the one in force (the buyer's
 * if changed); « modifiés » are the cards the buyer changed.
 */
export function cardMatches(card: RequirementCard, filter: RequirementFilter): boolean {
  const { criterion, override } = card;
  if (filter.changedOnly && override === undefined) return false;
  if (filter.authority !== '' && criterion.authority.type !== filter.authority) return false;
  if (filter.level !== '' && (override?.level ?? criterion.level) !== filter.level) return false;
  if (filter.itemId !== '' && !(card.lotItemIds.has(filter.itemId) && (itemOf(filter.itemId)?.criteria ?? []).includes(criterion.id))) return false;
  const words = foldText(filter.text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = foldText(`${criterion.label} ${criterion.requirement} ${criterion.authority.reference} ${CATEGORY_LABELS[criterion.category]}`);
  return words.every((w) => text.includes(w));
}

/** « 12 critères affichés sur 63 », « 1 critère affiché sur 63 ». */
export function shownCount(shown: number, total: number): string {
  return `${formatCount(shown, 'critère affiché', 'critères affichés')} sur ${formatInteger(total)}`;
}
