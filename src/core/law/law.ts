import { fingerprint } from '#src/core/model/fingerprint.ts';
import { formatDate, formatMoneyRounded } from '#src/core/model/format.ts';
import { checkLawRecords, recordAt, recordsAt, type LawRecord } from './law-record.ts';
import { LAW_RECORDS } from './records.ts';

export type { LawRecord } from './law-record.ts';

/** The records, checked once when the module loads (a defect in the data fails every entry point at start). */
export const LAW: readonly LawRecord[] = checkLawRecords(LAW_RECORDS);

/** Every id the records use. */
export type LawId = (typeof LAW_RECORDS)[number]['id'];

/** The record of `id` governing a consultation launched on `date`, or undefined when none is recorded for that date. */
export function lawAt(id: LawId, date: string): LawRecord | undefined {
  return recordAt(LAW, id, date);
}

/** Every record governing a consultation launched on `date`. */
export function lawInForce(date: string): LawRecord[] {
  return recordsAt(LAW, date);
}

/** « 60 000 € HT », « 48 mois », « 20 % » */
export function formatLawValue(record: LawRecord): string {
  if (record.value === null) return '';
  if (record.unit === 'EUR_HT') return `${formatMoneyRounded(record.value)} HT`;
  if (record.unit === 'EUR') return formatMoneyRounded(record.value);
  if (record.unit === 'months') return `${record.value} mois`;
  if (record.unit === 'days') return `${record.value} jours`;
  return `${Math.round(record.value * 10000) / 100}\u00a0%`;
}

/**
 * « seuil 60 000 € HT en vigueur au 5 mai 2026 » — the value and the date it is read for, as
 * findings quote it, with « (à confirmer) » when the record is not verified.
 */
export function quoteLaw(record: LawRecord, date: string, noun = 'seuil'): string {
  const value = formatLawValue(record);
  const caveat = record.verification === 'unverified' ? ' (à confirmer)' : '';
  return `${noun}${value === '' ? '' : ` ${value}`} en vigueur au ${formatDate(date)}${caveat}`;
}

/** Every article or text any record covers: what documents may cite. */
export function citableArticles(records: readonly LawRecord[] = LAW): Set<string> {
  return new Set(records.flatMap((r) => r.reference.articles));
}

export { fingerprint } from '#src/core/model/fingerprint.ts';

/** Fingerprint of the law records (see `fingerprint`). */
export const LAW_VERSION = fingerprint(LAW);

/**
 * The minimum rate of the advance when the holder is an SME, for this buyer on this date, where the
 * law sets one above the general minimum (R2191-7): the State's (central-state buyers). Undefined
 * for other buyers, whose SME rule is not recorded.
 */
export function advanceSmeMinimumRate(buyerType: string, date: string): LawRecord | undefined {
  return buyerType === 'central-state' ? lawAt('advance.sme-minimum-rate-state', date) : undefined;
}
