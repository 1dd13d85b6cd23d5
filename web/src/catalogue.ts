import type { CatalogueItem } from '../../src/core/model/catalogue.ts';
import type { Criterion } from '../../src/core/model/criterion.ts';
import type { SchoolLevel } from '../../src/core/model/school-levels.ts';
import items from '../../catalogue/items.json' with { type: 'json' };

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

export { lotLines, lotQuantities, lotSiteIds, requestLineSummary, type LotLine } from './lot-lines.ts';

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
