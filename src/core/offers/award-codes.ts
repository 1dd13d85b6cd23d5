/**
 * The closed lists of the award details (DECP 2.0 vocabularies), without zod so that the web app
 * can offer them as choices without bundling the schemas.
 */

/** The CCAGs a CCAP may refer to, as DECP spells them. */
export const CCAG_NAMES = [
  'Travaux',
  "Maitrise d'œuvre",
  'Fournitures courantes et services',
  'Marchés industriels',
  'Prestations intellectuelles',
  "Techniques de l'information et de la communication",
  'Pas de CCAG',
] as const;

/** What the code of the place of performance is. */
export const PLACE_TYPE_CODES = ['Code postal', 'Code commune', 'Code arrondissement', 'Code canton', 'Code département', 'Code région', 'Code pays'] as const;
