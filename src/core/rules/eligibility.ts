import type { Criterion, Metric } from '#src/core/model/criterion.ts';
import type { Finding } from '#src/core/model/findings.ts';
import { formatInteger } from '#src/core/model/format.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import type { GenerationReport } from '#src/core/model/report.ts';
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { roundCents } from './money.ts';
import { sortFindings } from './order.ts';

/**
 * Co-funding eligibility: whether the purchase still meets the framework's funding rule, and what
 * the state would pay. Pure: everything comes from the resolved tender and its pinned framework.
 */

export type EligibilityStatus = 'kept' | 'tightened' | 'loosened' | 'downgraded' | 'excluded';

export interface EligibilityReason {
  /** 1-based lot number. */
  lot: number;
  criterionId: string;
  label: string;
  status: EligibilityStatus;
  /** French, for the buyer. */
  message: string;
}

export interface LotSubsidy {
  lot: number;
  /** Units of eligible items (fundingRule.eligibleItems) in the lot. */
  devices: number;
  /** Σ quantity × estimated unit price over the priced eligible lines, euros excl. VAT. */
  eligibleCost: number;
  /** Σ quantity × min(rate × unit price, cap) over the priced eligible lines. */
  subsidy: number;
  /** False when an eligible line has no estimated price (it then contributes 0). */
  priced: boolean;
}

export interface EligibilityReport {
  programme: string;
  eligible: boolean;
  rate: number;
  capPerDevice: number;
  reasons: EligibilityReason[];
  lots: LotSubsidy[];
  /** Σ of the lot subsidies when eligible, 0 otherwise (see evaluateEligibility). */
  totalSubsidy: number;
  findings: Finding[];
}

/**
 * A purchase is eligible iff, in every lot, every reference criterion whose authority type is one
 * of `fundingRule.requiredAuthorities` and whose reference level is `minimum` is kept: not
 * excluded, its threshold not loosened and its level not lowered. Tightening is fine.
 *
 * The subsidy figures per lot are computed whether or not the purchase is eligible: they tell the
 * buyer what would be granted once the lost criteria are restored. `totalSubsidy`, the amount the
 * buyer may actually count on, is 0 when the purchase is not eligible. An eligible purchase with no
 * eligible device simply gets 0 (and an ELIGIBILITY_NO_DEVICE note).
 *
 * Money is rounded to the cent (half away from zero): the subsidy per device first, as the state
 * pays it per device, then each sum.
 */
export function evaluateEligibility(tender: ResolvedTender): EligibilityReport {
  const rule = tender.framework.fundingRule;
  const reasons: EligibilityReason[] = [];
  const findings: Finding[] = [];

  for (const lot of tender.lots) {
    const { reasons: lotReasons, findings: lotFindings } = lotEligibility(tender, lot);
    reasons.push(...lotReasons);
    findings.push(...lotFindings);
  }
  const eligible = reasons.every((r) => r.status === 'kept' || r.status === 'tightened');

  const lots = tender.lots.map((lot) => lotSubsidy(tender, lot, findings));
  if (lots.every((l) => l.devices === 0)) {
    findings.push({
      code: 'ELIGIBILITY_NO_DEVICE',
      severity: 'info',
      message:
        `Aucun lot ne comporte d'équipement subventionnable au titre du programme « ${rule.programme} » ` +
        `(articles éligibles : ${rule.eligibleItems.join(', ')}) : la subvention est nulle.`,
      reference: rule.programme,
      path: 'lots',
    });
  }
  const totalSubsidy = eligible ? roundCents(lots.reduce((sum, l) => sum + l.subsidy, 0)) : 0;

  return {
    programme: rule.programme,
    eligible,
    rate: rule.rate,
    capPerDevice: rule.capPerDevice,
    reasons,
    lots,
    totalSubsidy,
    findings: sortFindings(findings),
  };
}

interface Entry {
  criterion: Criterion;
  status: EligibilityStatus;
  message: string;
  /** Losses, each raising its own finding (a criterion can be both loosened and downgraded). */
  losses: { code: Finding['code']; detail: string }[];
  path?: string;
}

