import type { Criterion, LotScale, Metric } from './criterion.ts';
import type { Issue } from './errors.ts';
import { formatNumber, formatQuantity } from './metric.ts';

/**
 * A criterion's text never states the number its metric holds: it says `{seuil}` where the
 * threshold is read, and resolveTender puts there the threshold in force (the buyer's override, or
 * the one the lot implies), so that every document prints one number only.
 *
 * The phrase reads after a noun: « un espace de stockage {seuil} » gives « un espace de stockage
 * d’au moins 32 Go ».
 */
export const THRESHOLD_PLACEHOLDER = '{seuil}';

type Thresholded = Extract<Metric, { type: 'numeric' | 'range' | 'enum' }>;

/** Metrics whose text must carry the placeholder (the others hold no number to print). */
export function hasThreshold(metric: Metric): metric is Thresholded {
  return metric.type === 'numeric' || metric.type === 'range' || metric.type === 'enum';
}

/**
 * The threshold as a phrase that follows a noun: « d’au moins 32 Go », « d’au plus 4 h »,
 * « de 4 Go », « de 13 à 15,6 pouces », « Wi-Fi 5 (802.11ac) au minimum » (the strongest option
 * of a list needs no « au minimum »).
 */
export function thresholdPhrase(metric: Thresholded): string {
  switch (metric.type) {
    case 'numeric': {
      const quantity = formatQuantity(metric.value, metric.unit);
      return metric.comparator === 'gte' ? `d’au moins ${quantity}` : metric.comparator === 'lte' ? `d’au plus ${quantity}` : `de ${quantity}`;
    }
    case 'range':
      return metric.min === metric.max
        ? `de ${formatQuantity(metric.min, metric.unit)}`
        : `de ${formatNumber(metric.min)} à ${formatQuantity(metric.max, metric.unit)}`;
    case 'enum':
      return metric.comparator === 'gte' && metric.value !== metric.options.at(-1) ? `${metric.value} au minimum` : metric.value;
  }
}

/** The text with its placeholder replaced by the threshold of `metric`; a text without one is returned as is. */
export function renderRequirementText(text: string, metric: Metric): string {
  if (!hasThreshold(metric) || !text.includes(THRESHOLD_PLACEHOLDER)) return text;
  return text.split(THRESHOLD_PLACEHOLDER).join(thresholdPhrase(metric));
}

/** Numbers written the French way: « 1 200 » (any space as thousands separator), « 15,6 », « 50 000 ». */
const FRENCH_NUMBER = /(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?![\d])|(?<![\d,.])\d+(?:,\d+)?(?![\d])/g;

/** Every number a French text states, in order. */
export function frenchNumbers(text: string): number[] {
  return [...text.matchAll(FRENCH_NUMBER)].map((m) => Number(m[0].replace(/[ \u00a0\u202f]/g, '').replace(',', '.')));
}

const PLACEHOLDER_LIKE = /\{[^{}]*\}/g;

/**
 * Why a criterion's requirement text cannot be a current version, as issues on `path`: a metric
 * with a threshold needs the placeholder exactly once and must not state one of its numbers (or,
 * for a list, one of its options) in words; a metric without one has nothing to insert.
 */
export function requirementTextIssues(text: string, metric: Metric, path = 'requirement'): Issue[] {
  const issues: Issue[] = [];
  for (const match of text.matchAll(PLACEHOLDER_LIKE)) {
    if (match[0] !== THRESHOLD_PLACEHOLDER) {
      issues.push({ path, message: `unknown placeholder "${match[0]}": the only one is ${THRESHOLD_PLACEHOLDER}` });
    }
  }
  const placeholders = text.split(THRESHOLD_PLACEHOLDER).length - 1;
  if (!hasThreshold(metric)) {
    if (placeholders > 0) issues.push({ path, message: `a ${metric.type} metric has no threshold to insert: remove ${THRESHOLD_PLACEHOLDER}` });
    return issues;
  }
  if (placeholders !== 1) {
    issues.push({
      path,
      message: `expected ${THRESHOLD_PLACEHOLDER} exactly once, where the threshold of the ${metric.type} metric is read (found ${placeholders})`,
    });
  }
  const prose = text.split(THRESHOLD_PLACEHOLDER).join(' ');
  if (metric.type === 'enum') {
    for (const option of metric.options) {
      if (statesOption(prose, option)) {
        issues.push({ path, message: `the text states "${option}", an option of its metric: write ${THRESHOLD_PLACEHOLDER} where the threshold is read` });
      }
    }
    return issues;
  }
  const held = metric.type === 'numeric' ? [metric.value] : [metric.min, metric.max];
  for (const n of new Set(frenchNumbers(prose).filter((n) => held.includes(n)))) {
    issues.push({
      path,
      message: `the text states ${formatNumber(n)}, a number its metric holds: write ${THRESHOLD_PLACEHOLDER} where the threshold is read, so an override cannot contradict it`,
    });
  }
  return issues;
}

/**
 * An option spelled in the text as a whole word, whichever apostrophe either uses (documents
 * print ’), case-sensitive for one-letter options such as energy classes.
 *
 * Same answer as `(?<![\p{L}\p{N}])option(?![\p{L}\p{N}])` with the same flags, but without
 * compiling a Unicode-property pattern per option: each one cost ≈ 0.5 ms, ≈ 25 ms of every
 * catalogue load, so of every cold `cahier generate` (issue #19). The option alone is searched
 * (a literal compiles in microseconds), and the code points around each occurrence are tested
 * against one letter-or-digit class per flag set, compiled once.
 */
