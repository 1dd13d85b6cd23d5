/** French labels: the documents' own, plus what only the screens need. */
export {
  AUTHORITY_LABELS,
  AWARD_THEME_LABELS,
  BUYER_TYPE_LABELS,
  CATEGORY_LABELS,
  CATEGORY_ORDER,
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

/**
 * How a price (or cost) criterion turns amounts into points, each with one sentence and its
 * formula as the RC writes it; `noun` is « prix » or « coût ». The first is the default.
 */
export const priceScoringChoices = (noun: 'prix' | 'coût') =>
  [
    {
      value: 'lowest-over-price',
      label: 'Proportionnelle (par défaut)',
      hint: `L’offre au ${noun} le plus bas obtient tous les points, les autres une part inversement proportionnelle à leur ${noun}\u00a0: note = points × ${noun} le plus bas ÷ ${noun} de l’offre.`,
    },
    {
      value: 'linear',
      label: 'Linéaire',
      hint: `Chaque écart de 1\u00a0% au-dessus du ${noun} le plus bas retire 1\u00a0% des points, sans descendre sous zéro\u00a0: note = points × (1 − (${noun} de l’offre − ${noun} le plus bas) ÷ ${noun} le plus bas).`,
    },
  ] as const;

/** How a lot's offers with the same total score are ranked, as the RC states it. The first is the default. */
export const TIE_BREAK_CHOICES = [
  { value: 'none', label: 'Pas de règle de départage (par défaut)', hint: 'Si plusieurs offres obtiennent la même note totale, vous les classez par une décision motivée.' },
  { value: 'best-technical', label: 'Meilleure note technique', hint: 'L’offre qui a la meilleure note au premier critère autre que le prix ou le coût l’emporte.' },
  { value: 'lowest-price', label: 'Prix le plus bas', hint: 'L’offre dont le montant examiné est le plus bas l’emporte.' },
] as const;

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

/** The form chosen first; an accord-cadre's type is chosen next (FRAMEWORK_TYPE_LABELS). */
export const CONTRACT_FORM_CHOICES = { ordinary: 'Marché ordinaire', 'framework-agreement': 'Accord-cadre' } as const;

export const FRAMEWORK_TYPE_LABELS = {
  'purchase-orders-single': 'À bons de commande, un seul titulaire',
  'purchase-orders-multiple': 'À bons de commande, plusieurs titulaires',
  'subsequent-contracts': 'À marchés subséquents',
} as const;

export const RENEWAL_KIND_LABELS = {
  express: 'Expresse : l’acheteur décide à chaque échéance',
  tacit: 'Tacite : sauf refus notifié avant l’échéance',
} as const;

export const START_LABELS = { none: 'Non précisé', event: 'À compter d’un événement', date: 'À une date' } as const;

export const PRICE_FORM_LABELS = { '': 'Non précisée', unit: 'Prix unitaires', 'lump-sum': 'Prix forfaitaires', mixed: 'Prix mixtes' } as const;

export const PRICE_TYPE_LABELS = { firm: 'Ferme', adjustable: 'Actualisable', revisable: 'Révisable' } as const;

export const QUANTITY_MODE_LABELS = {
  given: 'Quantité saisie',
  sites: 'Quantités par établissement',
  devices: 'Calculée : une par tablette ou ordinateur du lot',
  teachers: 'Calculée : par enseignant des établissements du lot',
} as const;

export const PRICING_LABELS = { unit: 'Prix unitaire', 'lump-sum': 'Prix forfaitaire (la ligne entière)' } as const;

export const NATURE_LABELS = { supply: 'Fourniture', service: 'Service' } as const;

export const VISIT_LABELS = { none: 'Pas de visite', optional: 'Visite facultative', mandatory: 'Visite obligatoire' } as const;

/** The nature of a piece of the consultation file, as its bordereau prints it. */
export const DCE_ROLE_LABELS: Record<'contractual' | 'informative', string> = { contractual: 'Contractuelle', informative: 'Informative' };