function lotEligibility(tender: ResolvedTender, lot: ResolvedLot): { reasons: EligibilityReason[]; findings: Finding[] } {
  const rule = tender.framework.fundingRule;
  const required = new Set<string>(rule.requiredAuthorities);
  const counts = (c: Criterion): boolean => required.has(c.authority.type) && c.level === 'minimum';

  const entries: Entry[] = [];
  for (const excluded of lot.excluded) {
    const { criterion } = excluded;
    if (!counts(criterion)) continue;
    const because = excluded.justification === undefined ? '' : ` ; motif : « ${excluded.justification} »`;
    const message = `Critère exclu du lot (${criterion.authority.reference})${because}`;
    entries.push({
      criterion,
      status: 'excluded',
      message,
      losses: [{ code: 'ELIGIBILITY_CRITERION_EXCLUDED', detail: `critère exclu du lot (${criterion.authority.reference})` }],
      path: excluded.path,
    });
  }
  for (const requirement of lot.requirements) {
    const criterion = requirement.criterion;
    if (requirement.source !== 'reference' || criterion === undefined || !counts(criterion)) continue;
    const reference = criterion.authority.reference;
    const loosened = requirement.change.metric === 'loosened';
    const lowered = requirement.change.level === 'lowered';
    const thresholds = `${formatThreshold(requirement.metric)} au lieu de ${formatThreshold(criterion.metric)}`;
    const losses: Entry['losses'] = [];
    let status: EligibilityStatus;
    let message: string;
    if (lowered) {
      status = 'downgraded';
      message = `Exigence minimale rendue seulement appréciée, elle n'est plus éliminatoire (${reference})`;
      if (loosened) message += ` ; seuil assoupli : ${thresholds}`;
      losses.push({ code: 'ELIGIBILITY_LEVEL_DOWNGRADED', detail: `exigence minimale rendue seulement appréciée (${reference})` });
    } else if (loosened) {
      status = 'loosened';
      message = `Seuil assoupli : ${thresholds} (${reference})`;
    } else if (requirement.change.metric === 'tightened') {
      status = 'tightened';
      message = `Seuil renforcé : ${thresholds} (${reference})`;
    } else {
      status = 'kept';
      message = keptMessage(criterion.metric, reference);
    }
    if (loosened) losses.unshift({ code: 'ELIGIBILITY_CRITERION_LOOSENED', detail: `seuil assoupli : ${thresholds} (${reference})` });
    entries.push(requirement.path === undefined ? { criterion, status, message, losses } : { criterion, status, message, losses, path: requirement.path });
  }

  // Framework order, so that the report reads like the framework whatever the lot's item order.
  const rank = new Map(tender.framework.criteria.map((c, i) => [c.id, i]));
  entries.sort(
    (a, b) =>
      (rank.get(a.criterion.id) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.criterion.id) ?? Number.MAX_SAFE_INTEGER) ||
      (a.criterion.id < b.criterion.id ? -1 : a.criterion.id > b.criterion.id ? 1 : 0),
  );

  const reasons: EligibilityReason[] = entries.map((e) => ({
    lot: lot.number,
    criterionId: e.criterion.id,
    label: e.criterion.label,
    status: e.status,
    message: e.message,
  }));
  const findings: Finding[] = entries.flatMap((e) =>
    e.losses.map((loss): Finding => {
      const finding: Finding = {
        code: loss.code,
        severity: 'warning',
        message:
          `Lot ${lot.number}, « ${e.criterion.label} » : ${loss.detail}. ` +
          `L'achat perd l'éligibilité au cofinancement « ${rule.programme} » ; ` +
          `rétablissez l'exigence de référence, sauf à renoncer sciemment à la subvention.`,
        reference: e.criterion.authority.reference,
        lot: lot.number,
        criterionId: e.criterion.id,
      };
      if (e.path !== undefined) finding.path = e.path;
      return finding;
    }),
  );
  return { reasons, findings };
}

function keptMessage(metric: Metric, reference: string): string {
  // "Exigé" / "Voir exigence" add nothing to "conservée".
  return metric.type === 'text' || metric.type === 'boolean'
    ? `Exigence minimale conservée (${reference})`
    : `Exigence minimale conservée : ${formatThreshold(metric)} (${reference})`;
}

function lotSubsidy(tender: ResolvedTender, lot: ResolvedLot, findings: Finding[]): LotSubsidy {
  const rule = tender.framework.fundingRule;
  const eligibleItems = new Set(rule.eligibleItems);
  let devices = 0;
  let eligibleCost = 0;
  let subsidy = 0;
  let priced = true;
  for (const line of lot.lines) {
    if (!eligibleItems.has(line.item.id)) continue;
    devices += line.quantity;
    if (line.estimatedUnitPrice === undefined) {
      priced = false;
      findings.push({
        code: 'ELIGIBILITY_PRICE_MISSING',
        severity: 'info',
        message:
          `Lot ${lot.number} : aucun prix unitaire estimé pour « ${line.item.label} » ` +
          `(${formatInteger(line.quantity)} unités subventionnables) ; la subvention de cette ligne est comptée pour 0.`,
        reference: rule.programme,
        path: `lots.${lot.number - 1}.estimatedUnitPrices.${line.item.id}`,
        lot: lot.number,
      });
      continue;
    }
    const perDevice = roundCents(Math.min(rule.rate * line.estimatedUnitPrice, rule.capPerDevice));
    eligibleCost += line.quantity * line.estimatedUnitPrice;
    subsidy += line.quantity * perDevice;
  }
  return { lot: lot.number, devices, eligibleCost: roundCents(eligibleCost), subsidy: roundCents(subsidy), priced };
}

/** The verdict as reported to buyers (report.json, API): the figures and reasons, without the findings. */
export function eligibilitySummary(eligibility: EligibilityReport): GenerationReport['eligibility'] {
  const { programme, eligible, rate, capPerDevice, totalSubsidy, lots, reasons } = eligibility;
  return { programme, eligible, rate, capPerDevice, totalSubsidy, lots, reasons };
}
