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

const parisParts = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' });
/**
 * « 6 novembre 2026 à 12 h 00 (heure de Paris) » from "2026-11-06T12:00:00+01:00": a deadline as
 * bidders read it, in Paris time whatever the offset it was written with or the machine's zone.
 */
export function formatParisDateTime(isoDateTime: string): string {
  const parts = Object.fromEntries(parisParts.formatToParts(new Date(isoDateTime)).map((p) => [p.type, p.value]));
  const day = parts.day === '1' ? '1er' : parts.day;
  return `${day}\u00a0${parts.month} ${parts.year} à ${parts.hour}\u00a0h\u00a0${parts.minute} (heure de Paris)`;
}
