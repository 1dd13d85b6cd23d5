import type { Criterion, Metric } from '#src/core/model/criterion.ts';
import type { Finding } from '#src/core/model/findings.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import type { GenerationReport } from '#src/core/model/report.ts';
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { sortFindings } from './order.ts';

/**
 * Conformity to the framework (« conforme au référentiel »): whether the selection keeps every
 * reference minimum of the authorities a funder checks (`fundingRule.requiredAuthorities`). It says
 * nothing about money: what a programme would pay is the funding estimate (src/core/funding), a
 * separate answer that only quotes this one. Pure.
 */

export type ConformityStatus = 'kept' | 'tightened' | 'loosened' | 'downgraded' | 'excluded';

export interface ConformityReason {
  /** 1-based lot number. */
  lot: number;
  criterionId: string;
  label: string;
  status: ConformityStatus;
  /** French, for the buyer. */
  message: string;
}

export interface ConformityReport {
  /** The framework as cited: « CARMO 3.0.1 et préconisations du ministère ». */
  framework: string;
  conforming: boolean;
  reasons: ConformityReason[];
  findings: Finding[];
}

/**
 * A selection conforms iff, in every lot, every reference criterion whose authority type is one of
 * `fundingRule.requiredAuthorities` and whose reference level is `minimum` is kept: not excluded,
 * its threshold not loosened and its level not lowered. Tightening is fine.
 */
export function evaluateConformity(tender: ResolvedTender): ConformityReport {
  const reasons: ConformityReason[] = [];
  const findings: Finding[] = [];
  for (const lot of tender.lots) {
    const { reasons: lotReasons, findings: lotFindings } = lotConformity(tender, lot);
    reasons.push(...lotReasons);
    findings.push(...lotFindings);
  }
  return {
    framework: tender.framework.reference,
    conforming: reasons.every((r) => r.status === 'kept' || r.status === 'tightened'),
    reasons,
    findings: sortFindings(findings),
  };
}

interface Entry {
  criterion: Criterion;
  status: ConformityStatus;
  message: string;
  /** Losses, each raising its own finding (a criterion can be both loosened and downgraded). */
  losses: { code: Finding['code']; detail: string; comparison: string }[];
  path?: string;
}

function lotConformity(tender: ResolvedTender, lot: ResolvedLot): { reasons: ConformityReason[]; findings: Finding[] } {
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
      losses: [{ code: 'ELIGIBILITY_CRITERION_EXCLUDED', detail: `critère exclu du lot (${criterion.authority.reference})`, comparison: `exigence de référence ${formatThreshold(criterion.metric)}, exclue du lot` }],
      path: excluded.path,
    });
  }
  for (const requirement of lot.requirements) {
    const criterion = requirement.criterion;
    if (requirement.source !== 'reference' || criterion === undefined || !counts(criterion)) continue;
    const reference = criterion.authority.reference;
    const loosened = requirement.change.metric === 'loosened';
    const lowered = requirement.change.level === 'lowered';
    const thresholds = `${formatThreshold(requirement.metric)} au lieu de ${formatThreshold(requirement.referenceMetric)}`;
    const losses: Entry['losses'] = [];
    let status: ConformityStatus;
    let message: string;
    if (lowered) {
      status = 'downgraded';
      message = `Exigence minimale rendue seulement appréciée, elle n'est plus éliminatoire (${reference})`;
      if (loosened) message += ` ; seuil assoupli : ${thresholds}`;
      losses.push({ code: 'ELIGIBILITY_LEVEL_DOWNGRADED', detail: `exigence minimale rendue seulement appréciée (${reference})`, comparison: 'niveau de référence : exigence minimale ; niveau retenu : appréciée' });
    } else if (loosened) {
      status = 'loosened';
      message = `Seuil assoupli : ${thresholds} (${reference})`;
    } else if (requirement.change.metric === 'tightened') {
      status = 'tightened';
      message = `Seuil renforcé : ${thresholds} (${reference})`;
    } else {
      status = 'kept';
      message = keptMessage(requirement.referenceMetric, reference);
    }
    if (loosened) losses.unshift({ code: 'ELIGIBILITY_CRITERION_LOOSENED', detail: `seuil assoupli : ${thresholds} (${reference})`, comparison: `seuil retenu ${thresholds}` });
    entries.push(requirement.path === undefined ? { criterion, status, message, losses } : { criterion, status, message, losses, path: requirement.path });
  }

  // Framework order, so that the report reads like the framework whatever the lot's item order.
  const rank = new Map(tender.framework.criteria.map((c, i) => [c.id, i]));
  entries.sort(
    (a, b) =>
      (rank.get(a.criterion.id) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.criterion.id) ?? Number.MAX_SAFE_INTEGER) ||
      (a.criterion.id < b.criterion.id ? -1 : a.criterion.id > b.criterion.id ? 1 : 0),
  );

  const reasons: ConformityReason[] = entries.map((e) => ({
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
          `La sélection n’est plus conforme au référentiel « ${tender.framework.reference} » : un financeur peut refuser son aide ; ` +
          `rétablissez l’exigence de référence, sauf à y renoncer sciemment.`,
        reference: e.criterion.authority.reference,
        comparison: loss.comparison,
        action: 'Rétablissez l’exigence de référence, ou renoncez sciemment à la conformité au référentiel.',
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
  // "Exigé" / "—" add nothing to "conservée".
  return metric.type === 'text' || metric.type === 'boolean'
    ? `Exigence minimale conservée (${reference})`
    : `Exigence minimale conservée : ${formatThreshold(metric)} (${reference})`;
}

/** The verdict as reported to buyers (report.json, API): without the findings, which are reported with the others. */
export function conformitySummary(conformity: ConformityReport): NonNullable<GenerationReport['conformity']> {
  const { framework, conforming, reasons } = conformity;
  return { framework, conforming, reasons };
}
