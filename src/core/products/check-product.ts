import type { CatalogueItem } from '#src/core/model/catalogue.ts';
import type { Criterion, Level } from '#src/core/model/criterion.ts';
import { formatNumber, formatQuantity, formatThreshold } from '#src/core/model/metric.ts';
import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { convert } from '#src/core/model/units.ts';
import { isBundle, type DeclaredValue, type Product } from './product.ts';

/**
 * Conformity of products to a framework version (« conforme au référentiel »), pure.
 *
 * Each criterion of the product's item that the framework pins gets a verdict:
 * - `conform`: the declared value meets the threshold, units converted (36 mois meets ≥ 3 ans);
 * - `not-conform`: it does not, with the values compared;
 * - `undeclared`: the sheet says nothing; never guessed, never taken as a yes;
 * - `needs-evidence`: the criterion is shown by a document (a certificate, a label, a test
 *   report…) rather than by a value a sheet can state, or has no measurable metric.
 * A product's verdict reads only its item's minimum criteria (« exigences minimales »), the worst
 * first: not conform, then undeclared, then needs evidence, else conform. Assessed criteria are
 * checked and shown but decide nothing.
 *
 * A bundle conforms when each of its components does and its own criteria hold: a criterion that
 * grows with the offer (lotScale: a charging cart holds every tablet) is checked against the
 * bundle's quantities.
 */

export type Verdict = 'conform' | 'not-conform' | 'undeclared' | 'needs-evidence';

/** Worst first: the order a product's verdict is chosen in. */
export const VERDICT_ORDER: readonly Verdict[] = ['not-conform', 'undeclared', 'needs-evidence', 'conform'];

export interface CriterionCheck {
  criterionId: string;
  /** The criterion version the framework pins. */
  version: number;
  label: string;
  level: Level;
  verdict: Verdict;
  /** The threshold in force, as the CCTP prints it (« ≥ 32 Go »). */
  required: string;
  /** The declared value as written (« 36 mois »), absent when undeclared. */
  declared?: string;
  /** French, for the catalogue manager: the values compared (« 36 mois, soit 3 ans, pour ≥ 3 ans »). */
  comparison: string;
  /** For a bundle's own criteria: the component the check is about. */
  component?: string;
}

export interface ProductCheck {
  reference: string;
  supplier: string;
  brand: string;
  model: string;
  /** The item, or for a bundle the offer. */
  item?: string;
  offer?: string;
  verdict: Verdict;
  /** Every criterion checked, in the framework's order (a bundle: its own criteria). */
  checks: CriterionCheck[];
  /** The minimum criteria that decide a verdict other than conform, worst first. */
  reasons: CriterionCheck[];
  /** For a bundle: each component's verdict. */
  components?: Array<{ reference: string; quantity: number; verdict: Verdict }>;
}

/** Proofs a product sheet can carry as a value; a criterion shown only by other proofs needs a document. */
const VALUE_PROOFS = new Set(['datasheet', 'declaration', 'service-description']);

export function needsEvidence(criterion: Criterion): boolean {
  return criterion.metric.type === 'text' || !criterion.proof.some((p) => VALUE_PROOFS.has(p));
}

/** The worst of some verdicts (conform for none). */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst = VERDICT_ORDER.length - 1;
  for (const v of verdicts) worst = Math.min(worst, VERDICT_ORDER.indexOf(v));
  return VERDICT_ORDER[worst]!;
}

/** The declared value as a French sheet prints it. */
export function formatDeclared(declared: DeclaredValue): string {
  if (typeof declared.value === 'boolean') return declared.value ? 'Oui' : 'Non';
  if ('unit' in declared) return formatQuantity(declared.value, declared.unit);
  return String(declared.value);
}

/** One criterion against a declared value (or none); `threshold` replaces a numeric gte value (a bundle's scale). */
export function checkCriterion(criterion: Criterion, declared: DeclaredValue | undefined, threshold?: { value: number; why: string }): CriterionCheck {
  const reference = criterion.metric;
  const scaled = threshold !== undefined && reference.type === 'numeric' && threshold.value > reference.value;
  const metric = scaled ? { ...reference, value: threshold.value } : reference;
  const required = formatThreshold(metric) + (scaled ? ` (${threshold.why})` : '');
  const base = { criterionId: criterion.id, version: criterion.version, label: criterion.label, level: criterion.level, required };
  if (declared === undefined) {
    return { ...base, verdict: needsEvidence(criterion) ? 'needs-evidence' : 'undeclared', comparison: needsEvidence(criterion) ? `justificatif attendu, exigé ${required}` : `non déclaré, exigé ${required}` };
  }
  const shown = formatDeclared(declared);
  let meets: boolean | undefined;
  let value = shown;
  switch (metric.type) {
    case 'numeric':
    case 'range': {
      const d = declared as { value: number; unit: string };
      const converted = convert(d.value, d.unit, metric.unit);
      if (converted === undefined) {
        meets = undefined;
        break;
      }
      if (d.unit !== metric.unit) value = `${shown}, soit ${formatQuantity(converted, metric.unit)}`;
      meets =
        metric.type === 'range'
          ? converted >= metric.min && converted <= metric.max
          : metric.comparator === 'gte'
            ? converted >= metric.value
            : metric.comparator === 'lte'
              ? converted <= metric.value
              : converted === metric.value;
      break;
    }
    case 'boolean':
      meets = !metric.expected || declared.value === true;
      break;
    case 'enum': {
      const rank = metric.options.indexOf(String(declared.value));
      meets = rank === -1 ? false : metric.comparator === 'gte' ? rank >= metric.options.indexOf(metric.value) : declared.value === metric.value;
      break;
    }
    case 'text':
      meets = undefined;
  }
  if (meets === undefined) return { ...base, verdict: metric.type === 'text' ? 'needs-evidence' : 'undeclared', declared: shown, comparison: `${value}, exigé ${required}` };
  if (!meets) return { ...base, verdict: 'not-conform', declared: shown, comparison: `${value} pour ${required} exigé` };
  if (needsEvidence(criterion)) return { ...base, verdict: 'needs-evidence', declared: shown, comparison: `${value} déclaré, justificatif attendu (${required})` };
  return { ...base, verdict: 'conform', declared: shown, comparison: `${value} pour ${required} exigé` };
}

