/**
 * A bid as the store keeps it, and its withdrawal: the schemas the offer use cases read and write
 * and the OpenAPI document publishes. Apart from src/app/offers.ts so that the schemas come without
 * the use cases (the openapi function would otherwise bundle the document renderers, markdown-it
 * and the law records through them).
 */
import * as z from 'zod';
import { ChangeReasonSchema } from '#src/core/audit/audit-entry.ts';
import { BidderSchema } from '#src/core/offers/bid.ts';

export const StoredBidSchema = z.object({
  bidder: BidderSchema,
  receivedAt: z.iso.datetime(),
  uploadedBy: z.string(),
  files: z.array(z.object({ role: z.enum(['matrix', 'prices']), name: z.string(), key: z.string(), bytes: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  lots: z
    .array(z.number().int().positive())
    .optional()
    .describe('The lots the bid answers, as its files were read at upload (so that checking a decision on an offer reads no file); absent on bids stored before'),
});
export type StoredBid = z.infer<typeof StoredBidSchema>;

/** Why, when and by whom a bid was withdrawn: stored once beside the bid, never replaced. */
export const BidWithdrawalSchema = z.object({
  withdrawnAt: z.iso.datetime(),
  withdrawnBy: z.string(),
  reason: ChangeReasonSchema.describe('Why the bid was withdrawn, e.g. « offre remise hors délai », « pli déposé par erreur »'),
});
export type BidWithdrawal = z.infer<typeof BidWithdrawalSchema>;

/** A bid as listed: withdrawn bids are listed too, with their withdrawal. */
export type ListedBid = StoredBid & { withdrawal?: BidWithdrawal };
