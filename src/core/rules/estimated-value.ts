import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { roundCents } from './money.ts';

export interface LotValue {
  lot: number;
  /** Σ quantity × estimated unit price of the lot's lines, for one period (euros excl. VAT). */
  perPeriod: number;
  /** perPeriod × (1 + renewals), or the lot's maximum in a framework agreement with maxima per lot. */
  value: number;
  basis: 'lines' | 'lot-maximum';
  complete: boolean;
}

export interface EstimatedValue {
  /** Euros excl. VAT; a lower bound when `complete` is false. */
  total: number;
  complete: boolean;
  basis: 'framework-maximum' | 'lots';
  lots: LotValue[];
  /** Σ of the options' estimated amounts (counted in the total unless a framework maximum caps it). */
  options: number;
  /** Options without an estimated amount. */
  unpricedOptions: number;
  renewals: number;
  /** Lines without an estimated unit price. */
  missing: { path: string; lot: number; label: string }[];
}

/**
 * The estimated value of the need (R2121-1): the total amount excl. VAT of every lot, options and
 * renewals included. A framework agreement's maximum, when set for the whole agreement, is its
 * value (it covers the whole duration, renewals included); with maxima per lot, each lot's maximum
 * is its value. Otherwise each lot is Σ quantity × estimated unit price, times (1 + renewals).
 */
export function estimateValue(tender: ResolvedTender): EstimatedValue {
  const { request } = tender;
  const renewals = request.renewals ?? 0;
  const frameworkAgreement = request.contract.form === 'framework-agreement';
  const missing: EstimatedValue['missing'] = [];
  const lots: LotValue[] = tender.lots.map((lot, i) => {
    let perPeriod = 0;
    let complete = true;
    for (const line of lot.lines) {
      if (line.estimatedUnitPrice === undefined) {
        complete = false;
        missing.push({ path: `lots.${lot.number - 1}.estimatedUnitPrices.${line.item.id}`, lot: lot.number, label: line.item.label });
      } else {
        perPeriod += line.quantity * line.estimatedUnitPrice;
      }
    }
    const maximum = frameworkAgreement ? request.lots[i]?.maximumAmount : undefined;
    if (maximum !== undefined) return { lot: lot.number, perPeriod: roundCents(perPeriod), value: maximum, basis: 'lot-maximum', complete: true };
    return { lot: lot.number, perPeriod: roundCents(perPeriod), value: roundCents(perPeriod * (1 + renewals)), basis: 'lines', complete };
  });
  const options = roundCents(request.options.reduce((s, o) => s + (o.estimatedAmount ?? 0), 0));
  const unpricedOptions = request.options.filter((o) => o.estimatedAmount === undefined).length;
  if (request.contract.form === 'framework-agreement' && request.contract.maximumAmount !== undefined) {
    // The maximum is the value: unit prices and options no longer decide anything.
    return { total: request.contract.maximumAmount, complete: true, basis: 'framework-maximum', lots, options, unpricedOptions: 0, renewals, missing: [] };
  }
  return {
    total: roundCents(lots.reduce((s, l) => s + l.value, 0) + options),
    complete: lots.every((l) => l.complete) && unpricedOptions === 0,
    basis: 'lots',
    lots,
    options,
    unpricedOptions,
    renewals,
    missing,
  };
}
