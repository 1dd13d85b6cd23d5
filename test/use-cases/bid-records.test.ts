/**
 * The bid records (bids/<id>/bid.json): written once, by a conditional write, so that two uploads
 * of the same bid id at once record one bid; and holding the lots the bid answers, so that
 * putMarks checks the buyer's decisions against the offers received without reading a bid file
 * again, except the files of a bid stored before (without its lots).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ANALYSIS_RENDERERS } from '#src/adapters/offers/analysis-renderers.ts';
import { AlreadyExistsError, StaleContentError } from '#src/app/errors.ts';
import { generateTender } from '#src/app/generate-tender.ts';
import { getMarks, listBids, putMarks, uploadBid, type OfferDeps } from '#src/app/offers.ts';
import type { Bid, BidFiles } from '#src/core/offers/bid.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { SIRETS } from '../offers/support/bids.ts';
import { recordingKeys } from '../support/recorded-calls.ts';
import { example, fakeWorld, type World } from './world.ts';

const OWNER = 'buyer-1';
const REASON = 'Offre inappropriée : aucun des matériels proposés ne répond au besoin exprimé au CCTP.';

let world: World;
let deps: OfferDeps;
let tenderId: string;
/** The bidders each call of the bid reader was given. */
let read: string[][];
/** The keys of every object read back from the store. */
let gets: string[];

const files = (id: string, siret: string): BidFiles => ({
  bidder: { id, name: `Société ${id}`, siret },
  matrix: { name: `${id}-cadre.xlsx`, bytes: new TextEncoder().encode(`matrix of ${id}`) },
  prices: { name: `${id}-prix.xlsx`, bytes: new TextEncoder().encode(`prices of ${id}`) },
});

const decision = (bid: string) => ({ marks: [], eliminations: [{ lot: 1, bid, category: 'inappropriate', reason: REASON }] });

beforeEach(async () => {
  world = await fakeWorld();
  read = [];
  const recorded = recordingKeys(world.documents, 'get');
  gets = recorded.keys;
  deps = {
    ...world,
    documents: recorded.documents,
    // Every bid answers lot 1.
    bids: { read: async (_tender, bids) => (read.push(bids.map((b) => b.bidder.id)), bids.map((b) => ({ bidder: b.bidder, files: [], lots: [{ lot: 1, answers: [], prices: [] }] }) as unknown as Bid)) },
    renderers: ANALYSIS_RENDERERS,
  };
  tenderId = (await generateTender({ request: example('commune'), owner: OWNER, formats: ['json'] }, world)).record.id;
  await uploadBid(tenderId, OWNER, files('acme', SIRETS[0]), deps);
  await uploadBid(tenderId, OWNER, files('zeta', SIRETS[1]), deps);
  read = [];
  gets.length = 0;
});

describe('putMarks', () => {
  it('checks a decision against the lots recorded with each bid, reading no bid file', async () => {
    expect((await listBids(tenderId, OWNER, world)).map((b) => [b.bidder.id, b.lots])).toEqual([['acme', [1]], ['zeta', [1]]]);
    gets.length = 0;

    await putMarks(tenderId, OWNER, decision('acme'), deps);
    const refused = await putMarks(tenderId, OWNER, decision('nobody'), deps, { kind: 'match', tags: [] }).catch((error: unknown) => error);

    expect(read).toEqual([]);
    expect(gets.filter((key) => key.endsWith('.xlsx'))).toEqual([]);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((i) => i.path)).toEqual(['eliminations.0']);
  });

  it('reads the files of a bid stored before its lots were recorded, and of that bid only', async () => {
    const key = `tenders/${tenderId}/bids/acme/bid.json`;
    const { lots: _lots, ...older } = JSON.parse(new TextDecoder().decode(await world.documents.get(key)));
    await world.documents.put(key, new TextEncoder().encode(JSON.stringify(older)), 'application/json');
    gets.length = 0;

    await putMarks(tenderId, OWNER, decision('acme'), deps);

    expect(read).toEqual([['acme']]);
    expect(gets.filter((k) => k.endsWith('.xlsx')).map((k) => k.split('/').slice(-2).join('/').replace(/-[0-9a-f]{64}/, ''))).toEqual(['acme/matrix.xlsx', 'acme/prices.xlsx']);
  });
});

describe('putMarks at once', () => {
  it('records one of two saves carrying the ETag both read, and refuses the other as stale, writing nothing', async () => {
    await putMarks(tenderId, OWNER, { marks: [] }, deps);
    const read = await getMarks(tenderId, OWNER, deps);

    const outcomes = await Promise.allSettled(['acme', 'zeta'].map((bid) => putMarks(tenderId, OWNER, decision(bid), deps, { kind: 'match', tags: [read.sha256] })));

    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!.reason;
    expect(refused).toBeInstanceOf(StaleContentError);
    expect((refused as StaleContentError).required).toBe(false);
    const recorded = outcomes.find((o) => o.status === 'fulfilled')!.value;
    expect(await getMarks(tenderId, OWNER, deps)).toEqual(recorded);
  });

  it('records one of two first recordings: the other is refused as over recorded marks (428 without a condition, 412 with If-None-Match: *)', async () => {
    for (const kind of ['none', 'create'] as const) {
      const other = (await generateTender({ request: example('commune'), owner: OWNER, formats: ['json'] }, world)).record.id;

      const outcomes = await Promise.allSettled([putMarks(other, OWNER, { marks: [] }, deps, { kind }), putMarks(other, OWNER, { marks: [] }, deps, { kind })]);

      expect(outcomes.map((o) => o.status).sort(), kind).toEqual(['fulfilled', 'rejected']);
      const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!.reason as StaleContentError;
      expect(refused, kind).toBeInstanceOf(StaleContentError);
      expect(refused.required, kind).toBe(kind === 'none');
    }
  });
});

describe('uploadBid', () => {
  it('records one bid of two uploads of the same id at once, and refuses the other', async () => {
    const first = files('omega', SIRETS[2]);
    const second = { ...files('omega', SIRETS[3]), bidder: { id: 'omega', name: 'Autre société', siret: SIRETS[3] } };

    const outcomes = await Promise.allSettled([uploadBid(tenderId, OWNER, first, deps), uploadBid(tenderId, OWNER, second, deps)]);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(refused.reason).toBeInstanceOf(AlreadyExistsError);
    const recorded = outcomes.find((o) => o.status === 'fulfilled')!.value;
    expect((await listBids(tenderId, OWNER, world)).find((b) => b.bidder.id === 'omega')).toEqual(recorded);
  });
});
