/**
 * The subset of the Open Contracting Data Standard (OCDS 1.1) that Cahier publishes, as zod:
 * a release package holding one `tender` release, with the extensions it declares:
 *
 * - lots: `tender.lots[]`, `items[].relatedLot`;
 * - requirements: `tender.criteria[] → requirementGroups[] → requirements[]`, a criterion being
 *   met when all requirements of one of its groups are; `dataType` with `expectedValue`, or
 *   `minValue` / `maxValue`, or a `pattern`; `relatedLots` name the lots a criterion applies to,
 *   `relatesToTenderer` whether it judges the bidder;
 * - award criteria breakdown: `lots[].awardCriteria.criteria[]` with a `type` from the
 *   awardCriterionType codelist and `numbers[]` whose `weight` says how `number` is meant;
 * - techniques: `tender.techniques.hasFrameworkAgreement`;
 * - options and renewal: `hasOptions` / `options`, `hasRenewal` / `renewal` on the tender and lots.
 *
 * The shape Cahier writes, for its types and for the checks JSON Schema cannot make (cross-references
 * of lots and items, weights totalling 100); test/exports/ocds.test.ts validates the same output
 * against the official schemas, strict.
 */
import * as z from 'zod';

const Id = z.string().min(1);
const DateTime = z.iso.datetime({ offset: true });

export const ValueSchema = z.object({
  amount: z.number().nonnegative(),
  currency: z.literal('EUR'),
});

export const OrganizationReferenceSchema = z.object({ id: Id, name: z.string().min(1) });

export const OrganizationSchema = OrganizationReferenceSchema.extend({
  identifier: z.object({ scheme: z.string().min(1), id: z.string().min(1), legalName: z.string().optional() }).optional(),
  roles: z.array(z.enum(['buyer', 'procuringEntity', 'supplier', 'tenderer', 'funder', 'reviewBody', 'payer', 'payee', 'interestedParty'])).min(1),
  address: z.object({ streetAddress: z.string().optional(), countryName: z.string().optional() }).optional(),
});

export const ClassificationSchema = z.object({
  scheme: z.literal('CPV'),
  id: z.string().regex(/^\d{8}$/, 'CPV code without its check digit'),
  description: z.string().optional(),
});

export const ItemSchema = z.object({
  id: Id,
  description: z.string().min(1),
  classification: ClassificationSchema,
  quantity: z.number().positive(),
  unit: z.object({ name: z.string().min(1), value: ValueSchema.optional() }),
  relatedLot: Id,
});

export const AwardCriterionNumberSchema = z.object({
  number: z.number(),
  weight: z.enum(['percentageExact', 'percentageRangeMiddle', 'decimalExact', 'decimalRangeMiddle', 'pointsExact', 'pointsRangeMiddle', 'order']).optional(),
  fixed: z.enum(['total', 'unit']).optional(),
  threshold: z.enum(['minimumScore', 'maximumBids']).optional(),
});

export const AwardCriterionSchema = z.object({
  type: z.enum(['price', 'cost', 'quality']),
  name: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
  numbers: z.array(AwardCriterionNumberSchema).min(1).optional(),
});

export const AwardCriteriaSchema = z.object({
  weightingDescription: z.string().optional(),
  orderJustification: z.string().optional(),
  criteria: z.array(AwardCriterionSchema),
});

export const LotSchema = z.object({
  id: Id,
  title: z.string().min(1),
  description: z.string().optional(),
  status: z.enum(['planning', 'planned', 'active', 'cancelled', 'unsuccessful', 'complete']).optional(),
  value: ValueSchema.optional(),
  minimumValue: ValueSchema.optional(),
  awardCriteria: AwardCriteriaSchema.optional(),
  hasOptions: z.boolean().optional(),
  options: z.object({ description: z.string().min(1) }).optional(),
});

export const PeriodSchema = z.object({
  startDate: DateTime.optional(),
  endDate: DateTime.optional(),
  durationInDays: z.number().int().positive().optional(),
});

/** The documentType codelist's values Cahier uses (OCDS 1.1, open codelist). */
export const DocumentTypeSchema = z.enum(['biddingDocuments', 'technicalSpecifications', 'evaluationCriteria', 'eligibilityCriteria', 'contractDraft', 'contractAnnexe', 'contractGuarantees', 'billOfQuantity']);

