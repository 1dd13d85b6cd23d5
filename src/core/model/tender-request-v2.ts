/**
 * Request schema version 2: lots, items, prices and sites as a buyer's tender file states them on
 * its first pages. The contract (form, duration, renewals, start, tranches, price form and type),
 * lots with their own CPV, award criteria and sub-criteria, minimum and maximum, variants, priced
 * options (PSE), reservation and site visit; item lines as the buyer writes them (from the
 * catalogue or not, quantities given, estimated, per site or computed from other quantities, unit
 * or lump-sum pricing, estimated unit price and VAT rate); delivery sites and the existing
 * equipment the solution lives with.
 *
 * Version 1 requests keep working: `upgradeRequest` (upgrade-request.ts) turns one into the
 * version 2 model every rule and document reads, so one code path serves both.
 */
import * as z from 'zod';
import { SlugSchema } from './catalogue.ts';
import { CategorySchema, CpvCodeSchema } from './criterion.ts';
import {
  AwardCriterionSchema,
  BuyerText,
  COMMON_REQUEST_FIELDS,
  consultationIssues,
  CustomRequirementSchema,
  OverrideSchema,
  TenderRequestSchema,
  TieBreakSchema,
  VariantsSchema,
  buyerTextProblem,
  forEachString,
  type TenderRequest,
} from './tender-request.ts';

const Money = (max = 1_000_000_000) => z.number().nonnegative().max(max);

/** A delivery and installation site: a school, a collège, a lycée or a municipal building. */
export const SiteSchema = z.object({
  id: SlugSchema.describe('The buyer’s short id of the site, used by quantities per site, visits and existing equipment'),
  name: BuyerText(200),
  address: BuyerText(300).optional(),
  uai: z
    .string()
    .regex(/^\d{7}[A-Z]$/, 'expected a UAI code: 7 digits and a capital letter, e.g. "0050012A"')
    .optional()
    .describe('Code UAI of the school (unité administrative immatriculée)'),
  pupils: z.number().int().nonnegative().max(20_000).optional(),
  teachers: z.number().int().nonnegative().max(2_000).optional(),
  deliveryPeriods: BuyerText(500).optional().describe('Opening hours or periods when delivery and installation are possible'),
});
export type Site = z.infer<typeof SiteSchema>;

export const EquipmentKindSchema = z.enum(['wifi', 'mdm', 'directory', 'ent', 'display', 'network', 'other']);
export type EquipmentKind = z.infer<typeof EquipmentKindSchema>;

/** Equipment already in place that the solution must work with, printed as a compatibility requirement. */
export const ExistingEquipmentSchema = z.object({
  kind: EquipmentKindSchema,
  description: BuyerText(1000).describe('What is in place, as the bidder needs to know it (make and model « ou équivalent » are not needed: it exists)'),
  sites: z.array(SlugSchema).min(1).max(500).optional().describe('Site ids where it is in place; absent: every site'),
});
export type ExistingEquipment = z.infer<typeof ExistingEquipmentSchema>;

/** How a line's quantity follows other quantities, instead of being copied. */
export const ComputedQuantitySchema = z.discriminatedUnion('rule', [
  z.object({
    rule: z.literal('devices').describe('One per device (tablet or computer) of the lot’s other lines, e.g. management licences'),
  }),
  z.object({
    rule: z.literal('teachers').describe('The teachers of the lot’s sites times `perTeacher`, e.g. training hours'),
    perTeacher: z.number().positive().max(100),
  }),
]);
export type ComputedQuantity = z.infer<typeof ComputedQuantitySchema>;

/**
 * One line as the buyer writes it: a catalogue item (its criteria apply) or the buyer's own
 * designation. Its quantity is given, split by site, or computed from other lines.
 */
