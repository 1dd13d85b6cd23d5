import type { DraftRepository } from '#src/app/ports/draft-repository.ts';
import type { FrameworkPin, TenderRepository } from '#src/app/ports/tender-repository.ts';

/** Most tenders an impact answer lists; `tendersTruncated` says when more pin the version. */
export const PINNED_TENDERS_LISTED = 100;

/** A stored tender as the ministry's editor sees it in an impact: who bought what, when; never its documents. */
export interface PinnedTender {
  id: string;
  /** The request's title (the object of the contract). */
  title: string;
  /** The buyer's organisation, as the request names it. */
  buyer: string;
  createdAt: string;
  /** Its documents: ready, or still rendering (pending), or failed. */
  status: 'ready' | 'pending' | 'failed';
}

/**
 * The stored work that pins a framework version, across buyers: what a change of that version
 * leaves on the old one (each tender keeps the version it was resolved against; a draft, the
 * version its request names). Tenders are listed, newest first and bounded; drafts, buyers' own
 * work in progress, are only counted.
 */
export interface PinnedWork {
  pinned: FrameworkPin;
  tenders: PinnedTender[];
  tendersTruncated: boolean;
  drafts: { count: number; incomplete: number; ready: number };
}

export async function pinnedWork(pinned: FrameworkPin, deps: { tenders: TenderRepository; drafts: DraftRepository }): Promise<PinnedWork> {
  const [tenders, drafts] = await Promise.all([deps.tenders.listPinning(pinned, PINNED_TENDERS_LISTED), deps.drafts.countPinning(pinned)]);
  return {
    pinned: { id: pinned.id, version: pinned.version },
    tenders: tenders.items.map((record) => ({
      id: record.id,
      title: record.request.title,
      buyer: record.request.buyer.name,
      createdAt: record.createdAt,
      status: record.rendering?.status ?? 'ready',
    })),
    tendersTruncated: tenders.truncated,
    drafts: { count: drafts.incomplete + drafts.ready, incomplete: drafts.incomplete, ready: drafts.ready },
  };
}