export const DocumentSchema = z.object({
  id: Id,
  documentType: DocumentTypeSchema,
  title: z.string().min(1),
  description: z.string().min(1),
  url: z.string().regex(/^ni:\/\/\/sha-256;[\w-]{43}\?ct=[\w.+-]+\/[\w.+-]+$/).optional(),
  datePublished: DateTime,
  format: z.string().min(1),
  language: z.literal('fr'),
  relatedLots: z.array(Id).min(1).optional(),
});

const RequirementValue = z.union([z.string(), z.number(), z.boolean()]);

export const RequirementSchema = z
  .object({
    id: Id,
    title: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
    dataType: z.enum(['string', 'date-time', 'number', 'integer', 'boolean']),
    expectedValue: RequirementValue.optional(),
    pattern: z.string().min(1).optional(),
    minValue: z.number().optional(),
    maxValue: z.number().optional(),
  })
  .superRefine((r, ctx) => {
    const numeric = r.dataType === 'number' || r.dataType === 'integer';
    if (r.minValue !== undefined || r.maxValue !== undefined) {
      if (!numeric) ctx.addIssue({ code: 'custom', message: 'minValue / maxValue need a numeric dataType' });
      if (r.expectedValue !== undefined) ctx.addIssue({ code: 'custom', message: 'expectedValue excludes minValue / maxValue' });
    }
    if (r.minValue !== undefined && r.maxValue !== undefined && r.minValue > r.maxValue) {
      ctx.addIssue({ code: 'custom', message: 'minValue exceeds maxValue' });
    }
    if (r.pattern !== undefined && r.dataType !== 'string') ctx.addIssue({ code: 'custom', message: 'a pattern needs the string dataType' });
    const values = r.expectedValue === undefined ? [] : [r.expectedValue];
    const expectedType = numeric ? 'number' : r.dataType === 'boolean' ? 'boolean' : 'string';
    for (const value of values) {
      if (typeof value !== expectedType) ctx.addIssue({ code: 'custom', message: `expected value ${JSON.stringify(value)} is not of dataType ${r.dataType}` });
    }
  });

export const RequirementGroupSchema = z.object({
  id: Id,
  description: z.string().optional(),
  requirements: z.array(RequirementSchema).min(1),
});

export const CriterionSchema = z.object({
  id: Id,
  title: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
  relatesToTenderer: z.boolean().optional(),
  relatedItem: Id.optional(),
  relatedLots: z.array(Id).min(1).optional(),
  requirementGroups: z.array(RequirementGroupSchema).min(1),
});

export const TenderSchema = z.object({
  id: Id,
  title: z.string().min(1),
  description: z.string().optional(),
  status: z.enum(['planning', 'planned', 'active', 'cancelled', 'unsuccessful', 'complete', 'withdrawn']),
  procuringEntity: OrganizationReferenceSchema,
  procurementMethod: z.enum(['open', 'selective', 'limited', 'direct']),
  procurementMethodDetails: z.string().min(1),
  mainProcurementCategory: z.enum(['goods', 'works', 'services']),
  additionalProcurementCategories: z.array(z.enum(['goods', 'works', 'services'])).optional(),
  value: ValueSchema.optional(),
  minValue: ValueSchema.optional(),
  awardCriteria: z.enum(['priceOnly', 'costOnly', 'qualityOnly', 'ratedCriteria']).optional(),
  awardCriteriaDetails: z.string().optional(),
  submissionMethod: z.array(z.enum(['electronicSubmission', 'electronicAuction', 'written', 'inPerson'])).optional(),
  tenderPeriod: PeriodSchema.optional(),
  contractPeriod: PeriodSchema.optional(),
  techniques: z.object({ hasFrameworkAgreement: z.boolean() }).optional(),
  hasOptions: z.boolean().optional(),
  options: z.object({ description: z.string().min(1) }).optional(),
  hasRenewal: z.boolean().optional(),
  renewal: z
    .object({ description: z.string().min(1).optional(), minimumRenewals: z.number().optional(), maximumRenewals: z.number().optional(), period: PeriodSchema.optional() })
    .optional(),
  documents: z.array(DocumentSchema),
  items: z.array(ItemSchema).min(1),
  lots: z.array(LotSchema).min(1),
  criteria: z.array(CriterionSchema),
});

