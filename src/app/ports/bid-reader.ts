import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { Bid, BidFiles } from '#src/core/offers/bid.ts';

/**
 * The stored tender whose bids are read: its id, which the workbooks Cahier generates for it carry,
 * and the SHA-256 of the compliance matrix and price schedule it stored, when it stored them. A
 * stored file that differs from the regenerated template was published before the workbooks
 * carried their identity: a bid returned in it is read without one (a wrong identity is still refused).
 */
export interface PublishedTender {
  tenderId: string;
  sha256?: { matrix?: string; prices?: string };
}

/**
 * Reads the files a bidder returned against the tender's own templates (the workbook adapter in
 * src/adapters/offers/). Throws BidFileError for a file it refuses (size, macros, links, formulas
 * where a value is expected, another tender's file), with the cell and the reason. `published` is
 * absent for a tender read from its request alone, as the CLI does.
 */
export interface BidReader {
  read(tender: ResolvedTender, bids: readonly BidFiles[], published?: PublishedTender): Promise<Bid[]>;
}
