import type { ResolvedLine, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { TenderRequestV2 } from '#src/core/model/tender-request-v2.ts';
import { roundCents } from './money.ts';

export interface LotValue {
  lot: number;
  /** Σ of the lot's lines (firm and optional tranches) and priced options, for one period (euros excl. VAT). */
  perPeriod: number;
  /** perPeriod × the renewal factor, or the lot's maximum in a framework agreement with maxima per lot. */
  value: number;
  basis: 'lines' | 'lot-maximum';
  complete: boolean;
  /** One period, excl. VAT: the firm tranche's lines (every line when there are no tranches). */
  firm: number;
  /** One period, excl. VAT: the optional tranches' lines. */
  tranches: number;
  /** One period, excl. VAT: the lot's priced options (PSE). */
  options: number;
  /** 1 + Σ renewals, each as a share of the initial duration. */
  renewalFactor: number;
  /** `value` incl. VAT, at each line's rate. */
  valueTtc: number;
}

export interface EstimatedValue {
  /** Euros excl. VAT; a lower bound when `complete` is false. */
  total: number;
  /** `total` incl. VAT. */
  totalTtc: number;
  complete: boolean;
  basis: 'framework-maximum' | 'lots';
  lots: LotValue[];
  /** Σ of the file's options' estimated amounts (counted in the total unless a framework maximum caps it). */
  options: number;
  /** Options without an estimated amount. */
  unpricedOptions: number;
  renewals: number;
  /** Lines without an estimated unit price. */
  missing: { path: string; lot: number; label: string }[];
}

/** A line's estimated amount excl. VAT: quantity × unit price, or the price of a lump-sum line. */
export function lineAmount(line: Pick<ResolvedLine, 'quantity' | 'estimatedUnitPrice' | 'pricing'>): number {
  if (line.estimatedUnitPrice === undefined) return 0;
  return line.pricing === 'lump-sum' ? line.estimatedUnitPrice : line.quantity * line.estimatedUnitPrice;
}

/** How many initial periods the renewals add: each renewal's length over the initial duration (1 each when either is unknown). */
export function renewalFactor(contract: TenderRequestV2['contract']): number {
  const renewals = contract.renewals;
  if (!renewals || renewals.count === 0) return 1;
  const share = renewals.months !== undefined && contract.durationMonths !== undefined ? renewals.months / contract.durationMonths : 1;
  return 1 + renewals.count * share;
}

/**
 * The estimated value of the need (R2121-1): the total amount excl. VAT of every lot, options,
 * optional tranches and renewals included (DOMAIN C4). A framework agreement's maximum, when set
 * for the whole agreement, is its value (it covers the whole duration, renewals included); with
 * maxima per lot, each lot's maximum is its value. Otherwise each lot is Σ of its lines (quantity ×
 * estimated unit price, or a lump sum) and of its priced options, times the renewal factor; the
 * file's own options (version 1) are added once.
 */
export function estimateValue(tender: ResolvedTender): EstimatedValue {
  const { request } = tender;
  const renewals = request.contract.renewals?.count ?? 0;
  const factor = renewalFactor(request.contract);
  const frameworkAgreement = request.contract.form === 'framework-agreement';
  const missing: EstimatedValue['missing'] = [];
  const lots: LotValue[] = tender.lots.map((lot) => {
    let complete = true;
    let firm = 0;
    let tranches = 0;
    let options = 0;
    let ttc = 0;
    const add = (line: ResolvedLine): number => {
      if (line.estimatedUnitPrice === undefined) {
        complete = false;
        missing.push({ path: line.pricePath, lot: lot.number, label: line.item.label });
        return 0;
      }
      const amount = lineAmount(line);
      ttc += amount * (1 + line.vatRate / 100);
      return amount;
    };
    for (const line of lot.lines) {
      const amount = add(line);
      if (line.tranche === undefined) firm += amount;
      else tranches += amount;
    }
    for (const option of lot.options) {
      if (option.lines.length === 0) {
        if (option.estimatedAmount === undefined) complete = false;
        options += option.estimatedAmount ?? 0;
        ttc += (option.estimatedAmount ?? 0) * 1.2;
      } else for (const line of option.lines) options += add(line);
    }
    const perPeriod = firm + tranches + options;
    const breakdown = { firm: roundCents(firm), tranches: roundCents(tranches), options: roundCents(options), renewalFactor: factor };
    const maximum = frameworkAgreement ? lot.limits.maximumAmount : undefined;
    if (maximum !== undefined) {
      const rate = perPeriod > 0 ? ttc / perPeriod : 1.2;
      return { lot: lot.number, perPeriod: roundCents(perPeriod), value: maximum, basis: 'lot-maximum', complete: true, ...breakdown, valueTtc: roundCents(maximum * rate) };
    }
    return { lot: lot.number, perPeriod: roundCents(perPeriod), value: roundCents(perPeriod * factor), basis: 'lines', complete, ...breakdown, valueTtc: roundCents(ttc * factor) };
  });
  const fileOptions = request.options;
  const options = roundCents(fileOptions.reduce((s, o) => s + (o.estimatedAmount ?? 0), 0));
  const unpricedOptions = fileOptions.filter((o) => o.estimatedAmount === undefined).length + tender.lots.reduce((n, l) => n + l.options.filter((o) => o.lines.length === 0 && o.estimatedAmount === undefined).length, 0);
  if (request.contract.form === 'framework-agreement' && request.contract.maximumAmount !== undefined) {
    // The maximum is the value: unit prices and options no longer decide anything.
    const max = request.contract.maximumAmount;
    return { total: max, totalTtc: roundCents(max * 1.2), complete: true, basis: 'framework-maximum', lots, options, unpricedOptions: 0, renewals, missing: [] };
  }
  return {
    total: roundCents(lots.reduce((s, l) => s + l.value, 0) + options),
    totalTtc: roundCents(lots.reduce((s, l) => s + l.valueTtc, 0) + options * 1.2),
    complete: lots.every((l) => l.complete) && unpricedOptions === 0,
    basis: 'lots',
    lots,
    options,
    unpricedOptions,
    renewals,
    missing,
  };
}
