import * as z from 'zod';
import { INSEE_COMMUNE_CODE, siretChecksumValid } from './identifiers.ts';
import { BuyerTypeSchema } from './buyer-type.ts';
import { SlugSchema } from './catalogue.ts';
import { CriterionIdSchema, LevelSchema, MetricSchema, ProofSchema, SchoolLevelSchema } from './criterion.ts';
import { FindingCodeSchema, isJustifiable, JUSTIFIABLE_CODES } from './findings.ts';

/** C0 and C1 control characters but tab, line feed and carriage return (NUL included). */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make a
 * reader see text in another order than the one stored and compared ("Trojan Source"). Right-to-left
 * scripts need none of them; the implicit marks U+200E and U+200F stay allowed.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * The one check every string a buyer sends goes through (see NewTenderRequestSchema): why it is
 * refused, or undefined. No document format can print control characters or lone surrogates, and
 * bidi controls would let a document say something other than what the record holds.
 */
export function buyerTextProblem(value: string): string | undefined {
  if (CONTROL_CHARACTERS.test(value)) return 'control characters are not allowed';
  if (!value.isWellFormed()) return 'invalid Unicode (lone surrogate)';
  if (BIDI_CONTROLS.test(value)) return 'bidirectional control characters (U+202A–U+202E, U+2066–U+2069) are not allowed';
  return undefined;
}

/** Calls `visit` on every string in a parsed value, with its path (the schema bounds the depth). */
export function forEachString(value: unknown, path: (string | number)[], visit: (text: string, path: (string | number)[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => forEachString(v, [...path, i], visit));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) forEachString(v, [...path, k], visit);
}

/** Free text written by a buyer: always data, never markup nor template code; its characters are checked with every other string of the request. */
export const BuyerText = (max: number) => z.string().trim().min(1).max(max);

export { BuyerTypeSchema, type BuyerType } from './buyer-type.ts';

export { SchoolLevelSchema } from './criterion.ts';
export type { SchoolLevel } from './school-levels.ts';

export const ProcedureSchema = z.enum([
  'negotiated-without-notice',
  'adapted',
  'open',
  'restricted',
]);
export type Procedure = z.infer<typeof ProcedureSchema>;

/** The formalised procedures (appel d’offres ouvert or restreint); the others are adapted or without notice. */
export const FORMALISED_PROCEDURES: ReadonlySet<Procedure> = new Set(['open', 'restricted']);

export const ContractSchema = z.discriminatedUnion('form', [
  z.object({
    form: z.literal('ordinary'),
    durationMonths: z.number().int().positive().max(120).optional(),
  }),
  z.object({
    form: z.literal('framework-agreement'),
    durationMonths: z.number().int().positive().max(120),
    minimumAmount: z.number().nonnegative().optional(),
    maximumAmount: z.number().positive().optional().describe('Maximum in euros excl. VAT over the whole duration, renewals included (R2162-4); or one per lot'),
    maximumQuantity: z.number().int().positive().optional(),
  }),
]);
export type Contract = z.infer<typeof ContractSchema>;

/** A buyer's change to one reference criterion within a lot. */
export const OverrideSchema = z
  .object({
    criterionId: CriterionIdSchema,
    metric: MetricSchema.optional().describe('Replacement threshold; must keep the metric type'),
    level: LevelSchema.optional(),
    excluded: z.boolean().optional().describe('Drop the criterion from this lot'),
    justification: BuyerText(1000).optional(),
  })
  .refine((o) => o.metric !== undefined || o.level !== undefined || o.excluded === true, {
    message: 'an override changes the metric, the level or excludes the criterion',
  });
export type Override = z.infer<typeof OverrideSchema>;

export const CustomRequirementSchema = z.object({
  label: BuyerText(160),
  requirement: BuyerText(20_000),
  level: LevelSchema,
  metric: MetricSchema.default({ type: 'text' }),
  proof: z.array(ProofSchema).min(1).default(['declaration']),
});
export type CustomRequirement = z.infer<typeof CustomRequirementSchema>;

