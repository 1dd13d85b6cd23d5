import { analyseStoredOffers, checkStoredOffers, getMarks, listBids, ownTender, putMarks, uploadBid, withdrawBid, type OfferDeps } from '#src/app/offers.ts';
import { issuesFromZod, ValidationError } from '#src/core/model/errors.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { callerOf, conditionalTags, jsonBody, parseQuery } from '#src/adapters/http/request.ts';
import { BidUploadSchema, BidWithdrawalQuerySchema, storedBidView } from '#src/adapters/http/offer-schemas.ts';

/** The offers of a tender, for the buyer who owns it: bid uploads, the marks, the analysis. */
export function offerOperations(deps: OfferDeps): Operations {
  return {
    async uploadBid(request) {
      // The owner first: a stranger learns nothing about the tender, not even what its bids look like.
      await ownTender(request.params.id ?? '', callerOf(request).subject, deps);
      const parsed = BidUploadSchema.safeParse(jsonBody(request));
      if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
      const { bidder, matrix, prices } = parsed.data;
      const file = (f: { name: string; content: string }) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.content, 'base64')) });
      const stored = await uploadBid(request.params.id ?? '', callerOf(request).subject, { bidder, matrix: file(matrix), prices: file(prices) }, deps);
      return { status: 201, headers: { location: `/tenders/${request.params.id}/bids` }, body: storedBidView(stored) };
    },

    async listBids(request) {
      const bids = await listBids(request.params.id ?? '', callerOf(request).subject, deps);
      return { status: 200, body: { items: bids.map(storedBidView) } };
    },

    async withdrawBid(request) {
      // The owner first (a stranger gets 404 whatever the query), then the reason, then the bid.
      await ownTender(request.params.id ?? '', callerOf(request).subject, deps);
      const { reason } = parseQuery(request, BidWithdrawalQuerySchema);
      const withdrawn = await withdrawBid(request.params.id ?? '', callerOf(request).subject, request.params.bidId ?? '', reason, deps);
      return { status: 200, body: storedBidView(withdrawn) };
    },

    async checkOffers(request) {
      return { status: 200, body: await checkStoredOffers(request.params.id ?? '', callerOf(request).subject, deps) };
    },

    async putMarks(request) {
      // The ETag of the marks is the SHA-256 of their stored bytes; a weak or foreign tag matches nothing (412).
      const condition = conditionalTags(request);
      const expected = condition.kind === 'match' ? { kind: condition.kind, tags: condition.tags.map((t) => /^"([0-9a-f]{64})"$/.exec(t)?.[1] ?? '') } : condition;
      const { input, sha256 } = await putMarks(request.params.id ?? '', callerOf(request).subject, jsonBody(request), deps, expected);
      return { status: 200, headers: { etag: `"${sha256}"` }, body: { marks: input.marks.length, award: input.award !== undefined, letters: input.letters !== undefined } };
    },

    async getMarks(request) {
      const { input, sha256 } = await getMarks(request.params.id ?? '', callerOf(request).subject, deps);
      return { status: 200, headers: { etag: `"${sha256}"` }, body: input };
    },

    async analyseOffers(request) {
      const result = await analyseStoredOffers(request.params.id ?? '', callerOf(request).subject, deps);
      return { status: 200, body: result };
    },
  };
}
