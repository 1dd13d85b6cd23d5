/**
 * The French texts of the stored work that keeps a version, in the publication preview: counts
 * agreed as French agrees them (singular for 0 and 1), no-break space before the colon.
 */
import { describe, expect, it } from 'vitest';
import type { PinnedTender } from '#src/app/pinned-work.ts';
import { pinnedDraftsLine, pinnedSummary, pinnedTendersHeading } from '../../web/src/pinned-work.ts';

const tender = (id: string): PinnedTender => ({ id, title: 'Tablettes', buyer: 'Commune', createdAt: '2026-12-07T09:00:00.000Z', status: 'ready' });
const tenders = (n: number) => Array.from({ length: n }, (_, i) => tender(`t-${i}`));
const drafts = (incomplete: number, ready: number) => ({ count: incomplete + ready, incomplete, ready });

describe('stored work on the version being replaced', () => {
  it('agrees the heading with the number of tenders: singular for 0 and 1, « plus de » when cut', () => {
    expect(pinnedTendersHeading({ tenders: [], tendersTruncated: false }, 3)).toBe('Marché enregistré sur la version 3\u00a0: 0');
    expect(pinnedTendersHeading({ tenders: tenders(1), tendersTruncated: false }, 3)).toBe('Marché enregistré sur la version 3\u00a0: 1');
    expect(pinnedTendersHeading({ tenders: tenders(2), tendersTruncated: false }, 3)).toBe('Marchés enregistrés sur la version 3\u00a0: 2');
    expect(pinnedTendersHeading({ tenders: tenders(100), tendersTruncated: true }, 3)).toBe('Marchés enregistrés sur la version 3\u00a0: plus de 100');
  });

  it('counts drafts by status, without detail when there are none', () => {
    expect(pinnedDraftsLine(drafts(0, 0))).toBe('Brouillon\u00a0: 0');
    expect(pinnedDraftsLine(drafts(0, 1))).toBe('Brouillon\u00a0: 1 (1\u00a0prêt, 0\u00a0incomplet)');
    expect(pinnedDraftsLine(drafts(2, 3))).toBe('Brouillons\u00a0: 5 (3\u00a0prêts, 2\u00a0incomplets)');
  });

  it('says in the live region what stays, the verb agreed with the whole', () => {
    expect(pinnedSummary({ tenders: [], tendersTruncated: false, drafts: drafts(0, 0) }, 2)).toBe('Aucun marché enregistré ni brouillon sur la version 2.');
    expect(pinnedSummary({ tenders: [], tendersTruncated: false, drafts: drafts(1, 0) }, 2)).toBe('0\u00a0marché enregistré et 1\u00a0brouillon reste sur la version 2.');
    expect(pinnedSummary({ tenders: tenders(1), tendersTruncated: false, drafts: drafts(0, 0) }, 2)).toBe('1\u00a0marché enregistré et 0\u00a0brouillon reste sur la version 2.');
    expect(pinnedSummary({ tenders: tenders(1), tendersTruncated: false, drafts: drafts(1, 0) }, 2)).toBe('1\u00a0marché enregistré et 1\u00a0brouillon restent sur la version 2.');
    expect(pinnedSummary({ tenders: tenders(100), tendersTruncated: true, drafts: drafts(0, 0) }, 2)).toBe('Plus de 100\u00a0marchés enregistrés et 0\u00a0brouillon restent sur la version 2.');
  });
});
