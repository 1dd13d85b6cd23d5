/** Bodies and views of the offer routes (bids, marks, analysis). */
import * as z from 'zod';
import { BidWithdrawalSchema, StoredBidSchema, type ListedBid } from '#src/app/stored-bid.ts';
import { ChangeReasonSchema } from '#src/core/audit/audit-entry.ts';
import { BidderSchema } from '#src/core/offers/bid.ts';

const Base64File = z.object({
  name: z.string().trim().min(1).max(200).regex(/^[^/\\\u0000-\u001f]+$/, 'a file name without path or control characters').describe('The file name as the bidder sent it'),
  content: z.string().min(1).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64').describe('The file, base64-encoded'),
});

export const BidUploadSchema = z
  .object({
    bidder: BidderSchema,
    matrix: Base64File.describe('The filled compliance matrix (cadre-de-reponse.xlsx)'),
    prices: Base64File.describe('The filled price schedule (bordereau-des-prix.xlsx)'),
  })
  .describe('One bid: the bidder and the two workbooks it returned');

export const StoredBidViewSchema = StoredBidSchema.extend({
  files: z.array(StoredBidSchema.shape.files.element.omit({ key: true })),
  withdrawal: BidWithdrawalSchema.optional().describe('Present when the bid was withdrawn: it is kept with its files, and neither the conformity check nor the analysis reads it'),
});

/** The reason of a withdrawal travels in the query (a DELETE body has no defined meaning in HTTP, and some clients drop it). */
export const BidWithdrawalQuerySchema = z.strictObject({
  reason: ChangeReasonSchema.describe('Why the bid is withdrawn, required (e.g. « offre remise hors délai », « pli déposé par erreur »); kept with the bid and in its audit entry'),
});
export const BidListSchema = z.object({ items: z.array(StoredBidViewSchema) });

export const MarksAcceptedSchema = z.object({ marks: z.number().int().describe('Marks recorded'), award: z.boolean().describe('Whether award details were given'), letters: z.boolean().describe('Whether the sending date of the letters to the bidders not retained was given') });

export const AnalysisResultSchema = z.object({
  summary: z.record(z.string(), z.unknown()).describe('Every offer’s status, issues, amount, score and rank per lot (analyse.json)'),
  documents: z.array(
    z.object({ name: z.string(), mediaType: z.string(), sha256: z.string(), url: z.string().describe('Presigned download URL'), expiresAt: z.iso.datetime() }),
  ),
});

const GradedCriterionSchema = z.object({
  criterion: z.number().int().describe('Number of the criterion as the RC lists it'),
  subCriterion: z.number().int().optional().describe('Number of the sub-criterion within it'),
  number: z.string().describe('« 2 », « 2.1 »'),
  name: z.string(),
  points: z.number().describe('Points of the criterion or sub-criterion out of 100'),
});

export const ConformityResultSchema = z
  .object({
    grades: z.array(z.object({ grade: z.string().describe('The value a mark gives in `grade`'), label: z.string().describe('As the RC prints it'), share: z.number().describe('Share of the points it gives') })),
    lots: z.array(
      z.object({
        lot: z.number().int(),
        title: z.string(),
        offers: z.array(
          z.object({
            bid: z.string(),
            name: z.string(),
            status: z
              .enum(['conforming', 'regularisable', 'irregular', 'unacceptable', 'inappropriate'])
              .describe('Only conforming offers are marked and ranked; regularisable ones may be completed under R2152-2; unacceptable (L2152-3) and inappropriate (L2152-4) ones follow the buyer’s budgets and eliminations'),
            amount: z.number().describe('Amount examined excl. VAT (quantity × unit price, the unit price prevailing)'),
            issues: z.array(z.object({ kind: z.string(), cell: z.string(), reference: z.string().optional(), reason: z.string().describe('In French'), regularisable: z.boolean() })),
            rectified: z.array(z.object({ number: z.string(), cell: z.string(), declared: z.number(), rectified: z.number() })),
            rectifiedTotals: z
              .array(z.object({ label: z.string().describe('« TVA 20 % », « Total TTC »'), cell: z.string(), declared: z.number(), rectified: z.number() }))
              .optional()
              .describe('VAT rows and total incl. VAT stated wrongly, rectified from the unit prices; absent when they agree'),
            declaredTotal: z.number().nullable().describe('The total the bidder stated, when it differs from the amount examined'),
          }),
        ),
        gradedCriteria: z.array(GradedCriterionSchema).describe('The criteria of the lot the buyer grades (price criteria are computed)'),
      }),
    ),
    marksNeeded: z.array(GradedCriterionSchema.extend({ lot: z.number().int(), bid: z.string() })).describe('One mark per graded criterion and conforming offer: what PUT /tenders/{id}/marks must hold'),
  })
  .describe('The offers’ conformity before marking');

export function storedBidView(bid: ListedBid): z.infer<typeof StoredBidViewSchema> {
  return { ...bid, files: bid.files.map(({ key: _key, ...rest }) => rest) };
}
