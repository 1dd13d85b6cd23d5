import type { BidReader } from '#src/app/ports/bid-reader.ts';
import { bidTemplates, readBid } from './read-bid.ts';

/** The BidReader of the workbooks Cahier generates: templates rendered once per call, each bid read against them. */
export const workbookBidReader: BidReader = {
  async read(tender, bids, published) {
    const templates = await bidTemplates(tender, published);
    return bids.map((files) => readBid(tender, templates, files));
  },
};
