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
  products: ReportEntry[];
}

/** A product's line of the report: its check and the first reason it does not conform. */
export type ReportEntry = ProductCheck & { firstReason?: CriterionCheck };

/** The report without its products: what a check of a large catalogue keeps while it writes each product out. */
export type ReportSummary = Omit<CatalogueReport, 'products'>;

/**
 * The JSON report written a product at a time: the summary as `JSON.stringify(report, null, 2)`
 * writes it, then the products, one per line (`entry` takes a product already serialised).
 */
export const REPORT_JSON = {
  head: (summary: ReportSummary): string => `${JSON.stringify(summary, null, 2).slice(0, -'\n}'.length)},\n  "products": [`,
  entry: (json: string, first: boolean): string => `${first ? '' : ','}\n    ${json}`,
  tail: (count: number): string => (count === 0 ? ']\n}\n' : '\n  ]\n}\n'),
};

/** Percent with one decimal, rounded half up on the exact ratio (1 of 3: 33,3). */
export function share(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part * 1000) / total) / 10;
}

export function countVerdicts(verdicts: readonly Verdict[]): VerdictCounts {
  const counts = noVerdicts();
  for (const v of verdicts) counts[v]++;
  return countsOf(counts);
}

/**
 * The check of each product, given in any order, once the products that bundles name are known
 * (`components`: for a file read twice, those kept from the first reading; others are ignored).
 * Products must come from importProducts or ProductFileReader.
 */
export function productChecker(components: Iterable<Product>, snapshot: CatalogueSnapshot): (product: Product) => ProductCheck {
  const singles = new Map<string, { product: Product; check: ProductCheck }>();
  for (const product of components) if (!isBundle(product)) singles.set(product.reference, { product, check: checkProduct(product, snapshot) });
  return (product) => (isBundle(product) ? checkBundle(product, snapshot, singles) : (singles.get(product.reference)?.check ?? checkProduct(product, snapshot)));
}

/** Every product's check, in the order of the file. Products must come from importProducts. */
export function checkProducts(products: readonly Product[], snapshot: CatalogueSnapshot): ProductCheck[] {
  return products.map(productChecker(products, snapshot));
}

export function catalogueReport(products: readonly Product[], snapshot: CatalogueSnapshot): CatalogueReport {
  const tally = new CatalogueTally(snapshot);
  const entries = checkProducts(products, snapshot).map((check) => tally.add(check));
  return { ...tally.summary(), products: entries };
}

const noVerdicts = (): Record<Verdict, number> => ({ 'not-conform': 0, undeclared: 0, 'needs-evidence': 0, conform: 0 });

function countsOf(counts: Record<Verdict, number>): VerdictCounts {
  const total = VERDICT_ORDER.reduce((sum, v) => sum + counts[v], 0);
  return { ...noVerdicts(), ...counts, total, shareConform: share(counts.conform, total) };
}

function bump<K>(groups: Map<K, Record<Verdict, number>>, key: K, verdict: Verdict): void {
  let counts = groups.get(key);
  if (!counts) groups.set(key, (counts = noVerdicts()));
  counts[verdict]++;
}

/**
 * The report of checks given one at a time, in the order of the file: `add` counts a check and
 * returns its report entry, `summary` gives the counts and the eligible products so far. Only the
 * counts, the criteria met and the references of conforming products are kept, so a caller that
 * writes each entry out checks a large catalogue in bounded memory; catalogueReport is the same
 * tally over products held in memory.
 */
export class CatalogueTally {
  private readonly totals = noVerdicts();
  private readonly byItem = new Map<string, Record<Verdict, number>>();
  private readonly bySupplier = new Map<string, Record<Verdict, number>>();
  /** Conforming references by item id, and by offer id for bundles. */
  private readonly eligible = new Map<string, string[]>();
  private readonly bundles = new Map<string, string[]>();
  private readonly criteria = new Map<string, string>();

  constructor(private readonly snapshot: CatalogueSnapshot) {}

  add(check: ProductCheck): ReportEntry {
    this.totals[check.verdict]++;
    bump(this.byItem, check.item ?? `offer:${check.offer}`, check.verdict);
    bump(this.bySupplier, check.supplier, check.verdict);
    if (check.verdict === 'conform') {
      const [groups, key] = check.item !== undefined ? [this.eligible, check.item] : [this.bundles, check.offer ?? ''];
      const list = groups.get(key);
      if (list) list.push(check.reference);
      else groups.set(key, [check.reference]);
    }
    for (const c of check.checks) if (!this.criteria.has(c.criterionId)) this.criteria.set(c.criterionId, c.label);
    return check.reasons[0] === undefined ? { ...check } : { ...check, firstReason: check.reasons[0] };
  }

  /** The criteria checked so far, in the order first met: the columns of the report's table. */
  columns(): Array<{ id: string; label: string }> {
    return [...this.criteria].map(([id, label]) => ({ id, label }));
  }

  summary(): ReportSummary {
    const { framework } = this.snapshot;
    const itemOrder = [...this.snapshot.items.keys()];
    const byItem = [...this.byItem]
      .map(([key, counts]) => {
        const id = key.startsWith('offer:') ? key.slice('offer:'.length) : key;
        const label = key.startsWith('offer:') ? `Offre groupée : ${this.snapshot.offers.get(id)?.label ?? id}` : (this.snapshot.items.get(id)?.label ?? id);
        return { item: key, label, ...countsOf(counts) };
      })
      .sort((a, b) => rank(itemOrder, a.item) - rank(itemOrder, b.item) || (a.item < b.item ? -1 : 1));
    const bySupplier = [...this.bySupplier]
      .map(([supplier, counts]) => ({ supplier, ...countsOf(counts) }))
      .sort((a, b) => a.supplier.localeCompare(b.supplier, 'fr'));
    const offers = [...this.snapshot.offers.values()].map((offer) => ({
      offer: offer.id,
      label: offer.label,
      items: offer.items.map(({ itemId }) => ({ item: itemId, eligible: [...(this.eligible.get(itemId) ?? [])] })),
      bundles: [...(this.bundles.get(offer.id) ?? [])],
    }));
    return {
      framework: { id: framework.id, version: framework.version, reference: framework.reference },
      totals: countsOf(this.totals),
      byItem,
      bySupplier,
      offers,
    };
  }
}

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

/** How bad a verdict is, for sorting and for telling a loss from a gain (0 = worst). */
export function severity(verdict: Verdict): number {
  return VERDICT_ORDER.indexOf(verdict);
}