export const LotLineSchema = z.object({
  itemId: SlugSchema,
  quantity: z.number().int().positive().max(1_000_000),
});

export const LotSchema = z
  .object({
    title: BuyerText(200),
    offer: z
      .object({ offerId: SlugSchema, count: z.number().int().positive().max(10_000) })
      .optional()
      .describe('A packaged offer, bought `count` times'),
    items: z.array(LotLineSchema).default([]).describe('Items à la carte, added to the offer if any'),
    estimatedUnitPrices: z
      .record(SlugSchema, z.number().nonnegative().max(10_000_000))
      .default({})
      .describe('Estimated unit price excl. VAT per item id, in euros'),
    maximumAmount: z
      .number()
      .positive()
      .max(1_000_000_000)
      .optional()
      .describe('Maximum of this lot in euros excl. VAT over the whole duration, for a framework agreement with a maximum per lot (R2162-4)'),
    overrides: z.array(OverrideSchema).default([]),
    customRequirements: z.array(CustomRequirementSchema).max(200).default([]),
    deliverySites: z.array(BuyerText(300)).max(500).default([]),
  })
  .refine((l) => l.offer !== undefined || l.items.length > 0, {
    message: 'a lot needs an offer or at least one item',
    path: ['items'],
  })
  .refine((l) => new Set(l.overrides.map((o) => o.criterionId)).size === l.overrides.length, {
    message: 'one override per criterion and lot',
    path: ['overrides'],
  });
export type Lot = z.infer<typeof LotSchema>;
export type LotInput = z.input<typeof LotSchema>;

export const AwardThemeSchema = z.enum([
  'price',
  'technical',
  'environmental',
  'social',
  'service',
  'accessibility',
  'delivery',
]);
export type AwardTheme = z.infer<typeof AwardThemeSchema>;

export const SubCriterionSchema = z.object({
  name: BuyerText(200),
  weight: z.number().nonnegative().max(100),
  theme: AwardThemeSchema.optional(),
});

/**
 * How a price or cost criterion turns an offer's amount into points (scoring.ts computes it, the
 * RC prints it): `lowest-over-price`, points × lowest ÷ amount (the lowest offer gets every point,
 * the others a share in inverse proportion to their amount); `linear`, points × (1 − (amount −
 * lowest) ÷ lowest), floored at 0 (each 1 % above the lowest costs 1 % of the points).
 */
export const PRICE_SCORING_METHODS = ['lowest-over-price', 'linear'] as const;
export const PriceScoringSchema = z.enum(PRICE_SCORING_METHODS);
export type PriceScoring = z.infer<typeof PriceScoringSchema>;

/**
 * How offers with the same total (rounded to the hundredth) are ranked, as the RC states it:
 * `none`, left to the buyer's reasoned decision; `best-technical`, the higher score on the first
 * criterion that is neither price nor cost; `lowest-price`, the lower amount examined. Whatever
 * the rule leaves equal stays a tie for the buyer to decide.
 */
export const TIE_BREAKS = ['none', 'best-technical', 'lowest-price'] as const;
export const TieBreakSchema = z.enum(TIE_BREAKS);
export type TieBreak = z.infer<typeof TieBreakSchema>;

export const AwardCriterionSchema = z.object({
  name: BuyerText(200),
  type: z.enum(['price', 'cost', 'quality']).describe('eForms award-criterion type'),
  theme: AwardThemeSchema,
  weight: z.number().nonnegative().max(100).describe('Percentage; the weights sum to 100'),
  environmental: z
    .boolean()
    .optional()
    .describe('Takes the environmental characteristics of the offer into account (e.g. a life-cycle cost that includes them), whatever its theme'),
  subCriteria: z.array(SubCriterionSchema).max(20).default([]),
  priceScoring: PriceScoringSchema.optional().describe(
    'Price or cost criterion only: how the amount is turned into points, as the RC states it. lowest-over-price (absent): points × lowest amount ÷ amount; linear: points × (1 − (amount − lowest) ÷ lowest), never below 0',
  ),
}).superRefine((criterion, ctx) => {
  if (criterion.priceScoring !== undefined && criterion.type === 'quality') {
    ctx.addIssue({ code: 'custom', path: ['priceScoring'], message: 'a quality criterion is graded, not computed from the price: priceScoring applies to a price or cost criterion' });
  }
});
export type AwardCriterion = z.infer<typeof AwardCriterionSchema>;