export const ReleaseSchema = z.object({
  ocid: z.string().regex(/^ocds-[a-z0-9]{6}-/, 'ocid = registered prefix "ocds-xxxxxx-" + process id'),
  id: Id,
  date: DateTime,
  tag: z.array(z.enum(['planning', 'planningUpdate', 'tender', 'tenderAmendment', 'tenderUpdate', 'tenderCancellation'])).min(1),
  initiationType: z.literal('tender'),
  language: z.string().regex(/^[a-z]{2}$/),
  parties: z.array(OrganizationSchema).min(1),
  buyer: OrganizationReferenceSchema,
  tender: TenderSchema,
});

export const ReleasePackageSchema = z
  .object({
    uri: z.string().min(1),
    version: z.literal('1.1'),
    extensions: z.array(z.url()),
    publishedDate: DateTime,
    publisher: z.object({ name: z.string().min(1) }),
    releases: z.array(ReleaseSchema).length(1),
  })
  .superRefine((pkg, ctx) => {
    for (const [r, release] of pkg.releases.entries()) {
      const { tender } = release;
      const lots = new Set(tender.lots.map((l) => l.id));
      const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path: ['releases', r, ...path], message });
      if (!release.parties.some((p) => p.id === release.buyer.id)) issue(['buyer', 'id'], 'the buyer is not among the parties');
      unique(tender.lots.map((l) => l.id), (id) => issue(['tender', 'lots'], `duplicate lot id ${id}`));
      unique(tender.items.map((i) => i.id), (id) => issue(['tender', 'items'], `duplicate item id ${id}`));
      tender.items.forEach((item, i) => {
        if (!lots.has(item.relatedLot)) issue(['tender', 'items', i, 'relatedLot'], `unknown lot ${item.relatedLot}`);
      });
      unique(tender.criteria.map((c) => c.id), (id) => issue(['tender', 'criteria'], `duplicate criterion id ${id}`));
      const groups = tender.criteria.flatMap((c) => c.requirementGroups);
      unique(groups.map((g) => g.id), (id) => issue(['tender', 'criteria'], `duplicate requirement group id ${id}`));
      unique(groups.flatMap((g) => g.requirements.map((q) => q.id)), (id) => issue(['tender', 'criteria'], `duplicate requirement id ${id}`));
      tender.criteria.forEach((criterion, c) => {
        for (const lot of criterion.relatedLots ?? []) if (!lots.has(lot)) issue(['tender', 'criteria', c, 'relatedLots'], `unknown lot ${lot}`);
      });
      unique(tender.documents.map((d) => d.id), (id) => issue(['tender', 'documents'], `duplicate document id ${id}`));
      tender.documents.forEach((document, d) => {
        for (const lot of document.relatedLots ?? []) if (!lots.has(lot)) issue(['tender', 'documents', d, 'relatedLots'], `unknown lot ${lot}`);
      });
      tender.lots.forEach((lot, l) => {
        const numbers = lot.awardCriteria?.criteria.flatMap((c) => c.numbers ?? []).filter((n) => n.weight === 'percentageExact') ?? [];
        const sum = numbers.reduce((n, x) => n + x.number, 0);
        if (numbers.length > 0 && Math.abs(sum - 100) > 1e-9) issue(['tender', 'lots', l, 'awardCriteria'], `weights total ${sum}, not 100`);
      });
    }
  });

function unique(ids: string[], duplicate: (id: string) => void): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) duplicate(id);
    seen.add(id);
  }
}

export type OcdsReleasePackage = z.infer<typeof ReleasePackageSchema>;
export type OcdsRelease = z.infer<typeof ReleaseSchema>;
export type OcdsCriterion = z.infer<typeof CriterionSchema>;
export type OcdsRequirement = z.infer<typeof RequirementSchema>;
export type OcdsDocument = z.infer<typeof DocumentSchema>;
export type OcdsDocumentType = z.infer<typeof DocumentTypeSchema>;
