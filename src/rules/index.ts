export { evaluateEligibility } from './eligibility.ts';
export type { EligibilityReason, EligibilityReport, EligibilityStatus, LotSubsidy } from './eligibility.ts';
export { lintTender, estimateProcedureValue, formalisedThreshold } from './legal-lint.ts';
export type { ProcedureEstimate } from './legal-lint.ts';
export { evaluateRules } from './evaluate.ts';
export type { RulesOutcome } from './evaluate.ts';
export { compareFindings, sortFindings } from './order.ts';
export { findBrands, mentionsEquivalent, brandsWithoutEquivalent } from './brands.ts';
