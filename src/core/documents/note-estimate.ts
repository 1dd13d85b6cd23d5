/**
 * The estimate of a version 2 request as the note interne prints it: per lot, each line and each
 * priced option's lines with their estimated price and VAT rate, the firm and optional tranches,
 * options and renewals, the lot's value excl. and incl. VAT; then the file's value and the
 * threshold tier it falls in. The numbers are the rules' own (estimateValue), so the note says
 * what the procedure was chosen on. Never shown to bidders.
 */
import type { Finding } from '#src/core/model/findings.ts';
import { formatDecimal, formatInteger, formatMoney, formatPercent } from '#src/core/model/format.ts';
import type { ResolvedLine, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { isV2 } from '#src/core/model/tender-request-v2.ts';
import { estimateValue, lineAmount } from '#src/core/rules/estimated-value.ts';
import { lineNumber, optionLineNumber } from './lot-terms.ts';

export interface EstimateRows {
  lots: Array<{
    number: number;
    title: string;
    lines: Array<{ number: string; label: string; quantity: string; unitPrice: string; vat: string; amount: string }>;
    summary: string[];
  }>;
  totals: string[];
}

export function estimateRows(tender: ResolvedTender, findings: readonly Finding[]): EstimateRows | null {
  if (!isV2(tender.source)) return null;
  const priced = tender.lots.some((l) => [...l.lines, ...l.options.flatMap((o) => o.lines)].some((line) => line.estimatedUnitPrice !== undefined));
  if (!priced) return null;
  const estimate = estimateValue(tender);
  const trancheNames = new Map((tender.request.contract.tranches?.optional ?? []).map((t, i) => [t.id, `tranche optionnelle ${i + 1}`]));
  const row = (line: ResolvedLine, number: string, prefix = '') => ({
    number,
    label: `${prefix}${line.item.label}${line.tranche === undefined ? '' : ` (${trancheNames.get(line.tranche) ?? line.tranche})`}`,
    quantity: line.pricing === 'lump-sum' ? 'forfait' : formatInteger(line.quantity),
    unitPrice: line.estimatedUnitPrice === undefined ? '—' : formatMoney(line.estimatedUnitPrice),
    vat: formatPercent(line.vatRate),
    amount: line.estimatedUnitPrice === undefined ? '—' : formatMoney(lineAmount(line)),
  });
  const lots = tender.lots.map((lot, i) => {
    const value = estimate.lots[i]!;
    const lines = [
      ...lot.lines.map((line, j) => row(line, lineNumber(lot, j))),
      ...lot.options.flatMap((option) =>
        option.lines.length > 0
          ? option.lines.map((line, j) => row(line, optionLineNumber(lot, option.number, j), `Option ${option.number} : `))
          : [{ number: optionLineNumber(lot, option.number, 0), label: `Option ${option.number} : ${option.label}`, quantity: 'forfait', unitPrice: '—', vat: '—', amount: option.estimatedAmount === undefined ? '—' : formatMoney(option.estimatedAmount) }],
      ),
    ];
    const summary: string[] = [];
    if (value.tranches > 0) summary.push(`Tranche ferme : ${formatMoney(value.firm)} HT ; tranches optionnelles : ${formatMoney(value.tranches)} HT.`);
    if (lot.options.length > 0) summary.push(`Options (prestations supplémentaires éventuelles) : ${formatMoney(value.options)} HT.`);
    if (value.renewalFactor !== 1) {
      summary.push(`Une période d’exécution : ${formatMoney(value.perPeriod)} HT ; avec les reconductions, la valeur est multipliée par ${formatDecimal(value.renewalFactor)}.`);
    }
    summary.push(
      value.basis === 'lot-maximum'
        ? `Valeur estimée du lot : son montant maximum, ${formatMoney(value.value)} HT, soit ${formatMoney(value.valueTtc)} TTC (${formatMoney(value.perPeriod * value.renewalFactor)} HT d’après les prix estimés).`
        : `Valeur estimée du lot : ${formatMoney(value.value)} HT, soit ${formatMoney(value.valueTtc)} TTC${value.complete ? '' : ' (lignes sans prix estimé non comprises)'}.`,
    );
    return { number: lot.number, title: lot.title, lines, summary };
  });
  const totals = [
    estimate.basis === 'framework-maximum'
      ? `Valeur estimée de la consultation : le montant maximum de l’accord-cadre, ${formatMoney(estimate.total)} HT, soit ${formatMoney(estimate.totalTtc)} TTC.`
      : `Valeur estimée de la consultation, options, tranches optionnelles et reconductions comprises : ${formatMoney(estimate.total)} HT, soit ${formatMoney(estimate.totalTtc)} TTC${estimate.complete ? '' : ' (éléments sans prix estimé non compris)'}.`,
  ];
  const tier = findings.find((f) => f.code === 'PROCEDURE_TIER');
  if (tier) totals.push(`Seuil : ${tier.message}`);
  return { lots, totals };
}
