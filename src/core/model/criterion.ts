import * as z from 'zod';
import { cpvCheckDigitIssue } from './cpv.ts';
import { SCHOOL_LEVELS } from './school-levels.ts';
import { isUnit, UNIT_NAMES } from './units.ts';

/**
 * Reference criteria: the reusable requirements the ministry maintains.
 * One zod source gives the TypeScript types, the validation of catalogue files,
 * API bodies and stored items, and the published JSON Schema.
 */

export const CriterionIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'expected a dotted lower-case id such as "tablet.storage.user"')
  .max(80)
  .describe('Stable identifier shared by every version of a criterion');
export type CriterionId = z.infer<typeof CriterionIdSchema>;

export const CATEGORIES = [
  'tablet',
  'laptop',
  'charging-cart',
  'wifi-access-point',
  'network',
  'interactive-display',
  'server-storage',
  'mdm',
  'services',
  'training',
  'warranty-support',
  'accessibility',
  'environment',
] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

export const CriterionKindSchema = z.enum(['technical', 'functional', 'service', 'environmental']);
export type CriterionKind = z.infer<typeof CriterionKindSchema>;

/** `minimum`: eliminatory ("exigence minimale"); `assessed`: scored under an award criterion ("appréciée"). */
export const LevelSchema = z.enum(['minimum', 'assessed']);
export type Level = z.infer<typeof LevelSchema>;

export const ComparatorSchema = z.enum(['gte', 'lte', 'eq']);
export type Comparator = z.infer<typeof ComparatorSchema>;

const UnitSchema = z.string().min(1).max(30).describe('Unit as printed in the CCTP, e.g. "Go", "h", "pouces"');

export const NumericMetricSchema = z.object({
  type: z.literal('numeric'),
  unit: UnitSchema,
  comparator: ComparatorSchema,
  value: z.number().finite(),
});

export const RangeMetricSchema = z
  .object({
    type: z.literal('range'),
    unit: UnitSchema,
    min: z.number().finite(),
    max: z.number().finite(),
  })
  .refine((m) => m.min <= m.max, { message: 'min must not exceed max', path: ['max'] });

export const BooleanMetricSchema = z.object({
  type: z.literal('boolean'),
  expected: z.boolean(),
});

/** Enumerated metric; `options` are ordered from the weakest to the strongest. */
export const EnumMetricSchema = z
  .object({
    type: z.literal('enum'),
    options: z.array(z.string().min(1).max(60)).min(2).max(20),
    comparator: z.enum(['gte', 'eq']),
    value: z.string().min(1),
  })
  .refine((m) => m.options.includes(m.value), { message: 'value must be one of options', path: ['value'] })
  .refine((m) => new Set(m.options).size === m.options.length, { message: 'options must be unique', path: ['options'] });

export const TextMetricSchema = z.object({
  type: z.literal('text'),
});

export const MetricSchema = z.discriminatedUnion('type', [
  NumericMetricSchema,
  RangeMetricSchema,
  BooleanMetricSchema,
  EnumMetricSchema,
  TextMetricSchema,
]);
export type Metric = z.infer<typeof MetricSchema>;

/**
 * Where a criterion comes from. Only `ministry` and `funding-programme` criteria can carry
 * co-funding eligibility; market-practice thresholds must never be presented as ministry rules.
 */
export const AuthorityTypeSchema = z.enum([
  'ministry',
  'funding-programme',
  'law',
  'academic-guidance',
  'market-practice',
  'buyer',
]);
export type AuthorityType = z.infer<typeof AuthorityTypeSchema>;

export const AuthoritySchema = z.object({
  type: AuthorityTypeSchema,
  reference: z.string().min(1).max(200).describe('e.g. "CARMO 3.0.1", "Code de la commande publique R2111-4"'),
  source: z.string().max(300).optional().describe('Where the rule is published'),
});
export type Authority = z.infer<typeof AuthoritySchema>;

export const ProofSchema = z.enum([
  'datasheet',
  'certificate',
  'label-or-equivalent',
  'declaration',
  'test-report',
  'service-description',
  'sample',
]);
export type Proof = z.infer<typeof ProofSchema>;

/** The school levels a purchase equips (see school-levels.ts). */
export const SchoolLevelSchema = z.enum(SCHOOL_LEVELS);

export const CpvCodeSchema = z
  .string()
  .regex(/^\d{8}(-\d)?$/, 'expected a CPV code such as "30213200" or "30213100-6"')
  .superRefine((code, ctx) => {
    const issue = cpvCheckDigitIssue(code);
    if (issue) ctx.addIssue({ code: 'custom', message: issue });
  });

/** A criterion's numeric metric states its unit from the closed list of units.ts, so overrides convert. */
const CriterionMetricSchema = MetricSchema.refine((metric) => !('unit' in metric) || isUnit(metric.unit), {
  message: `unknown unit; expected one of: ${UNIT_NAMES.join(', ')}`,
  path: ['unit'],
});

const ItemIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a catalogue item id such as "tablet"').max(60);

/**
 * A minimum that follows the lot's content: a charging cart holds every tablet of its classe
 * mobile, so the threshold in force is the larger of the metric's value and the quantity of
 * `count` items divided by the quantity of `per` items of the lot, rounded up (16 tablets, one
 * cart: 16 slots), unless the buyer overrides it. Only for a numeric minimum (`gte`).
 */
export const LotScaleSchema = z.strictObject({
  count: z.array(ItemIdSchema).min(1).max(20).describe('Items of the lot to count, e.g. ["tablet"]'),
  per: z.array(ItemIdSchema).min(1).max(20).describe('Items of the lot that share them, e.g. ["charging-cart"]'),
});
export type LotScale = z.infer<typeof LotScaleSchema>;

export const CriterionSchema = z.object({
  id: CriterionIdSchema,
  version: z.number().int().positive(),
  category: CategorySchema,
  kind: CriterionKindSchema,
  label: z.string().min(3).max(160).describe('Short French label'),
  requirement: z
    .string()
    .min(10)
    .max(2000)
    .describe('French requirement text as printed in the CCTP; {seuil} stands for the threshold of the metric (« d’au moins 32 Go »)'),
  metric: CriterionMetricSchema,
  level: LevelSchema,
  authority: AuthoritySchema,
  proof: z.array(ProofSchema).min(1),
  cpv: CpvCodeSchema.optional(),
  note: z.string().max(1000).optional().describe('Guidance for buyers (not printed as a requirement)'),
  lotScale: LotScaleSchema.optional().describe('The minimum grows with the lot (numeric gte metrics only)'),
  schoolLevels: z
    .array(SchoolLevelSchema)
    .min(1)
    .max(3)
    .optional()
    .describe('Applies only to purchases equipping one of these school levels (the Wi-Fi switch-off duty binds primary-school classes, not collèges); absent: every level'),
});
export type Criterion = z.infer<typeof CriterionSchema>;

export const CriterionRefSchema = z.object({
  id: CriterionIdSchema,
  version: z.number().int().positive(),
});
export type CriterionRef = z.infer<typeof CriterionRefSchema>;
