import * as z from 'zod';
import { FindingSchema } from './findings.ts';

/** What a generation reports next to its documents (report.json, API response). */
export const GenerationReportSchema = z.object({
  title: z.string(),
  buyer: z.object({ name: z.string(), type: z.string() }),
  consultationDate: z.iso.date(),
  framework: z.object({ id: z.string(), version: z.number().int(), reference: z.string() }),
  eligibility: z.object({
    programme: z.string(),
    eligible: z.boolean(),
    rate: z.number(),
    capPerDevice: z.number(),
    totalSubsidy: z.number().describe('Euros; 0 when the selection is not eligible'),
    lots: z.array(
      z.object({ lot: z.number().int(), devices: z.number().int(), eligibleCost: z.number(), subsidy: z.number(), priced: z.boolean() }),
    ),
    reasons: z.array(
      z.object({
        lot: z.number().int(),
        criterionId: z.string(),
        label: z.string(),
        status: z.enum(['kept', 'tightened', 'loosened', 'downgraded', 'excluded']),
        message: z.string(),
      }),
    ),
  }),
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
