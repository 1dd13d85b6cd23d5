import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { checkBundle, checkProduct, VERDICT_ORDER, type CriterionCheck, type ProductCheck, type Verdict } from './check-product.ts';
import { isBundle, type Product } from './product.ts';

/**
 * A catalogue against a framework version: every product's verdict and reasons, and the counts a
 * catalogue manager and the ministry read first (overall, per item, per supplier), and for each
 * Cahier offer the products that may fill it. Pure; the same products and framework give the
 * same report.
 */

export type VerdictCounts = Record<Verdict, number> & {
  total: number;
  /** Share of conforming products, in percent with one decimal (0 for an empty group). */
  shareConform: number;
};

export interface CatalogueReport {
  framework: { id: string; version: number; reference: string };
  totals: VerdictCounts;
  byItem: Array<{ item: string; label: string } & VerdictCounts>;
  bySupplier: Array<{ supplier: string } & VerdictCounts>;
  /** For each offer of the framework's catalogue: per item, the conforming products that may fill it. */
  offers: Array<{ offer: string; label: string; items: Array<{ item: string; eligible: string[] }>; bundles: string[] }>;
  products: Array<ProductCheck & { firstReason?: CriterionCheck }>;
}

/** Percent with one decimal, rounded half up on the exact ratio (1 of 3: 33,3). */
export function share(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part * 1000) / total) / 10;
}

export function countVerdicts(verdicts: readonly Verdict[]): VerdictCounts {
  const counts = { 'not-conform': 0, undeclared: 0, 'needs-evidence': 0, conform: 0 } as Record<Verdict, number>;
  for (const v of verdicts) counts[v]++;
  return { ...counts, total: verdicts.length, shareConform: share(counts.conform, verdicts.length) };
}

/** Every product's check, components before bundles, in the order of the file. Products must come from importProducts. */
export function checkProducts(products: readonly Product[], snapshot: CatalogueSnapshot): ProductCheck[] {
  const singles = new Map<string, { product: Product; check: ProductCheck }>();
  for (const product of products) if (!isBundle(product)) singles.set(product.reference, { product, check: checkProduct(product, snapshot) });
  return products.map((product) => (isBundle(product) ? checkBundle(product, snapshot, singles) : singles.get(product.reference)!.check));
}

function groupCounts<K extends string>(checks: readonly ProductCheck[], key: (c: ProductCheck) => K): Map<K, VerdictCounts> {
  const groups = new Map<K, Verdict[]>();
  for (const check of checks) {
    const k = key(check);
    const group = groups.get(k);
    if (group) group.push(check.verdict);
    else groups.set(k, [check.verdict]);
  }
  return new Map([...groups].map(([k, verdicts]) => [k, countVerdicts(verdicts)]));
}

export function catalogueReport(products: readonly Product[], snapshot: CatalogueSnapshot): CatalogueReport {
  return reportOf(checkProducts(products, snapshot), snapshot);
}

/** The report of checks already made (the impact preview reuses them). */
export function reportOf(checks: readonly ProductCheck[], snapshot: CatalogueSnapshot): CatalogueReport {
  const { framework } = snapshot;
  const itemOrder = [...snapshot.items.keys()];
  const byItem = [...groupCounts(checks, (c) => c.item ?? `offer:${c.offer}`)]
    .map(([key, counts]) => {
      const id = key.startsWith('offer:') ? key.slice('offer:'.length) : key;
      const label = key.startsWith('offer:') ? `Offre groupée : ${snapshot.offers.get(id)?.label ?? id}` : (snapshot.items.get(id)?.label ?? id);
      return { item: key, label, ...counts };
    })
    .sort((a, b) => rank(itemOrder, a.item) - rank(itemOrder, b.item) || (a.item < b.item ? -1 : 1));
  const bySupplier = [...groupCounts(checks, (c) => c.supplier)]
    .map(([supplier, counts]) => ({ supplier, ...counts }))
    .sort((a, b) => a.supplier.localeCompare(b.supplier, 'fr'));
  const conforming = checks.filter((c) => c.verdict === 'conform');
  const offers = [...snapshot.offers.values()].map((offer) => ({
    offer: offer.id,
    label: offer.label,
    items: offer.items.map(({ itemId }) => ({ item: itemId, eligible: conforming.filter((c) => c.item === itemId).map((c) => c.reference) })),
    bundles: conforming.filter((c) => c.offer === offer.id).map((c) => c.reference),
  }));
  return {
    framework: { id: framework.id, version: framework.version, reference: framework.reference },
    totals: countVerdicts(checks.map((c) => c.verdict)),
    byItem,
    bySupplier,
    offers,
    products: checks.map((c) => (c.reasons[0] === undefined ? { ...c } : { ...c, firstReason: c.reasons[0] })),
  };
}

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

/** How bad a verdict is, for sorting and for telling a loss from a gain (0 = worst). */
export function severity(verdict: Verdict): number {
  return VERDICT_ORDER.indexOf(verdict);
}