/** Who buys: the same in both request versions. */
export const BuyerSchema = z.object({
  name: BuyerText(200),
  article: z
    .enum(['le', 'la', 'l’', 'les'])
    .optional()
    .describe('Article printed before the name (« lancée par la commune de … »); absent: read from the name’s first word (Commune, Département, Ville…), else none'),
  type: BuyerTypeSchema,
  siret: z
    .string()
    .regex(/^\d{14}$/, 'a SIRET is 14 digits, without spaces')
    .refine(siretChecksumValid, 'this SIRET’s check digit is wrong (Luhn key): check the number on annuaire-entreprises.data.gouv.fr')
    .optional()
    .describe('SIRET of the buyer’s establishment (SIRENE register), published in the open data'),
  address: BuyerText(300).optional(),
  schoolLevels: z
    .array(SchoolLevelSchema)
    .min(1)
    .max(3)
    .optional()
    .describe('School levels equipped; absent: primary for communes and intercommunalities, collège for départements, lycée for régions, collège or lycée for an EPLE'),
  centralAuthority: z
    .boolean()
    .optional()
    .describe('Listed among the autorités publiques centrales (annexe 2 du CCP, e.g. UGAP); absent: true for central-state only'),
});

/** Whether variants are allowed, how, and the minimum every variant keeps. */
export const VariantsSchema = z.object({
  allowed: z.boolean(),
  description: BuyerText(2000).optional(),
  minimumRequirements: BuyerText(4000).optional(),
});
export type Variants = z.infer<typeof VariantsSchema>;

/** An option of the whole file; a version 2 request also states options per lot (priced lines). */
export const FileOptionSchema = z.object({
  label: BuyerText(200),
  description: BuyerText(2000),
  estimatedAmount: z.number().nonnegative().max(1_000_000_000).optional().describe('Estimated value of the option in euros excl. VAT, counted in the estimated value (R2121-1)'),
});
export type FileOption = z.infer<typeof FileOptionSchema>;

export const JustificationsSchema = z
  .partialRecord(FindingCodeSchema, BuyerText(2000).refine((s) => s.length >= 30, { message: 'a justification states the reasons in at least 30 characters' }))
  .superRefine((map, ctx) => {
    for (const code of Object.keys(map)) {
      if (!isJustifiable(code)) ctx.addIssue({ code: 'custom', path: [code], message: `${code} cannot be justified; justifiable: ${JUSTIFIABLE_CODES.join(', ')}` });
    }
  })
  .optional()
  .describe('Finding code → the buyer’s reasons: a justifiable error becomes a warning quoting them; other codes are refused');

