import * as z from 'zod';
import { AuthorityTypeSchema, CategorySchema, CpvCodeSchema, CriterionIdSchema, CriterionRefSchema, type Criterion } from './criterion.ts';

const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case slug such as "classe-mobile-16"')
  .max(60);

/**
 * What conformity to the framework checks (`requiredAuthorities`). Frameworks published before
 * co-funding programmes were data (versions 1 and 2 of carmo-education) also carry a single
 * « programme, rate, cap per device » rule, kept so they read as published; no estimate uses it any
 * more: the programmes a framework serves are named in `programmes` (src/core/funding).
 */
export const FundingRuleSchema = z.object({
  programme: z.string().min(1).max(200).optional().describe('Legacy (frameworks before programmes were data): not used'),
  rate: z.number().gt(0).lte(1).optional().describe('Legacy: not used'),
  capPerDevice: z.number().nonnegative().optional().describe('Legacy: not used'),
  eligibleItems: z.array(SlugSchema).min(1).optional().describe('Legacy: catalogue item ids, checked to exist; not used'),
  requiredAuthorities: z
    .array(AuthorityTypeSchema)
    .min(1)
    .describe('Minimum criteria of these authorities must be kept and never loosened'),
});
export type FundingRule = z.infer<typeof FundingRuleSchema>;

export const FrameworkStatusSchema = z.enum(['draft', 'published', 'archived']);
export type FrameworkStatus = z.infer<typeof FrameworkStatusSchema>;

/** A versioned, published set of criteria that pins each criterion version. */
export const FrameworkSchema = z
  .object({
    id: SlugSchema,
    version: z.number().int().positive(),
    title: z.string().min(3).max(200),
    reference: z.string().min(1).max(200).describe('e.g. "CARMO 3.0.1 et préconisations 2026"'),
    description: z.string().max(2000),
    status: FrameworkStatusSchema,
    publishedAt: z.iso.date().optional(),
    fundingRule: FundingRuleSchema,
    programmes: z
      .array(SlugSchema)
      .optional()
      .describe('Ids of the co-funding programmes this framework serves (src/core/funding/programmes.ts); absent on frameworks published before programmes were data: every programme then'),
    criteria: z.array(CriterionRefSchema).min(1),
  })
  .refine((f) => new Set(f.criteria.map((c) => c.id)).size === f.criteria.length, {
    message: 'a framework pins each criterion once',
    path: ['criteria'],
  });
export type Framework = z.infer<typeof FrameworkSchema>;

/** Who a device is for: funding programmes cap pupil and teacher devices differently. */
export const AudienceSchema = z.enum(['pupil', 'teacher', 'class']);
export type Audience = z.infer<typeof AudienceSchema>;

/** A unit of purchase, bound to the criteria that apply to it. */
export const CatalogueItemSchema = z.object({
  id: SlugSchema,
  label: z.string().min(3).max(120),
  description: z.string().max(1000),
  category: CategorySchema,
  nature: z.enum(['supply', 'service']),
  unit: z.string().min(1).max(30).describe('Unit of quantity as printed, e.g. "unité", "heure", "licence"'),
  cpv: CpvCodeSchema,
  audience: AudienceSchema.optional().describe('Who the device is for (funding caps per pupil or per teacher); absent: pupils for tablets, the class otherwise'),
  criteria: z.array(CriterionIdSchema),
});
export type CatalogueItem = z.infer<typeof CatalogueItemSchema>;

/** A packaged composition, e.g. a mobile classroom of 16 tablets. */
export const OfferSchema = z.object({
  id: SlugSchema,
  label: z.string().min(3).max(120),
  description: z.string().max(1000),
  items: z
    .array(z.object({ itemId: SlugSchema, quantity: z.number().int().positive() }))
    .min(1),
});
export type Offer = z.infer<typeof OfferSchema>;

/** Every framework version, criterion version, item and offer of a reference catalogue (the files in `catalogue/`). */
export interface Catalogue {
  frameworks: Framework[];
  criteria: Criterion[];
  items: CatalogueItem[];
  offers: Offer[];
}

export { SlugSchema };
export type ItemId = z.infer<typeof SlugSchema>;