export const ItemLineSchema = z
  .object({
    itemId: SlugSchema.optional().describe('Catalogue item; its reference criteria apply to the line'),
    designation: BuyerText(200).optional().describe('The line as printed; required without itemId, else replaces the catalogue label'),
    unit: BuyerText(30).optional().describe('Unit of quantity; required without itemId'),
    nature: z.enum(['supply', 'service']).optional().describe('Required without itemId'),
    category: CategorySchema.optional().describe('Family of the line, for a line without itemId; absent: services'),
    cpv: CpvCodeSchema.optional().describe('Required without itemId; else replaces the item’s code'),
    quantity: z.number().positive().max(1_000_000).optional().describe('Quantity; absent when split by site or computed'),
    estimated: z.boolean().optional().describe('The quantity is an estimate (détail quantitatif estimatif), not a commitment'),
    quantityFrom: ComputedQuantitySchema.optional(),
    sites: z.record(SlugSchema, z.number().nonnegative().max(1_000_000)).optional().describe('Quantity per site id; the line’s quantity is their sum'),
    requirements: z.array(BuyerText(2000)).max(20).default([]).describe('Requirements attached to this line, each a minimum requirement of the lot'),
    pricing: z.enum(['unit', 'lump-sum']).default('unit').describe('Priced per unit (unit price × quantity) or as a lump sum for the line'),
    unitPrice: Money(10_000_000).optional().describe('Buyer’s estimated unit price excl. VAT, in euros (a lump sum: the line’s price); never shown to bidders'),
    vatRate: z.number().nonnegative().max(100).default(20).describe('VAT rate in percent'),
    tranche: SlugSchema.optional().describe('Id of the optional tranche the line belongs to; absent: the firm tranche'),
  })
  .superRefine((line, ctx) => {
    if (line.itemId === undefined) {
      for (const field of ['designation', 'unit', 'nature', 'cpv'] as const) {
        if (line[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `a line without itemId states its ${field}` });
      }
    }
    const ways = [line.quantity !== undefined, line.quantityFrom !== undefined, line.sites !== undefined].filter(Boolean).length;
    if (ways !== 1) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'a line has one quantity: given (quantity), split by site (sites) or computed (quantityFrom)' });
    }
    if (line.sites !== undefined && Object.values(line.sites).every((q) => q === 0)) {
      ctx.addIssue({ code: 'custom', path: ['sites'], message: 'a line split by site delivers at least one unit' });
    }
  });
export type ItemLine = z.infer<typeof ItemLineSchema>;
export type ItemLineInput = z.input<typeof ItemLineSchema>;

/** A priced option of a lot (prestation supplémentaire éventuelle): bidders price it apart, the buyer takes it or not. */
export const LotOptionSchema = z
  .object({
    label: BuyerText(200),
    description: BuyerText(2000),
    lines: z.array(ItemLineSchema).max(50).default([]).describe('What the option adds, priced on its own sheet'),
    estimatedAmount: Money().optional().describe('Estimated value excl. VAT when the option has no lines'),
  })
  .refine((o) => !(o.lines.length > 0 && o.estimatedAmount !== undefined), {
    message: 'an option is estimated by its lines or by estimatedAmount, not both',
    path: ['estimatedAmount'],
  });
export type LotOption = z.infer<typeof LotOptionSchema>;

export const VisitSchema = z
  .object({
    kind: z.enum(['none', 'optional', 'mandatory']),
    dates: z.array(z.iso.date()).max(20).default([]),
    booking: BuyerText(500).optional().describe('How to book a visit (contact, deadline)'),
    sites: z.array(SlugSchema).min(1).max(500).optional().describe('Sites visited; absent: the lot’s sites'),
  })
  .refine((v) => v.kind === 'none' || v.dates.length > 0 || v.booking !== undefined, {
    message: 'a visit states its dates or how to book one',
    path: ['booking'],
  });
export type Visit = z.infer<typeof VisitSchema>;

