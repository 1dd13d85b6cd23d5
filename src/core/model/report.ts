import * as z from 'zod';
import { FindingSchema, type Finding } from './findings.ts';

export const ConformitySchema = z.object({
  framework: z.string().describe('The framework as cited'),
  conforming: z.boolean().describe('Every reference minimum a funder checks is kept (« conforme au référentiel »); says nothing about money'),
  reasons: z.array(
    z.object({
      lot: z.number().int(),
      criterionId: z.string(),
      label: z.string(),
      status: z.enum(['kept', 'tightened', 'loosened', 'downgraded', 'excluded']),
      message: z.string(),
    }),
  ),
});

/** The co-funding estimate (src/core/funding/estimate.ts): for the buyer only, every step shown. */
export const FundingEstimateSchema = z.object({
  date: z.iso.date().describe('The consultation date the programmes are judged on'),
  buyerType: z.string(),
  schoolLevels: z.array(z.string()),
  programmes: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(['open', 'open-unconfirmed', 'closed', 'not-yet-open', 'not-for-buyer']),
      reason: z.string(),
      sources: z.array(z.string()),
    }),
  ),
  estimates: z.array(
    z.object({
      programme: z.string(),
      name: z.string(),
      projectSpend: z.number().describe('Euros excl. VAT of the priced eligible lines over every lot'),
      rate: z.number(),
      rateExplanation: z.string(),
      lines: z.array(
        z.object({
          lot: z.number().int(),
          category: z.string(),
          categoryLabel: z.string(),
          devices: z.number().int(),
          eligibleCost: z.number(),
          subsidy: z.number(),
          priced: z.boolean(),
          steps: z.array(z.string()),
        }),
      ),
      total: z.number(),
      caveats: z.array(z.string()),
    }),
  ).describe('One per programme open to this buyer on that date; empty when none is'),
  statement: z.string().describe('The plain answer, French'),
});

/** Which rule data a verdict was computed with: the law records' fingerprint and the records in force on the consultation date. */
export const RulesVersionSchema = z.object({
  lawVersion: z.string().describe('Fingerprint of every law record (src/core/law)'),
  fundingVersion: z.string().describe('Fingerprint of every funding programme record (src/core/funding)'),
  date: z.iso.date().describe('The consultation date the records were read for'),
  records: z.array(z.object({ id: z.string(), from: z.iso.date(), until: z.iso.date().nullable() })).describe('Law records in force on that date'),
});
export type RulesVersion = z.infer<typeof RulesVersionSchema>;

/** What a generation reports next to its documents (report.json, API response). */
export const GenerationReportSchema = z.object({
  title: z.string(),
  buyer: z.object({ name: z.string(), type: z.string() }),
  consultationDate: z.iso.date(),
  framework: z.object({ id: z.string(), version: z.number().int(), reference: z.string() }),
  conformity: ConformitySchema.optional().describe('Conformity to the framework; absent in reports made before it was told apart from the funding estimate'),
  funding: FundingEstimateSchema.optional().describe('Buyer-internal co-funding estimate; absent in reports made before funding programmes were data'),
  rules: RulesVersionSchema.optional().describe('The rule data the findings were computed with; absent in older reports'),
  findings: z.array(FindingSchema),
  criteria: z.array(z.object({ id: z.string(), version: z.number().int() })).describe('Reference criterion versions used'),
  lots: z.array(
    z.object({
      number: z.number().int(),
      title: z.string(),
      lines: z.array(z.object({ itemId: z.string(), quantity: z.number().int() })),
      requirements: z.number().int(),
    }),
  ),
  documents: z.array(
    z.object({ name: z.string(), mediaType: z.string(), bytes: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 over the documents, in name order'),
});
export type GenerationReport = z.infer<typeof GenerationReportSchema>;

/** A stored tender's findings under the rules in force today, compared with those stored with it. */
export interface TenderRecheck {
  /** The rule data of today's evaluation. */
  rules: RulesVersion;
  /** The rule data the stored report names; absent for reports made before they named it. */
  storedRules?: RulesVersion;
  /** False when today's findings are those stored (same codes, severities, lots, paths and values compared). */
  changed: boolean;
  /** Today's findings that the stored report does not have. */
  added: Finding[];
  /** Stored findings that today's rules no longer raise. */
  removed: Finding[];
  /** Today, an error finding would stop generation. */
  blocking: boolean;
}
