/**
 * withdrawBid on fakes: a withdrawn bid keeps its files, is listed as withdrawn, is no longer read
 * by the conformity check, and leaves one audit entry (who, when, why, bidder, files' hashes);
 * refusals write nothing; the entry is the commit point, and a crash after it is repaired by a retry.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ANALYSIS_RENDERERS } from '#src/adapters/offers/analysis-renderers.ts';
import { AlreadyExistsError } from '#src/app/errors.ts';
import { generateTender } from '#src/app/generate-tender.ts';
import { checkStoredOffers, listBids, uploadBid, withdrawBid, type OfferDeps } from '#src/app/offers.ts';
import type { BidFiles } from '#src/core/offers/bid.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { SIRETS } from '../offers/support/bids.ts';
import { example, fakeWorld, storedObjects, type World } from './world.ts';

const OWNER = 'buyer-1';
const LATE = 'Offre remise hors délai (pli reçu le 5 décembre à 12 h 10, date limite 12 h 00)';

let world: World;
let deps: OfferDeps;
let tenderId: string;
/** The bidders each call of the bid reader was given: what the conformity check reads. */
let read: string[][];

const files = (id: string, siret: string): BidFiles => ({
  bidder: { id, name: `Société ${id}`, siret },
  matrix: { name: `${id}-cadre.xlsx`, bytes: new TextEncoder().encode(`matrix of ${id}`) },
  prices: { name: `${id}-prix.xlsx`, bytes: new TextEncoder().encode(`prices of ${id}`) },
});
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeEach(async () => {
  world = await fakeWorld();
  read = [];
  deps = {
    ...world,
    bids: { read: async (_tender, bids) => (read.push(bids.map((b) => b.bidder.id)), []) },
    renderers: ANALYSIS_RENDERERS,
  };
  tenderId = (await generateTender({ request: example('commune'), owner: OWNER, formats: ['json'] }, world)).record.id;
  await uploadBid(tenderId, OWNER, files('acme', SIRETS[0]), deps);
  await uploadBid(tenderId, OWNER, files('zeta', SIRETS[1]), deps);
  read = [];
});

