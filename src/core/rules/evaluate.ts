import { isJustifiable, type Finding } from '#src/core/model/findings.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { estimateFunding, schoolLevelsOf, type FundingEstimate } from '#src/core/funding/estimate.ts';
import { FUNDING_PROGRAMMES, FUNDING_VERSION, fundingProgramme } from '#src/core/funding/programmes.ts';
import { LAW_VERSION, lawInForce } from '#src/core/law/law.ts';
import type { GenerationReport } from '#src/core/model/report.ts';
import { evaluateConformity, type ConformityReport } from './conformity.ts';
import { lintTender } from './legal-lint.ts';
import { sortFindings } from './order.ts';

export interface RulesOutcome {
  /** Conformity to the framework (« conforme au référentiel »), apart from money. */
  conformity: ConformityReport;
  /** The buyer-internal co-funding estimate on the consultation date. */
  funding: FundingEstimate;
  /** The rule data these findings were computed with. */
  versions: NonNullable<GenerationReport['rules']>;
  /** Conformity and legal findings together, justifications applied, sorted by severity, code, lot, path. */
  findings: Finding[];
  /** True when any finding is an error: the documents must not be generated as they stand. */
  blocking: boolean;
}

/**
 * Every rule on one resolved tender. Conformity losses are warnings (a buyer may knowingly forgo
 * a funder's conditions), so only legal errors block, and a justifiable one no longer does once the buyer
 * has given reasons for it (`justifications`).
 */
export function evaluateRules(tender: ResolvedTender): RulesOutcome {
  const conformity = evaluateConformity(tender);
  const findings = sortFindings(applyJustifications([...conformity.findings, ...lintTender(tender)], tender.request.justifications ?? {}));
  return {
    conformity,
    funding: fundingOf(tender, conformity.conforming),
    versions: rulesVersion(tender.request.consultationDate),
    findings,
    blocking: findings.some((f) => f.severity === 'error'),
  };
}

/** The programmes the framework names (every programme for a framework that names none), judged on the consultation date. */
function fundingOf(tender: ResolvedTender, conforming: boolean): FundingEstimate {
  const { request, framework } = tender;
  const programmes = framework.programmes === undefined ? FUNDING_PROGRAMMES : framework.programmes.flatMap((id) => fundingProgramme(id) ?? []);
  return estimateFunding({
    date: request.consultationDate,
    buyerType: request.buyer.type,
    schoolLevels: schoolLevelsOf(request.buyer),
    lines: tender.lots.flatMap((lot) =>
      lot.lines.map((l) => (l.estimatedUnitPrice === undefined ? { lot: lot.number, item: l.item, quantity: l.quantity } : { lot: lot.number, item: l.item, quantity: l.quantity, estimatedUnitPrice: l.estimatedUnitPrice })),
    ),
    programmes,
    conforming,
  });
}

/** The law and funding data a verdict for a consultation launched on `date` reads. */
export function rulesVersion(date: string): NonNullable<GenerationReport['rules']> {
  return {
    lawVersion: LAW_VERSION,
    fundingVersion: FUNDING_VERSION,
    date,
    records: lawInForce(date).map((r) => ({ id: r.id, from: r.from, until: r.until })),
  };
}

/**
 * A justifiable finding the buyer gave reasons for drops one severity (error → warning, warning →
 * info) and quotes the reasons; a justification that matches no finding is reported, since it
 * would otherwise travel unread.
 */
export function applyJustifications(findings: readonly Finding[], justifications: Partial<Record<Finding['code'], string>>): Finding[] {
  const used = new Set<string>();
  const out = findings.map((f): Finding => {
    const reasons = justifications[f.code];
    if (reasons === undefined || !isJustifiable(f.code) || f.severity === 'info') return f;
    used.add(f.code);
    return {
      ...f,
      severity: f.severity === 'error' ? 'warning' : 'info',
      message: `${f.message} Justification de l’acheteur : « ${reasons} ».`,
      justification: reasons,
    };
  });
  for (const code of Object.keys(justifications).sort()) {
    if (used.has(code)) continue;
    out.push({
      code: 'JUSTIFICATION_UNUSED',
      severity: 'info',
      message: `La justification donnée pour ${code} ne se rapporte à aucun constat de cette consultation : elle n’est pas reprise.`,
      reference: 'Cahier, justifications de l’acheteur',
      action: 'Retirez-la, ou vérifiez le code du constat visé.',
      path: `justifications.${code}`,
    });
  }
  return out;
}
