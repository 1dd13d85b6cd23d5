/** French labels: the documents' own, plus what only the screens need. */
export {
  AUTHORITY_LABELS,
  AWARD_THEME_LABELS,
  BUYER_TYPE_LABELS,
  CATEGORY_LABELS,
  CATEGORY_ORDER,
  CONTRACT_FORM_LABELS,
  LEVEL_LABELS,
  PROOF_LABELS,
} from '../../src/core/documents/labels.ts';

export const PROCEDURE_SHORT_LABELS = {
  adapted: 'Procédure adaptée (MAPA)',
  open: 'Appel d’offres ouvert',
  restricted: 'Appel d’offres restreint',
  'negotiated-without-notice': 'Marché sans publicité ni mise en concurrence',
} as const;

export const AWARD_TYPE_LABELS = { price: 'Prix', cost: 'Coût (cycle de vie)', quality: 'Qualité' } as const;

export const KIND_LABELS = { technical: 'Technique', functional: 'Fonctionnel', service: 'Service', environmental: 'Environnemental' } as const;

export const METRIC_TYPE_LABELS = {
  numeric: 'Seuil numérique',
  range: 'Plage de valeurs',
  boolean: 'Exigé ou non',
  enum: 'Choix dans une liste ordonnée',
  text: 'Exigence rédigée (sans seuil)',
} as const;

export const COMPARATOR_LABELS = { gte: 'au moins (≥)', lte: 'au plus (≤)', eq: 'égal à (=)' } as const;

export const STATUS_LABELS = {
  kept: 'Conforme au référentiel',
  tightened: 'Renforcée',
  loosened: 'Assouplie',
  downgraded: 'Rendue seulement appréciée',
  excluded: 'Exclue du lot',
} as const;

export function options<T extends string>(labels: Record<T, string>): Array<{ value: T; label: string }> {
  return (Object.entries(labels) as Array<[T, string]>).map(([value, label]) => ({ value, label }));
}
