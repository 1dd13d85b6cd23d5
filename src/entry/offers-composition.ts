import type { OfferDeps } from '#src/app/offers.ts';
import { ANALYSIS_RENDERERS } from '#src/adapters/offers/analysis-renderers.ts';
import { workbookBidReader } from '#src/adapters/offers/bid-reader.ts';
import type { Composition } from './composition.ts';
import type { Pipeline } from './pipeline.ts';

/** What the offer use cases need: the stores and the pipeline of the composition, the workbook reader and the analysis renderers. */
export function offerDeps(c: Composition, pipeline: Pipeline): OfferDeps {
  return { ...c, ...pipeline, bids: workbookBidReader, renderers: ANALYSIS_RENDERERS };
}