export const LotV2Schema = z
  .object({
    title: BuyerText(200),
    cpv: z
      .object({ main: CpvCodeSchema, additional: z.array(CpvCodeSchema).max(20).default([]) })
      .optional()
      .describe('The lot’s CPV codes; absent: its first supply line’s'),
    offer: z
      .object({ offerId: SlugSchema, count: z.number().int().positive().max(10_000) })
      .optional()
      .describe('A packaged offer, bought `count` times, expanded into the lot’s lines'),
    items: z.array(ItemLineSchema).max(200).default([]).describe('Lines added to the offer if any'),
    estimatedUnitPrices: z
      .record(SlugSchema, Money(10_000_000))
      .default({})
      .describe('Estimated unit price excl. VAT per catalogue item id, for lines without their own unitPrice (the offer’s lines)'),
    minimumAmount: Money().optional(),
    maximumAmount: z.number().positive().max(1_000_000_000).optional().describe('Maximum of this lot in euros excl. VAT over the whole duration, renewals included (framework agreement)'),
    minimumQuantity: z.number().int().positive().max(10_000_000).optional(),
    maximumQuantity: z.number().int().positive().max(10_000_000).optional().describe('Maximum quantity of this lot over the whole duration (framework agreement)'),
    awardCriteria: z.array(AwardCriterionSchema).max(20).optional().describe('This lot’s award criteria; absent: the file’s awardCriteria'),
    variants: VariantsSchema.optional().describe('This lot’s variants; absent: the file’s'),
    tieBreak: TieBreakSchema.optional().describe('How this lot’s offers with the same total score are ranked (printed in the RC for the lot); absent: the file’s tieBreak'),
    options: z.array(LotOptionSchema).max(20).default([]),
    reserved: z
      .enum(['disabled-workers', 'social-economy'])
      .optional()
      .describe('Lot reserved to entreprises adaptées, ESAT and equivalent structures employing disabled workers (disabled-workers, L2113-12), or to integration structures (structures d’insertion par l’activité économique) and equivalent ones employing disadvantaged workers (social-economy, L2113-13; the value keeps its first name)'),
    visit: VisitSchema.optional(),
    spareSlots: z.number().int().nonnegative().max(50).optional().describe('Charging slots added to those the lot’s devices need'),
    overrides: z.array(OverrideSchema).default([]),
    customRequirements: z.array(CustomRequirementSchema).max(200).default([]),
    deliverySites: z.array(BuyerText(300)).max(500).default([]).describe('Delivery addresses as free text (version 1); prefer sites with quantities'),
  })
  .refine((l) => l.offer !== undefined || l.items.length > 0, { message: 'a lot needs an offer or at least one item', path: ['items'] })
  .refine((l) => new Set(l.overrides.map((o) => o.criterionId)).size === l.overrides.length, { message: 'one override per criterion and lot', path: ['overrides'] })
  .refine((l) => l.minimumAmount === undefined || l.maximumAmount === undefined || l.minimumAmount <= l.maximumAmount, {
    message: 'the minimum exceeds the maximum',
    path: ['minimumAmount'],
  })
  .refine((l) => l.minimumQuantity === undefined || l.maximumQuantity === undefined || l.minimumQuantity <= l.maximumQuantity, {
    message: 'the minimum quantity exceeds the maximum quantity',
    path: ['minimumQuantity'],
  });
export type LotV2 = z.infer<typeof LotV2Schema>;
export type LotV2Input = z.input<typeof LotV2Schema>;

export const RenewalsSchema = z.object({
  count: z.number().int().min(0).max(10),
  months: z.number().int().positive().max(60).optional().describe('Length of each renewal; absent: the initial duration'),
  kind: z.enum(['tacit', 'express']).optional().describe('Tacit (reconduction tacite, the holder may refuse it) or express (the buyer decides each time)'),
});
export type Renewals = z.infer<typeof RenewalsSchema>;

export const OptionalTrancheSchema = z
  .object({
    id: SlugSchema,
    title: BuyerText(200),
    content: BuyerText(2000).describe('What the tranche delivers, in a sentence'),
    affirmation: z
      .object({ deadline: z.iso.date().optional(), condition: BuyerText(1000).optional() })
      .refine((a) => a.deadline !== undefined || a.condition !== undefined, { message: 'state the deadline or the condition to affirm the tranche' })
      .describe('When the buyer decides to affirm the tranche (R2113-6)'),
  });
export type OptionalTranche = z.infer<typeof OptionalTrancheSchema>;

export const PriceSchema = z
  .object({
    form: z.enum(['lump-sum', 'unit', 'mixed']).describe('Prix forfaitaires, unitaires, ou mixtes'),
    type: z.enum(['firm', 'adjustable', 'revisable']).describe('Prix ferme, actualisable ou révisable (R2112-6 ff.)'),
    index: BuyerText(300).optional().describe('The index an adjustable or revisable price follows'),
  })
  .refine((p) => p.type === 'firm' || p.index !== undefined, { message: 'an adjustable or revisable price names its index', path: ['index'] });
export type Price = z.infer<typeof PriceSchema>;