/** The fields both versions share, with the same meaning. */
export const COMMON_REQUEST_FIELDS = {
  buyer: BuyerSchema,
  title: BuyerText(300),
  reference: BuyerText(60).optional().describe("The buyer's own file reference"),
  executionPlace: z
    .object({
      inseeCode: z.string().regex(INSEE_COMMUNE_CODE, 'an INSEE commune code is 5 characters: digits, or 2A/2B and 3 digits in Corsica').describe('INSEE code of the commune (code officiel géographique)'),
      name: BuyerText(200).optional().describe('Name of the commune or place'),
    })
    .optional()
    .describe('Main place of execution of the contract'),
  offerDeadline: z.iso.datetime({ offset: true }).optional().describe('Deadline for offers, with its UTC offset (e.g. 2026-11-06T12:00:00+01:00)'),
  questionsDeadline: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Last time bidders may ask questions, with its UTC offset; before offerDeadline, which it needs'),
  offerValidityDays: z.number().int().min(30).max(365).optional().describe('Days offers stay valid from the offer deadline; absent: 120, and the RC says it is its default'),
  buyerProfileUrl: z
    .url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'the buyer’s profile is an https address, such as https://www.marches-publics.gouv.fr' })
    .max(300)
    .optional()
    .describe('Address of the buyer’s profile (profil d’acheteur) where the file is published and offers are submitted'),
  maxLotsPerBidder: z.number().int().positive().max(49).optional().describe('Most lots one bidder may win (R2113-1); below the number of lots; absent: no limit'),
  negotiation: z
    .enum(['none', 'reserved'])
    .optional()
    .describe('Adapted procedure only: reserved, the buyer may negotiate and may award on the initial offers (R2123-5); none or absent: no negotiation'),
  framework: z.object({ id: SlugSchema, version: z.number().int().positive() }),
  procedure: ProcedureSchema,
  consultationDate: z.iso.date().describe('Launch date of the consultation (YYYY-MM-DD); also dates the document'),
  context: BuyerText(4000).optional(),
  allotmentJustification: BuyerText(2000).optional().describe('Reasons for a single lot (L2113-11)'),
  awardCriteria: z.array(AwardCriterionSchema).max(20).default([]),
  tieBreak: TieBreakSchema.optional().describe(
    'How offers with the same total score are ranked, printed in the RC: none (left to the buyer’s reasoned decision, also when absent, which prints nothing), best-technical (higher score on the first criterion that is neither price nor cost), lowest-price (lower amount examined); in version 2, a lot’s own tieBreak overrides it for that lot',
  ),
  variants: VariantsSchema.default({ allowed: false }),
  options: z.array(FileOptionSchema).max(20).default([]),
  justifications: JustificationsSchema,
};

export const TenderRequestSchema = z
  .object({
    schemaVersion: z.literal(1).optional().describe('1 or absent: this first request schema; 2: lots, items, prices and sites as a tender file states them'),
    ...COMMON_REQUEST_FIELDS,
    contract: ContractSchema,
    lots: z.array(LotSchema).min(1).max(50),
    renewals: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe('Number of renewals (reconductions), each repeating the estimated quantities; counted in the estimated value (R2121-1)'),
  })
  .superRefine((request, ctx) => consultationIssues(request, (path, message) => ctx.addIssue({ code: 'custom', path, message })))
  .describe('What a buyer asks Cahier to generate (request schema version 1)');
/** A version 1 request: file-level criteria, variants, options and renewals; lots of catalogue items. */
export type TenderRequest = z.infer<typeof TenderRequestSchema>;
export type TenderRequestInput = z.input<typeof TenderRequestSchema>;

/**
 * The consultation's own rules, the same in both versions: questions close before offers, a cap on
 * lots per bidder leaves at least two lots to win elsewhere, negotiation only in an adapted procedure.
 */
export function consultationIssues(
  request: { offerDeadline?: string; questionsDeadline?: string; maxLotsPerBidder?: number; negotiation?: 'none' | 'reserved'; procedure: Procedure; lots: readonly unknown[] },
  issue: (path: (string | number)[], message: string) => void,
): void {
  const { offerDeadline, questionsDeadline, maxLotsPerBidder } = request;
  if (questionsDeadline !== undefined) {
    if (offerDeadline === undefined) issue(['questionsDeadline'], 'a questions deadline comes before the offer deadline: state offerDeadline too');
    else if (Date.parse(questionsDeadline) >= Date.parse(offerDeadline)) issue(['questionsDeadline'], 'the questions deadline must come before the offer deadline');
  }
  if (maxLotsPerBidder !== undefined && maxLotsPerBidder >= request.lots.length) {
    issue(['maxLotsPerBidder'], `a bidder may win at most ${request.lots.length - 1} of the ${request.lots.length} lots; leave maxLotsPerBidder out for no limit`);
  }
  if (request.negotiation === 'reserved' && request.procedure !== 'adapted') {
    issue(['negotiation'], 'only an adapted procedure (MAPA) lets the buyer negotiate (R2123-5); an appel d’offres excludes negotiation');
  }
}