/** The criteria of an item the framework pins, in the framework's order. */
export function criteriaOfItem(item: CatalogueItem, snapshot: CatalogueSnapshot): Criterion[] {
  const own = new Set(item.criteria);
  return snapshot.framework.criteria.filter((ref) => own.has(ref.id)).map((ref) => snapshot.criteria.get(ref.id)!);
}

function verdictOf(checks: readonly CriterionCheck[]): { verdict: Verdict; reasons: CriterionCheck[] } {
  const minimum = checks.filter((c) => c.level === 'minimum');
  const reasons = minimum.filter((c) => c.verdict !== 'conform').sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict));
  return { verdict: worstVerdict(minimum.map((c) => c.verdict)), reasons };
}

function identity(product: Product): Pick<ProductCheck, 'reference' | 'supplier' | 'brand' | 'model'> {
  return { reference: product.reference, supplier: product.supplier, brand: product.brand, model: product.model };
}

/** A single product (not a bundle) against the framework. The item must be in the snapshot (the importer checks it). */
export function checkProduct(product: Product, snapshot: CatalogueSnapshot): ProductCheck {
  if (isBundle(product)) throw new TypeError(`${product.reference} is a bundle: use checkCatalogue`);
  const item = snapshot.items.get(product.item!);
  if (!item) throw new TypeError(`unknown item ${product.item}`);
  const checks = criteriaOfItem(item, snapshot).map((criterion) => checkCriterion(criterion, product.attributes[criterion.id]));
  return { ...identity(product), item: item.id, ...verdictOf(checks), checks };
}

/**
 * A bundle, once its components are checked: each component's verdict, then the criteria that
 * scale with the offer, on the components that carry them (a cart of 12 slots in a bundle of 16
 * tablets is not conform).
 */
export function checkBundle(bundle: Product, snapshot: CatalogueSnapshot, components: ReadonlyMap<string, { product: Product; check: ProductCheck }>): ProductCheck {
  if (!isBundle(bundle)) throw new TypeError(`${bundle.reference} is not a bundle`);
  const parts = bundle.components.map((c) => ({ ...c, ...components.get(c.reference)! }));
  const quantityOf = (items: readonly string[]) => parts.filter((p) => items.includes(p.product.item!)).reduce((sum, p) => sum + p.quantity, 0);
  const checks: CriterionCheck[] = [];
  for (const part of parts) {
    const item = snapshot.items.get(part.product.item!)!;
    for (const criterion of criteriaOfItem(item, snapshot)) {
      if (!criterion.lotScale || criterion.metric.type !== 'numeric' || criterion.metric.comparator !== 'gte') continue;
      const per = quantityOf(criterion.lotScale.per);
      const count = quantityOf(criterion.lotScale.count);
      if (per === 0) continue;
      const needed = Math.ceil(count / per);
      const counted = criterion.lotScale.count.map((id) => snapshot.items.get(id)?.label ?? id).join(', ');
      const check = checkCriterion(criterion, part.product.attributes[criterion.id], { value: needed, why: `${formatNumber(count)} × ${counted.toLowerCase()} pour ${formatNumber(per)}` });
      checks.push({ ...check, component: part.reference });
    }
  }
  const componentVerdicts = parts.map((p) => ({ reference: p.reference, quantity: p.quantity, verdict: p.check.verdict }));
  const own = verdictOf(checks);
  const componentReasons: CriterionCheck[] = parts
    .filter((p) => p.check.verdict !== 'conform')
    .map((p) => ({ ...p.check.reasons[0]!, component: p.reference }));
  const reasons = [...own.reasons, ...componentReasons].sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict));
  return {
    ...identity(bundle),
    offer: bundle.offer,
    verdict: worstVerdict([own.verdict, ...componentVerdicts.map((c) => c.verdict)]),
    checks,
    reasons,
    components: componentVerdicts,
  };
}