describe('withdrawBid', () => {
  it('marks the bid withdrawn, keeps its files, drops it from what the analysis reads, and appends one audit entry', async () => {
    world.clock.set(new Date('2026-05-05T14:30:00.000Z'));
    const withdrawn = await withdrawBid(tenderId, OWNER, 'acme', LATE, deps);

    expect(withdrawn.withdrawal).toEqual({ withdrawnAt: '2026-05-05T14:30:00.000Z', withdrawnBy: OWNER, reason: LATE });
    const listed = await listBids(tenderId, OWNER, deps);
    expect(listed.map((b) => [b.bidder.id, b.withdrawal?.reason])).toEqual([['acme', LATE], ['zeta', undefined]]);
    const kept = (await storedObjects(world, `tenders/${tenderId}/bids/acme/`)).map((o) => o.key.split('/').pop());
    expect(kept).toEqual(expect.arrayContaining([`matrix-${sha256('matrix of acme')}.xlsx`, `prices-${sha256('prices of acme')}.xlsx`, 'bid.json', 'withdrawal.json']));

    await checkStoredOffers(tenderId, OWNER, deps);
    expect(read).toEqual([['zeta']]);

    expect(await world.audit.history('bid', `${tenderId}/acme`)).toEqual([
      {
        target: { kind: 'bid', id: `${tenderId}/acme`, version: 1 },
        actor: OWNER,
        at: '2026-05-05T14:30:00.000Z',
        reason: LATE,
        changes: [
          { field: 'status', before: 'received', after: 'withdrawn' },
          { field: 'bidder.id', before: 'acme' },
          { field: 'bidder.name', before: 'Société acme' },
          { field: 'bidder.siret', before: SIRETS[0] },
          { field: 'receivedAt', before: '2026-05-04T09:00:00.000Z' },
          { field: 'files.matrix', before: `acme-cadre.xlsx sha256:${sha256('matrix of acme')}` },
          { field: 'files.prices', before: `acme-prix.xlsx sha256:${sha256('prices of acme')}` },
        ],
      },
    ]);
    // The buyer's act stays out of the editors' trail, which any reader may list.
    expect(await world.audit.recent(100)).toEqual([]);
    // A corrected bid comes under a new id: the withdrawn one is never replaced.
    await expect(uploadBid(tenderId, OWNER, files('acme', SIRETS[0]), deps)).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('refuses a missing or blank reason on `reason`, an unknown bid, and another buyer, writing nothing', async () => {
    const before = await storedObjects(world);
    for (const reason of [undefined, '', '  ', 'x']) {
      const error = await withdrawBid(tenderId, OWNER, 'acme', reason, deps).catch((e: unknown) => e);
      expect(error, String(reason)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['reason']);
    }
    await expect(withdrawBid(tenderId, OWNER, 'nobody', LATE, deps)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawBid(tenderId, OWNER, '../../x', LATE, deps)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawBid(tenderId, 'buyer-2', 'acme', LATE, deps)).rejects.toBeInstanceOf(NotFoundError);
    expect(await storedObjects(world)).toEqual(before);
    expect(await world.audit.history('bid', `${tenderId}/acme`)).toEqual([]);
  });

  it('an audit store that fails withdraws nothing: the entry is the commit point', async () => {
    world.audit.append = async () => {
      throw new Error('connection reset');
    };
    await expect(withdrawBid(tenderId, OWNER, 'acme', LATE, deps)).rejects.toThrow('connection reset');
    expect((await listBids(tenderId, OWNER, deps))[0]!.withdrawal).toBeUndefined();
  });

  it('after a crash between the entry and the withdrawal beside the bid, a retry writes it from the entry (first reason); later calls answer the same', async () => {
    const put = world.documents.put.bind(world.documents);
    world.documents.put = async (key, content, type) => {
      if (key.endsWith('/withdrawal.json')) throw new Error('connection reset');
      return put(key, content, type);
    };
    await expect(withdrawBid(tenderId, OWNER, 'acme', LATE, deps)).rejects.toThrow('connection reset');
    expect((await listBids(tenderId, OWNER, deps))[0]!.withdrawal).toBeUndefined();
    expect((await world.audit.history('bid', `${tenderId}/acme`)).map((e) => e.reason)).toEqual([LATE]);

    world.documents.put = put;
    world.clock.set(new Date('2026-05-06T08:00:00.000Z'));
    const retried = await withdrawBid(tenderId, OWNER, 'acme', 'Pli déposé par erreur', deps);
    const again = await withdrawBid(tenderId, OWNER, 'acme', 'Pli déposé par erreur', deps);

    expect(retried.withdrawal).toEqual({ withdrawnAt: '2026-05-04T09:00:00.000Z', withdrawnBy: OWNER, reason: LATE });
    expect(again).toEqual(retried);
    expect((await listBids(tenderId, OWNER, deps))[0]!.withdrawal).toEqual(retried.withdrawal);
    expect((await world.audit.history('bid', `${tenderId}/acme`)).map((e) => [e.reason, e.at])).toEqual([[LATE, '2026-05-04T09:00:00.000Z']]);
  });

  it('of two withdrawals at once with different reasons, one wins: both answer its reason, and the stored withdrawal and the one entry agree', async () => {
    const [first, second] = await Promise.all([
      withdrawBid(tenderId, OWNER, 'acme', LATE, deps),
      withdrawBid(tenderId, OWNER, 'acme', 'Pli déposé par erreur dans ce lot', deps),
    ]);

    expect(second.withdrawal).toEqual(first.withdrawal);
    const entries = await world.audit.history('bid', `${tenderId}/acme`);
    expect(entries.map((e) => e.reason)).toEqual([first.withdrawal!.reason]);
    expect((await listBids(tenderId, OWNER, deps))[0]!.withdrawal).toEqual(first.withdrawal);
  });
});
