import * as z from 'zod';
import { CategorySchema } from '#src/core/model/criterion.ts';
import { AudienceSchema } from '#src/core/model/catalogue.ts';
import { BuyerTypeSchema } from '#src/core/model/buyer-type.ts';
import { SchoolLevelSchema } from '#src/core/model/criterion.ts';

export { AudienceSchema, type Audience } from '#src/core/model/catalogue.ts';
export { SchoolLevelSchema } from '#src/core/model/criterion.ts';
export type { SchoolLevel } from '#src/core/model/school-levels.ts';

/**
 * Co-funding programmes as data: who may apply (buyer type and school level), which expenses
 * count, the rate and cap rules, the application window and the sources. The estimate
 * (estimate.ts) reads only these records: a new programme is a record, not code.
 */

/**
 * The rate applied to the eligible spending: one rate, or a rate chosen by the project's total
 * eligible spending (the first tier whose `below` exceeds it; `below: null` closes the list).
 */
export const RateRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flat'), rate: z.number().gt(0).lte(1) }),
  z.object({
    kind: z.literal('project-tiers'),
    tiers: z
      .array(z.object({ below: z.number().positive().nullable(), rate: z.number().gt(0).lte(1) }))
      .min(1)
      .refine((t) => t.at(-1)!.below === null && t.slice(0, -1).every((x) => x.below !== null), {
        message: 'every tier but the last has a bound',
      }),
    /** Spending above this amount is not eligible at all (euros excl. VAT), when the programme says so. */
    projectCeiling: z.number().positive().optional(),
  }),
]);
export type RateRule = z.infer<typeof RateRuleSchema>;

export const FundingTermsSchema = z.object({
  buyerTypes: z.array(BuyerTypeSchema).min(1),
  schoolLevels: z.array(SchoolLevelSchema).min(1),
  /** Catalogue item categories whose cost counts. */
  expenses: z.array(CategorySchema).min(1),
  rate: RateRuleSchema,
  /** Maximum subsidy per device, by who the device is for (euros). */
  capPerDevice: z.object({ pupil: z.number().positive().optional(), teacher: z.number().positive().optional() }).default({}),
  note: z.string().max(400).optional(),
});
export type FundingTerms = z.infer<typeof FundingTermsSchema>;

export const FundingProgrammeSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  name: z.string().min(3).max(200),
  /** Who pays and who handles the applications. */
  operator: z.string().min(3).max(200),
  applications: z.object({
    from: z.iso.date(),
    until: z.iso.date().nullable(),
    verification: z.enum(['verified', 'unverified']),
    note: z.string().max(400).optional(),
  }),
  /** A condition on where the buyer is, printed with every estimate (e.g. only the selected départements). */
  territory: z.string().max(300).optional(),
  terms: z.array(FundingTermsSchema).min(1),
  sources: z.array(z.url()).min(1),
  verification: z.enum(['verified', 'unverified']),
  note: z.string().max(600).optional(),
});
export type FundingProgramme = z.infer<typeof FundingProgrammeSchema>;
export type FundingProgrammeInput = z.input<typeof FundingProgrammeSchema>;
