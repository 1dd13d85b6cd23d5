/**
 * French formatting through Intl, done once before values reach templates or messages.
 * Intl's fr-FR output uses the narrow no-break space (U+202F) as the thousands separator;
 * the embedded PDF font carries that glyph.
 */
const money = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const moneyRounded = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const longDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "1 234,50 €" */
export const formatMoney = (euros: number): string => money.format(euros);
/** "216 000 €" */
export const formatMoneyRounded = (euros: number): string => moneyRounded.format(euros);
/** "1 234" */
export const formatInteger = (n: number): string => integer.format(n);
/** "15,6" */
export const formatDecimal = (n: number): string => decimal.format(n);
/** "40 %" (input 40, not 0.4) */
export const formatPercent = (n: number): string => `${percent.format(n)}\u00a0%`;
/** "22 août 2026" from "2026-08-22", "1er décembre 2026" from "2026-12-01" */
export const formatDate = (isoDate: string): string =>
  longDate.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)).replace(/^1 /, '1er ');
/** "1 exigence", "17 exigences": a count agreed in number (French: singular below 2), with a no-break space. */
export const formatCount = (n: number, one: string, other: string): string => `${integer.format(n)}\u00a0${Math.abs(n) < 2 ? one : other}`;
