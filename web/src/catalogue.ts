import type { CatalogueItem, Offer } from '../../src/core/model/catalogue.ts';
import type { Criterion } from '../../src/core/model/criterion.ts';
import type { SchoolLevel } from '../../src/core/model/school-levels.ts';
import items from '../../catalogue/items.json';

/**
 * The catalogue items (what can be bought and which criteria bind to each). The API serves
 * frameworks, criteria and offers but not items, which change only with a release: the app
 * carries the repository's catalogue/items.json, the same file the stack seeds.
 */
export const ITEMS: readonly CatalogueItem[] = items as CatalogueItem[];
const BY_ID = new Map(ITEMS.map((i) => [i.id, i]));

export function itemOf(id: string): CatalogueItem | undefined {
  return BY_ID.get(id);
}

export function itemLabel(id: string): string {
  return BY_ID.get(id)?.label ?? id;
}

/** What a lot buys: the offer's items times its count, then the items à la carte. */
export function lotLines(lot: { offerId: string; offerCount: number | undefined; items: ReadonlyArray<{ itemId: string; quantity: number | undefined }> }, offers: readonly Offer[]): Array<{ itemId: string; quantity: number }> {
  const lines = new Map<string, number>();
  const offer = offers.find((o) => o.id === lot.offerId);
  if (offer) for (const line of offer.items) lines.set(line.itemId, (lines.get(line.itemId) ?? 0) + line.quantity * (lot.offerCount ?? 0));
  for (const line of lot.items) if (line.itemId) lines.set(line.itemId, (lines.get(line.itemId) ?? 0) + (line.quantity ?? 0));
  return [...lines].map(([itemId, quantity]) => ({ itemId, quantity }));
}

/** The reference criteria a lot's items bind to, each once, in the items' order. */
export function lotCriteria(itemIds: readonly string[], criteria: ReadonlyMap<string, Criterion>, levels: readonly SchoolLevel[]): Criterion[] {
  const seen = new Set<string>();
  const out: Criterion[] = [];
  for (const itemId of itemIds) {
    for (const id of BY_ID.get(itemId)?.criteria ?? []) {
      const criterion = criteria.get(id);
      // As resolveTender: a duty of other school levels (the primary-school Wi-Fi switch-off) is not the buyer's.
      const applies = !criterion?.schoolLevels || criterion.schoolLevels.some((level) => levels.includes(level));
      if (criterion && applies && !seen.has(id)) {
        seen.add(id);
        out.push(criterion);
      }
    }
  }
  return out;
}
