import type { Metric } from './criterion.ts';
import { convert, unitLabel, unitSeparator } from './units.ts';

/** How a buyer's threshold relates to the reference one. */
export type MetricChange = 'same' | 'tightened' | 'loosened';

/**
 * Compares a buyer's metric with the reference metric of the same criterion.
 * Anything that accepts an offer the reference would reject counts as loosened, so an
 * ambiguous change (an "=" moved elsewhere, a comparator flipped) is never taken as tighter.
 */
export function compareMetric(reference: Metric, candidate: Metric): MetricChange {
  if (reference.type !== candidate.type) return 'loosened';
  switch (reference.type) {
    case 'numeric': {
      const c = inUnit(candidate as typeof reference, reference.unit);
      if (!c) return 'loosened';
      if (c.comparator === reference.comparator && c.value === reference.value) return 'same';
      if (reference.comparator === 'gte') {
        if (c.comparator === 'gte' || c.comparator === 'eq') return c.value >= reference.value ? 'tightened' : 'loosened';
        return 'loosened';
      }
      if (reference.comparator === 'lte') {
        if (c.comparator === 'lte' || c.comparator === 'eq') return c.value <= reference.value ? 'tightened' : 'loosened';
        return 'loosened';
      }
      return 'loosened';
    }
    case 'range': {
      const c = inUnit(candidate as typeof reference, reference.unit);
      if (!c) return 'loosened';
      if (c.min === reference.min && c.max === reference.max) return 'same';
      return c.min >= reference.min && c.max <= reference.max ? 'tightened' : 'loosened';
    }
    case 'boolean': {
      const c = candidate as typeof reference;
      if (c.expected === reference.expected) return 'same';
      // Requiring a feature the reference leaves optional is stricter; dropping it is not.
      return c.expected ? 'tightened' : 'loosened';
    }
    case 'enum': {
      const c = candidate as typeof reference;
      const sameOptions =
        c.options.length === reference.options.length && c.options.every((o, i) => o === reference.options[i]);
      if (!sameOptions) return 'loosened';
      if (c.comparator === reference.comparator && c.value === reference.value) return 'same';
      const refRank = reference.options.indexOf(reference.value);
      const rank = c.options.indexOf(c.value);
      if (reference.comparator === 'gte') return rank >= refRank ? 'tightened' : 'loosened';
      return 'loosened';
    }
    case 'text':
      return 'same';
  }
}

/**
 * A numeric or range metric expressed in `unit` (same metric when it already is); undefined when
 * its unit does not convert (resolveTender refuses such an override with its field path).
 */
function inUnit<M extends Extract<Metric, { unit: string }>>(metric: M, unit: string): M | undefined {
  if (metric.unit === unit) return metric;
  if (metric.type === 'numeric') {
    const value = convert(metric.value, metric.unit, unit);
    return value === undefined ? undefined : { ...metric, unit, value };
  }
  const min = convert(metric.min, metric.unit, unit);
  const max = convert(metric.max, metric.unit, unit);
  return min === undefined || max === undefined ? undefined : { ...metric, unit, min, max };
}

const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** A number as French documents print it (« 1 200 » with a narrow no-break space, « 15,6 »). */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** A number with its unit, agreed and joined as French typography wants (« 1 an », « 3 ans », « 7/10 »). */
export function formatQuantity(value: number, unit: string): string {
  return `${numberFormat.format(value)}${unitSeparator(unit)}${unitLabel(unit, value)}`;
}

/** The threshold as printed in the documents, e.g. « ≥ 32 Go », « entre 13 et 15,6 pouces ». */
export function formatThreshold(metric: Metric): string {
  switch (metric.type) {
    case 'numeric': {
      const symbol = metric.comparator === 'gte' ? '≥' : metric.comparator === 'lte' ? '≤' : '=';
      return `${symbol}\u00a0${formatQuantity(metric.value, metric.unit)}`;
    }
    case 'range':
      return `entre ${numberFormat.format(metric.min)} et ${formatQuantity(metric.max, metric.unit)}`;
    case 'boolean':
      return metric.expected ? 'Exigé' : 'Non exigé';
    case 'enum':
      return metric.comparator === 'gte' ? `${metric.value} ou supérieur` : metric.value;
    case 'text':
      return '—';
  }
}