const CONTRACT_TERMS = {
  renewals: RenewalsSchema.optional(),
  start: z
    .object({ date: z.iso.date().optional(), event: BuyerText(300).optional() })
    .refine((s) => s.date !== undefined || s.event !== undefined, { message: 'a start is a date or an event' })
    .optional()
    .describe('When the contract starts: a date, or an event such as notification'),
  tranches: z
    .object({
      firm: z.object({ title: BuyerText(200), content: BuyerText(2000) }),
      optional: z.array(OptionalTrancheSchema).min(1).max(10),
    })
    .optional()
    .describe('A firm tranche and optional ones (R2113-4 to R2113-6); lines name their tranche'),
  price: PriceSchema.optional(),
};

export const FrameworkTypeSchema = z.enum(['purchase-orders-single', 'purchase-orders-multiple', 'subsequent-contracts']);
export type FrameworkType = z.infer<typeof FrameworkTypeSchema>;

export const ContractV2Schema = z.discriminatedUnion('form', [
  z.object({
    form: z.literal('ordinary'),
    durationMonths: z.number().int().positive().max(120).optional(),
    ...CONTRACT_TERMS,
  }),
  z.object({
    form: z.literal('framework-agreement'),
    frameworkType: FrameworkTypeSchema.optional().describe('By purchase orders with one or several holders, or by subsequent contracts; absent (version 1): not stated'),
    durationMonths: z.number().int().positive().max(120),
    minimumAmount: Money().optional(),
    maximumAmount: z.number().positive().max(1_000_000_000).optional().describe('Maximum in euros excl. VAT for the whole agreement, renewals included; or one per lot'),
    maximumQuantity: z.number().int().positive().optional(),
    ...CONTRACT_TERMS,
  }),
]);
export type ContractV2 = z.infer<typeof ContractV2Schema>;

/**
 * The administrative clauses the buyer chooses among lawful options (CCAP): what is absent takes the
 * CCAG-TIC default or the Code's rule, and the CCAP says so. A choice departing from the CCAG-TIC is
 * listed in the CCAP's last article with the article it overrides.
 */
export const AdministrativeTermsSchema = z.object({
  penalties: z
    .object({
      dailyAmount: Money(100_000).optional().describe('The buyer’s own late penalty in euros excl. VAT per calendar day; absent: the CCAG-TIC formula'),
      capPercent: z.number().positive().max(100).optional().describe('Cap of the late penalties as a percentage of the contract or order amount; absent: the CCAG-TIC cap'),
    })
    .optional(),
  advance: z
    .object({
      ratePercent: z.number().positive().max(100).optional().describe('Rate of the advance, at least the legal minimum (R2191-7) on the consultation date; absent: the legal minimum'),
      smeRatePercent: z
        .number()
        .positive()
        .max(100)
        .optional()
        .describe('Rate of the advance when the holder is an SME, at least the legal minimum for SMEs where the law sets one for this buyer (the State); absent: the general rate, raised to that minimum'),
      whenNotDue: z.enum(['none', 'granted']).optional().describe('Whether an advance is paid when the law does not make it due; absent: none'),
    })
    .optional(),
  guarantee: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.literal('retention'), ratePercent: z.number().positive().max(100) }),
    ])
    .optional()
    .describe('Retention on payments (retenue de garantie), replaceable by a first-demand guarantee; absent: none'),
  deliveryDays: z.number().int().positive().max(365).optional().describe('Lead time in calendar days from each order (or notification); absent: the time the holder commits to in the acte d’engagement'),
  breachNotificationHours: z.number().int().positive().max(72).optional().describe('Hours within which the holder notifies a personal-data breach to the buyer; absent: without undue delay (GDPR art. 33)'),
  court: BuyerText(200).optional().describe('The competent tribunal administratif; absent: read from the postcode of the buyer’s address (CJA R221-3)'),
});
export type AdministrativeTerms = z.infer<typeof AdministrativeTermsSchema>;

const TenderRequestV2Shape = z.object({
  schemaVersion: z.literal(2),
  ...COMMON_REQUEST_FIELDS,
  contract: ContractV2Schema,
  sites: z.array(SiteSchema).max(500).default([]),
  existingEquipment: z.array(ExistingEquipmentSchema).max(50).default([]),
  lots: z.array(LotV2Schema).min(1).max(50),
  administrative: AdministrativeTermsSchema.optional().describe('The buyer’s choices for the administrative clauses (CCAP); absent: the CCAG-TIC defaults'),
});
export type TenderRequestV2 = z.infer<typeof TenderRequestV2Shape>;
export type TenderRequestV2Input = z.input<typeof TenderRequestV2Shape>;