function statesOption(text: string, option: string): boolean {
  const straight = (s: string) => s.replace(/’/g, "'");
  const escaped = straight(option).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const caseless = option.length > 1;
  const search = new RegExp(escaped, caseless ? 'giu' : 'gu');
  const prose = straight(text);
  for (let found = search.exec(prose); found !== null; found = search.exec(prose)) {
    const end = found.index + found[0].length;
    if (!isWordCodePoint(codePointBefore(prose, found.index), caseless) && !isWordCodePoint(prose.codePointAt(end), caseless)) return true;
    // Occurrences may overlap: the next attempt starts one code point further, as the pattern's would.
    search.lastIndex = found.index + (prose.codePointAt(found.index)! > 0xffff ? 2 : 1);
  }
  return false;
}

const wordClass: { caseless?: RegExp; cased?: RegExp } = {};

/** Whether a code point is a letter or a digit, as `[\p{L}\p{N}]` reads it with or without the `i` flag. */
function isWordCodePoint(codePoint: number | undefined, caseless: boolean): boolean {
  if (codePoint === undefined) return false;
  const pattern = caseless ? (wordClass.caseless ??= /^[\p{L}\p{N}]$/iu) : (wordClass.cased ??= /^[\p{L}\p{N}]$/u);
  return pattern.test(String.fromCodePoint(codePoint));
}

/** The code point that ends just before `index`, a surrogate pair read as one (as a lookbehind reads it). */
function codePointBefore(text: string, index: number): number | undefined {
  if (index === 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (index >= 2 && low >= 0xdc00 && low <= 0xdfff) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(index - 2);
  }
  return low;
}

/**
 * What a current criterion version must satisfy beyond its schema (the catalogue loader and the
 * editors' writes both ask), as issues whose paths are relative to the criterion.
 */
export function currentCriterionIssues(criterion: Pick<Criterion, 'requirement' | 'metric' | 'lotScale'>): Issue[] {
  const issues = requirementTextIssues(criterion.requirement, criterion.metric);
  if (criterion.lotScale && !(criterion.metric.type === 'numeric' && criterion.metric.comparator === 'gte')) {
    issues.push({ path: 'lotScale', message: 'a lot scale applies to a numeric minimum (comparator gte) only' });
  }
  return issues;
}

/**
 * The lots whose items a lot's scaled criterion counts (`quantities`: each lot's items). A lot that
 * buys some of the counted items (the tablets) counts its own, as always. A lot that buys the
 * sharing items (charging carts) but none of the counted ones is a packaged offer split across
 * lots, the tablets in lot 1 and the cart in lot 2: it counts the tablets of every lot that buys
 * no cart, shared among the carts of every lot that, like it, buys no tablet. Lots that buy both
 * keep their tablets to their own carts. The lot's own index comes back alone when it counts its own.
 */
export function scaleLots(lotScale: LotScale, quantities: ReadonlyArray<ReadonlyMap<string, number>>, index: number): number[] {
  const buys = (counts: ReadonlyMap<string, number>, ids: readonly string[]) => ids.some((id) => (counts.get(id) ?? 0) > 0);
  const own = quantities[index]!;
  if (buys(own, lotScale.count) || !buys(own, lotScale.per)) return [index];
  return quantities.flatMap((counts, i) => (buys(counts, lotScale.count) !== buys(counts, lotScale.per) ? [i] : []));
}

/** Item quantities added up. */
export function sumQuantities(maps: Iterable<ReadonlyMap<string, number>>): Map<string, number> {
  const total = new Map<string, number>();
  for (const counts of maps) for (const [id, quantity] of counts) total.set(id, (total.get(id) ?? 0) + quantity);
  return total;
}

/**
 * The criterion's threshold for a lot holding `quantities` (item id → quantity): its metric, raised
 * to what its lot scale implies (16 tablets for one cart: 16 slots, plus the `spare` slots the
 * buyer asks for) when that is higher. With `perSite` (each delivery site's quantities, given when
 * every line the scale counts is split by site) the site needing the most sets the threshold: 16
 * tablets at one collège and 30 at another, one cart each, need 30 slots, not their average.
 */
export function lotMetric(
  criterion: Pick<Criterion, 'metric' | 'lotScale'>,
  quantities: ReadonlyMap<string, number>,
  spare = 0,
  perSite: ReadonlyArray<ReadonlyMap<string, number>> = [],
): Metric {
  const { metric, lotScale } = criterion;
  if (!lotScale || metric.type !== 'numeric' || metric.comparator !== 'gte') return metric;
  const needed = (counts: ReadonlyMap<string, number>) => {
    const sum = (ids: readonly string[]) => ids.reduce((total, id) => total + (counts.get(id) ?? 0), 0);
    const sharing = sum(lotScale.per);
    return sharing === 0 ? 0 : Math.ceil(sum(lotScale.count) / sharing) + spare;
  };
  // Delivered site by site, each site's own fleet sets what its carts hold: the largest wins.
  const most = perSite.length > 0 ? Math.max(...perSite.map(needed)) : needed(quantities);
  return most > metric.value ? { ...metric, value: most } : metric;
}
