import type { Finding } from '#src/core/model/findings.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { evaluateEligibility, type EligibilityReport } from './eligibility.ts';
import { lintTender } from './legal-lint.ts';
import { sortFindings } from './order.ts';

export interface RulesOutcome {
  eligibility: EligibilityReport;
  /** Eligibility and legal findings together, sorted by severity, code, lot, path. */
  findings: Finding[];
  /** True when any finding is an error: the documents must not be generated as they stand. */
  blocking: boolean;
}

/**
 * Every rule on one resolved tender. Eligibility losses are warnings (a buyer may knowingly forgo
 * the subsidy), so only legal errors block.
 */
export function evaluateRules(tender: ResolvedTender): RulesOutcome {
  const eligibility = evaluateEligibility(tender);
  const findings = sortFindings([...eligibility.findings, ...lintTender(tender)]);
  return { eligibility, findings, blocking: findings.some((f) => f.severity === 'error') };
}
