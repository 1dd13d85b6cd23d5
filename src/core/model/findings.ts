import * as z from 'zod';

/** Every finding code the rules can raise; a closed list so tests can cover each one. */
export const FINDING_CODES = [
  // conformity to the framework (the codes keep their historical names)
  'ELIGIBILITY_CRITERION_EXCLUDED',
  'ELIGIBILITY_CRITERION_LOOSENED',
  'ELIGIBILITY_LEVEL_DOWNGRADED',
  // retired (RETIRED_FINDING_CODES): kept so that stored reports still parse
  'ELIGIBILITY_NO_DEVICE',
  'ELIGIBILITY_PRICE_MISSING',
  // award criteria (R2152-7, R2152-11/12, loi Climat et résilience art. 35)
  'AWARD_CRITERIA_MISSING',
  'AWARD_WEIGHTS_SUM',
  'AWARD_SUBCRITERIA_SUM',
  'AWARD_ENVIRONMENTAL_MISSING',
  // execution conditions (L2112-2, L2112-2-1)
  'EXECUTION_ENVIRONMENTAL_CONDITION_MISSING',
  'EXECUTION_SOCIAL_CONDITION_MISSING',
  // technical specifications (R2111-4 ff., R2111-7, R2111-12 ff.)
  'ACCESSIBILITY_MISSING',
  'BRAND_WITHOUT_EQUIVALENT',
  'REPAIRABILITY_NOT_CONSIDERED',
  // contract and procedure (R2162-4, R2121-1 ff., R2122-8)
  'FRAMEWORK_AGREEMENT_MAXIMUM_MISSING',
  'FRAMEWORK_AGREEMENT_TOO_LONG',
  'FRAMEWORK_AGREEMENT_MAXIMUM_BELOW_ESTIMATE',
  'PROCEDURE_BELOW_THRESHOLD',
  'PROCEDURE_REQUIRED_FORMALISED',
  'PROCEDURE_ADVERTISING_REQUIRED',
  'PROCEDURE_ESTIMATE_MISSING',
  'PROCEDURE_TIER',
  'PROCEDURE_CENTRAL_AUTHORITY_UNKNOWN',
  'PROCEDURE_SMALL_LOTS',
  // lots and variants (L2113-10/11, R2151-8 ff.)
  'ALLOTMENT_SINGLE_LOT_MIXED',
  'VARIANTS_MINIMUM_REQUIREMENTS_MISSING',
  'VARIANTS_FORMALISED_EXPLICIT',
  // the law records themselves and the buyer's justifications
  'LAW_RECORD_MISSING',
  'JUSTIFICATION_UNUSED',
] as const;
export const FindingCodeSchema = z.enum(FINDING_CODES);

/**
 * Codes no rule raises any more, kept in the list only so that reports stored before still parse:
 * the old per-device subsidy (« la subvention est nulle », « prix manquant ») is now the funding
 * estimate, which states its own gaps.
 */
export const RETIRED_FINDING_CODES = ['ELIGIBILITY_NO_DEVICE', 'ELIGIBILITY_PRICE_MISSING'] as const satisfies readonly (typeof FINDING_CODES)[number][];
export type FindingCode = z.infer<typeof FindingCodeSchema>;

/**
 * The findings a buyer may justify in `justifications` (the Code allows the case when reasons are
 * given): an error becomes a warning, a warning an info, both quoting the reasons. Every other code
 * (weights that do not sum to 100, no maximum in a framework agreement, no environmental criterion
 * once it is compulsory…) cannot be justified away.
 */
export const JUSTIFIABLE_CODES = [
  'PROCEDURE_ADVERTISING_REQUIRED',
  'FRAMEWORK_AGREEMENT_TOO_LONG',
  'ACCESSIBILITY_MISSING',
  'ALLOTMENT_SINGLE_LOT_MIXED',
  'BRAND_WITHOUT_EQUIVALENT',
] as const satisfies readonly FindingCode[];
export type JustifiableCode = (typeof JUSTIFIABLE_CODES)[number];
export const isJustifiable = (code: string): code is JustifiableCode => (JUSTIFIABLE_CODES as readonly string[]).includes(code);

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const FindingSchema = z.object({
  code: FindingCodeSchema,
  severity: SeveritySchema,
  message: z.string().min(1).describe('French, for the buyer'),
  reference: z.string().min(1).describe('Legal or framework reference, e.g. "CCP R2111-7"'),
  path: z.string().optional().describe('Field of the request concerned, e.g. "lots.0.overrides.1"'),
  criterionId: z.string().optional(),
  lot: z.number().int().positive().optional().describe('Lot number, from 1'),
  comparison: z.string().optional().describe('The values compared, French: « estimation 52 400 € HT, seuil 60 000 € HT en vigueur au 5 mai 2026 »'),
  action: z.string().optional().describe('What to do, French'),
  source: z.url().optional().describe('Public source of the rule applied'),
  ruleId: z.string().optional().describe('Id of the law record applied (src/core/law/records.ts)'),
  justification: z.string().optional().describe('The buyer’s reasons, when a justification changed the severity'),
});
export type Finding = z.infer<typeof FindingSchema>;
