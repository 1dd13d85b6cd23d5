/** Bodies and views of the offer routes (bids, marks, analysis). */
import * as z from 'zod';
import { StoredBidSchema } from '#src/app/offers.ts';
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

export const StoredBidViewSchema = StoredBidSchema.extend({ files: z.array(StoredBidSchema.shape.files.element.omit({ key: true })) });
export const BidListSchema = z.object({ items: z.array(StoredBidViewSchema) });

export const MarksAcceptedSchema = z.object({ marks: z.number().int().describe('Marks recorded'), award: z.boolean().describe('Whether award details were given'), letters: z.boolean().describe('Whether the sending date of the letters to the bidders not retained was given') });

export const AnalysisResultSchema = z.object({
  summary: z.record(z.string(), z.unknown()).describe('Every offer’s status, issues, amount, score and rank per lot (analyse.json)'),
  documents: z.array(
    z.object({ name: z.string(), mediaType: z.string(), sha256: z.string(), url: z.string().describe('Presigned download URL'), expiresAt: z.iso.datetime() }),
  ),
});

export function storedBidView(bid: z.infer<typeof StoredBidSchema>): z.infer<typeof StoredBidViewSchema> {
  return { ...bid, files: bid.files.map(({ key: _key, ...rest }) => rest) };
}
