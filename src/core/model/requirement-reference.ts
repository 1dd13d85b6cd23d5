import type { Category } from './criterion.ts';

/**
 * Short codes of the requirement references bidders quote in their answers (« L1-TAB-03 »): the
 * lot, the family of equipment or service, and the rank within that family in the lot. Letters,
 * digits and hyphens only, so that a reference copied from a PDF comes out whole; the renderers
 * never break one across lines.
 */
const FAMILY_CODES: Record<Category | 'buyer', string> = {
  tablet: 'TAB',
  laptop: 'POR',
  'charging-cart': 'CHA',
  'wifi-access-point': 'WIF',
  network: 'RES',
  'interactive-display': 'ECR',
  'server-storage': 'SRV',
  mdm: 'MDM',
  services: 'PRE',
  training: 'FOR',
  'warranty-support': 'GAR',
  accessibility: 'ACC',
  environment: 'ENV',
  buyer: 'ACH',
};

/**
 * The references of a lot's requirements, in their order: « L{lot}-{family}-{rank} », the rank
 * on two digits (three beyond 99). Unique within a tender, since the lot number is in it; stable
 * for the same request and criterion versions.
 */
export function requirementReferences(lotNumber: number, categories: ReadonlyArray<Category | 'buyer'>): string[] {
  const ranks = new Map<string, number>();
  return categories.map((category) => {
    const code = FAMILY_CODES[category];
    const rank = (ranks.get(code) ?? 0) + 1;
    ranks.set(code, rank);
    return `L${lotNumber}-${code}-${String(rank).padStart(2, '0')}`;
  });
}
