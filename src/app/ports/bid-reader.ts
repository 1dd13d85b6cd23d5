import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { Bid, BidFiles } from '#src/core/offers/bid.ts';

/**
 * Reads the files a bidder returned against the tender's own templates (the workbook adapter in
 * src/adapters/offers/). Throws BidFileError for a file it refuses (size, macros, links, formulas
 * where a value is expected, another tender's file), with the cell and the reason. `tenderId` is
 * the stored tender's, which the workbooks Cahier generated for it carry (absent for a tender
 * read from its request alone, as the CLI does).
 */
export interface BidReader {
  read(tender: ResolvedTender, bids: readonly BidFiles[], tenderId?: string): Promise<Bid[]>;
}
