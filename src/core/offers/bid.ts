/**
 * A bid as the analysis reads it: who sent it, and for each lot it answers, the answers of the
 * compliance matrix by requirement reference (L1-TAB-03) and the prices of the price schedule by
 * line, with the cells they come from, so every finding names the cell the buyer can open.
 */
import * as z from 'zod';
import type { Alteration } from './cells.ts';

export const BidIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected 1 to 40 lower-case letters, digits or "-", e.g. "acme"');

/** SIRET: 14 digits whose Luhn sum is a multiple of 10 (La Poste's establishments excepted by INSEE, not by this check). */
export const SiretSchema = z
  .string()
  .regex(/^\d{14}$/, 'expected a SIRET of 14 digits')
  .refine((s) => luhn(s) || s.startsWith('356000000'), { message: 'not a valid SIRET (check digit)' });

export const BidderSchema = z.object({
  id: BidIdSchema.describe('Short id of the bid, used by the marks'),
  name: z.string().trim().min(1).max(200).describe('Company name as on the bid'),
  siret: SiretSchema,
});
export type Bidder = z.infer<typeof BidderSchema>;

/** A file a bidder returned, as received. */
export interface BidFile {
  name: string;
  bytes: Uint8Array;
}

/** What a bid is made of: the bidder, its filled compliance matrix and its filled price schedule. */
export interface BidFiles {
  bidder: Bidder;
  matrix: BidFile;
  prices: BidFile;
}

export type Conformity = 'yes' | 'no';

export interface RequirementAnswer {
  reference: string;
  /** Oui/Non as answered; undefined when the cell is empty or holds something else (`conformText`). */
  conform?: Conformity;
  conformText?: string;
  value?: string;
  proof?: string;
  /** « Lot 1!F7 »: the conformity cell of the row. */
  cell: string;
}

export interface PriceLine {
  /** « 1.3 », as numbered in the schedule. */
  number: string;
  designation: string;
  quantity: number;
  /** The unit price excl. VAT as written; undefined when empty. */
  unitPrice?: number;
  /** The cell text when it is not a number. */
  unreadable?: string;
  /** The line amount the bidder's file states (the cached result of its formula), if any. */
  declaredAmount?: number;
  /** « BPU lot 1!D5 »: the price cell. */
  cell: string;
  amountCell: string;
}

/** A total row of the price schedule (VAT at a rate, total incl. VAT) as the bidder's file states it. */
export interface DeclaredTotal {
  /** « TVA 20 % », « Total TTC », as the schedule labels the row. */
  label: string;
  /** VAT rate in percent, for a VAT row. */
  rate?: number;
  amount: number;
  /** « DQE lot 1!F12 » */
  cell: string;
}

export interface LotBid {
  lot: number;
  answers: RequirementAnswer[];
  prices: PriceLine[];
  /** The total excl. VAT the bidder's file states, if any. */
  declaredTotal?: number;
  /** The VAT rows the bidder's file states (one per rate, percent, as the schedule lists them), each with its cell; those holding a number. */
  declaredVat?: DeclaredTotal[];
  /** The total incl. VAT the bidder's file states, if any. */
  declaredTotalInclVat?: DeclaredTotal;
  /** Cells of the buyer's template the bidder's files do not hold as generated. */
  alterations: Alteration[];
}

export interface Bid {
  bidder: Bidder;
  /** SHA-256 of each file received, as stored. */
  files: Array<{ name: string; sha256: string; bytes: number }>;
  /** The lots the bid answers (a lot whose answers and prices are all empty is not bid for). */
  lots: LotBid[];
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