export const TenderRequestV2Schema = TenderRequestV2Shape.superRefine((request, ctx) =>
  crossReferenceIssues(request, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
).describe('What a buyer asks Cahier to generate (request schema version 2)');

/** Ids a request refers to must exist: sites, tranches; a renewal needs a duration; teachers to count. */
function crossReferenceIssues(request: TenderRequestV2, issue: (path: (string | number)[], message: string) => void): void {
  consultationIssues(request, issue);
  const siteIds = new Set<string>();
  request.sites.forEach((site, i) => {
    if (siteIds.has(site.id)) issue(['sites', i, 'id'], `site id "${site.id}" is used twice`);
    siteIds.add(site.id);
  });
  const trancheIds = new Set((request.contract.tranches?.optional ?? []).map((t) => t.id));
  if (trancheIds.size !== (request.contract.tranches?.optional.length ?? 0)) issue(['contract', 'tranches', 'optional'], 'tranche ids are unique');
  const site = (id: string, path: (string | number)[]) => {
    if (!siteIds.has(id)) issue(path, `unknown site "${id}"`);
  };
  const line = (l: ItemLine, path: (string | number)[], lot: LotV2) => {
    for (const id of Object.keys(l.sites ?? {})) site(id, [...path, 'sites', id]);
    if (l.tranche !== undefined && !trancheIds.has(l.tranche)) issue([...path, 'tranche'], `unknown optional tranche "${l.tranche}"`);
    if (l.quantityFrom?.rule === 'teachers' && lotSites(lot, request.sites).every((s) => s.teachers === undefined)) {
      issue([...path, 'quantityFrom'], 'training hours follow the teachers of the lot’s sites: give the sites their number of teachers');
    }
  };
  request.lots.forEach((lot, i) => {
    lot.items.forEach((l, j) => line(l, ['lots', i, 'items', j], lot));
    lot.options.forEach((o, j) => o.lines.forEach((l, k) => line(l, ['lots', i, 'options', j, 'lines', k], lot)));
    lot.visit?.sites?.forEach((id, j) => site(id, ['lots', i, 'visit', 'sites', j]));
  });
  request.existingEquipment.forEach((e, i) => e.sites?.forEach((id, j) => site(id, ['existingEquipment', i, 'sites', j])));
  const { renewals, durationMonths } = request.contract;
  if (renewals?.months !== undefined && durationMonths === undefined) issue(['contract', 'durationMonths'], 'a renewal’s length is counted against the initial duration: state durationMonths');
}

/** The sites a lot delivers: those its lines split quantities over, else every site of the file. */
export function lotSites(lot: Pick<LotV2, 'items' | 'options'>, sites: readonly Site[]): Site[] {
  const named = new Set(
    [...lot.items, ...lot.options.flatMap((o) => o.lines)].flatMap((l) => Object.entries(l.sites ?? {}).filter(([, q]) => q > 0).map(([id]) => id)),
  );
  return named.size === 0 ? [...sites] : sites.filter((s) => named.has(s.id));
}

/**
 * Every request the API, the CLI and stored records accept: version 2 when `schemaVersion` is 2,
 * version 1 when it is 1 or absent.
 */
export const AnyTenderRequestSchema = z.discriminatedUnion('schemaVersion', [TenderRequestV2Schema, TenderRequestSchema]);
export type AnyTenderRequest = TenderRequest | TenderRequestV2;

/**
 * A request as it comes in (API, CLI, web app): AnyTenderRequestSchema, then buyerTextProblem on
 * every string it holds, whatever the field (texts, metric units, enumerated options, ids), so a
 * new field is covered without anyone remembering to. Stored records are read with
 * AnyTenderRequestSchema alone, so that tenders recorded before a character was refused still
 * regenerate byte for byte.
 */
export const NewTenderRequestSchema = AnyTenderRequestSchema.superRefine((request, ctx) => {
  forEachString(request, [], (text, path) => {
    const problem = buyerTextProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
  });
});

export const isV2 = (request: AnyTenderRequest): request is TenderRequestV2 => request.schemaVersion === 2;
