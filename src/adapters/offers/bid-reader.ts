import type { BidReader } from '#src/app/ports/bid-reader.ts';
import { bidTemplates, readBid } from './read-bid.ts';

/** The BidReader of the workbooks Cahier generates: templates rendered once per call, each bid read against them. */
export const workbookBidReader: BidReader = {
  async read(tender, bids, tenderId) {
    const templates = await bidTemplates(tender, tenderId);
    return bids.map((files) => readBid(tender, templates, files));
  },
};
