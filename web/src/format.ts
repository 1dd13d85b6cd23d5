/** French formatting for the screens: the same Intl formats the documents use, and parsing of what people type. */
export { formatCount, formatDate, formatDecimal, formatInteger, formatMoney, formatMoneyRounded, formatPercent } from '../../src/core/model/format.ts';
export { formatQuantity, formatThreshold } from '../../src/core/model/metric.ts';

/** Text compared the way people search: accents and case aside (« Modifiés » finds « modifies »). */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 6, useGrouping: false });

/** A number as typed in a French field: "15,6" (no grouping, so it parses back). */
export function numberToField(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '' : decimal.format(value);
}

/** "15,6", "15.6", "1 500" → 15.6, 15.6, 1500; undefined when it is not a number. */
export function parseFrenchNumber(text: string): number | undefined {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (cleaned === '' || !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(bytes / 1024)} Ko`;
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} Mo`;
}

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/**
 * French spacing in a screen text: a no-break space before « : » and inside « », a narrow one
 * before « ; ! ? » and « % », so that a colon or a percent sign never starts a line.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/ ([:])/g, '\u00a0$1')
    .replace(/ ([;!?%])/g, '\u202f$1')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');
}

/** A line's unit (« unité », « heure de formation ») in the plural: its first word takes an s, unless the unit ends in s, x or z. */
export const pluralUnit = (unit: string): string => (/[sxz]$/.test(unit) ? unit : unit.replace(/^(\S+)/, '$1s'));

/** The unit printed after a quantity field: agreed with the quantity typed (« 30 unités », « 1 unité », « 1,5 heure »), singular while empty. */
export const unitAfter = (quantity: number | undefined, unit: string): string => (quantity !== undefined && Math.abs(quantity) >= 2 ? pluralUnit(unit) : unit);

/** frenchSpacing on a string; other children (elements) as they are. */
export function spaced<T>(value: T): T {
  return (typeof value === 'string' ? frenchSpacing(value) : value) as T;
}
