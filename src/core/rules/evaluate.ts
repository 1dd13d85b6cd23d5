import { isJustifiable, type Finding } from '#src/core/model/findings.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { evaluateEligibility, type EligibilityReport } from './eligibility.ts';
import { lintTender } from './legal-lint.ts';
import { sortFindings } from './order.ts';

export interface RulesOutcome {
  eligibility: EligibilityReport;
  /** Eligibility and legal findings together, justifications applied, sorted by severity, code, lot, path. */
  findings: Finding[];
  /** True when any finding is an error: the documents must not be generated as they stand. */
  blocking: boolean;
}

/**
 * Every rule on one resolved tender. Eligibility losses are warnings (a buyer may knowingly forgo
 * the subsidy), so only legal errors block, and a justifiable one no longer does once the buyer
 * has given reasons for it (`justifications`).
 */
export function evaluateRules(tender: ResolvedTender): RulesOutcome {
  const eligibility = evaluateEligibility(tender);
  const findings = sortFindings(applyJustifications([...eligibility.findings, ...lintTender(tender)], tender.request.justifications ?? {}));
  return { eligibility, findings, blocking: findings.some((f) => f.severity === 'error') };
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
