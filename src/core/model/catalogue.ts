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

/** One version of a catalogue item or offer, as a framework pins it. */
export const EntryRefSchema = z.object({
  id: SlugSchema,
  version: z.number().int().positive(),
});
export type EntryRef = z.infer<typeof EntryRefSchema>;

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
    items: z
      .array(EntryRefSchema)
      .optional()
      .describe('The catalogue item versions this framework pins. Absent on frameworks published before items were versioned: version 1 of every item, i.e. the items as they were then'),
    offers: z
      .array(EntryRefSchema)
      .optional()
      .describe('The offer versions this framework pins. Absent on frameworks published before offers were versioned: version 1 of every offer'),
  })
  .refine((f) => new Set(f.criteria.map((c) => c.id)).size === f.criteria.length, {
    message: 'a framework pins each criterion once',
    path: ['criteria'],
  })
  .refine((f) => f.items === undefined || new Set(f.items.map((c) => c.id)).size === f.items.length, {
    message: 'a framework pins each item once',
    path: ['items'],
  })
  .refine((f) => f.offers === undefined || new Set(f.offers.map((c) => c.id)).size === f.offers.length, {
    message: 'a framework pins each offer once',
    path: ['offers'],
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

/**
 * A stored version of an item or an offer. Versions are immutable and contiguous, like criterion
 * versions; the content (without `version`) is what documents read, so a snapshot hands out
 * CatalogueItem and Offer and a document never prints a version number it did not print before.
 */
export const CatalogueItemVersionSchema = CatalogueItemSchema.extend({ version: z.number().int().positive() }).describe('One version of a catalogue item');
export type CatalogueItemVersion = z.infer<typeof CatalogueItemVersionSchema>;
export const OfferVersionSchema = OfferSchema.extend({ version: z.number().int().positive() }).describe('One version of an offer');
export type OfferVersion = z.infer<typeof OfferVersionSchema>;

/** The two kinds of versioned catalogue entries besides criteria. */
export type CatalogueEntryKind = 'item' | 'offer';

/**
 * Every framework version, criterion version, item and offer of a reference catalogue (the files
 * in `catalogue/`). The files hold version 1 of each item and offer; later versions are written
 * by editors through the API (PUT /items/{id}, PUT /offers/{id}).
 */
export interface Catalogue {
  frameworks: Framework[];
  criteria: Criterion[];
  items: CatalogueItem[];
  offers: Offer[];
}

export { SlugSchema };
export type ItemId = z.infer<typeof SlugSchema>;
